"""Reads for the food diary: one person's meals, items, day totals, targets and water.

`day_summary` owns the diary page's query shape: meals (1), their items with food and portion (1, a
Prefetch), the person's meal plan and hydration preferences (1, select_related over the reverse
one-to-ones) and the day's water logs (1). Four queries whatever the number of items.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, Sum

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import Meal, MealItem, MealPlan, MealType, WaterLog

NUTRIENTS = ("energy_kcal", "protein_g", "carbohydrate_g", "fat_g", "fiber_g")
DEFAULT_WATER_TARGET_ML = 2000


@dataclass
class Totals:
    """Sums of stored values; `incomplete` names the nutrients some item does not report (None),
    so "12 g fibre" is read as "at least 12 g"."""

    values: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(NUTRIENTS, Decimal(0)))
    incomplete: set[str] = field(default_factory=set)
    item_count: int = 0

    def add_item(self, item: MealItem) -> None:
        self.item_count += 1
        for name in NUTRIENTS:
            value = getattr(item, name)
            if value is None:
                self.incomplete.add(name)
            else:
                self.values[name] += value

    def add(self, other: Totals) -> None:
        self.item_count += other.item_count
        self.incomplete |= other.incomplete
        for name in NUTRIENTS:
            self.values[name] += other.values[name]

    @property
    def incomplete_names(self) -> list[str]:
        return sorted(self.incomplete)

    def as_dict(self) -> dict[str, Any]:
        return {
            **{name: str(value) for name, value in self.values.items()},
            "incomplete": self.incomplete_names,
            "item_count": self.item_count,
        }


def items_prefetch() -> Prefetch:
    """Meals' items with their food and portion, in the order they were added."""
    # The food's name and the portion's description are shown on every row.
    return Prefetch("items", queryset=MealItem.objects.select_related("food", "portion").order_by("created_at", "id"))


def meals_for_user(*, user: User) -> QuerySet[Meal]:
    return Meal.objects.for_user(user).order_by("date", "meal_type", "created_at")


def meals_for_day(*, user: User, date: dt.date) -> list[Meal]:
    """The day's meals in diary order (breakfast, lunch, dinner, snack), items prefetched (2 queries)."""
    order = {value: i for i, value in enumerate(MealType.values)}
    meals = list(Meal.objects.for_user(user).filter(date=date).prefetch_related(items_prefetch()))
    meals.sort(key=lambda m: (order[m.meal_type], m.created_at))
    return meals


def meal_get_for_user(*, user: User, meal_id: uuid.UUID | str) -> Meal:
    """Another person's (or a deleted) meal is NotFound (a 404), as a missing one."""
    qs = Meal.objects.for_user(user).prefetch_related(items_prefetch())
    try:
        return qs.get(pk=meal_id)
    except (Meal.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Meal not found.") from exc


def item_get_for_user(*, user: User, item_id: uuid.UUID | str) -> MealItem:
    qs = MealItem.objects.select_related("meal", "food", "portion").filter(
        meal__user=user, meal__deleted_at__isnull=True
    )
    try:
        return qs.get(pk=item_id)
    except (MealItem.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Item not found.") from exc


def water_log_get_for_user(*, user: User, water_log_id: uuid.UUID | str) -> WaterLog:
    try:
        return WaterLog.objects.filter(user=user).get(pk=water_log_id)
    except (WaterLog.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise NotFound("Water log not found.") from exc


def water_logs_for_day(*, user: User, date: dt.date) -> list[WaterLog]:
    return list(WaterLog.objects.filter(user=user, date=date).order_by("-logged_at"))


def water_total_ml(*, user: User, date: dt.date) -> int:
    return WaterLog.objects.filter(user=user, date=date).aggregate(total=Sum("amount_ml"))["total"] or 0


def meal_totals(meal: Meal) -> Totals:
    totals = Totals()
    for item in meal.items.all():
        totals.add_item(item)
    return totals


def targets_for_user(*, user: User) -> tuple[MealPlan | None, int]:
    """(meal plan or None, hydration target in ml) in one query."""
    row = User.objects.select_related("meal_plan", "hydration_preferences").filter(pk=user.pk).first()
    plan = getattr(row, "meal_plan", None) if row else None
    hydration = getattr(row, "hydration_preferences", None) if row else None
    return plan, hydration.daily_target_ml if hydration else DEFAULT_WATER_TARGET_ML


@dataclass
class DaySummary:
    date: dt.date
    meals: list[Meal]
    meal_totals: dict[uuid.UUID, Totals]  # by meal id
    totals: Totals
    plan: MealPlan | None
    targets: dict[str, Decimal | None] | None
    water_logs: list[WaterLog]
    water_total_ml: int
    water_target_ml: int


def day_summary(*, user: User, date: dt.date) -> DaySummary:
    meals = meals_for_day(user=user, date=date)
    day = Totals()
    totals_by_meal = {}
    for meal in meals:
        totals_by_meal[meal.pk] = meal_totals(meal)
        day.add(totals_by_meal[meal.pk])
    plan, water_target = targets_for_user(user=user)
    targets = None
    if plan is not None:
        targets = {
            "energy_kcal": Decimal(plan.energy_target_kcal),
            "protein_g": plan.protein_g,
            "carbohydrate_g": plan.carbohydrate_g,
            "fat_g": plan.fat_g,
            "fiber_g": plan.fiber_g,
        }
    water = water_logs_for_day(user=user, date=date)
    return DaySummary(
        date=date,
        meals=meals,
        meal_totals=totals_by_meal,
        totals=day,
        plan=plan,
        targets=targets,
        water_logs=water,
        water_total_ml=sum(w.amount_ml for w in water),
        water_target_ml=water_target,
    )
