"""Reads for the meal plan, meal schedule, dietary and hydration preferences: always the person's own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from accounts.models import User
from accounts.selectors.body import body_weight_latest_kg

from ..models import DietaryPreferences, HydrationPreferences, MealPlan, MealSchedule, WaterLog

RECALCULATE_AFTER_KG = Decimal(2)


def meal_plan_for_user(*, user: User) -> MealPlan | None:
    # One row by the unique user index; the schedule is read separately (the page lists it as a table).
    return MealPlan.objects.filter(user=user).first()


def meal_schedule_for_user(*, user: User) -> list[MealSchedule]:
    return list(MealSchedule.objects.filter(user=user).order_by("meal_number"))


def weight_change_since_plan_kg(*, plan: MealPlan | None, latest_kg: Decimal | None) -> Decimal | None:
    if plan is None or plan.weight_at_calculation_kg is None or latest_kg is None:
        return None
    return Decimal(latest_kg) - plan.weight_at_calculation_kg


def recalculation_suggested(*, user: User, plan: MealPlan | None = None, latest_kg: Decimal | None = None) -> bool:
    """True when the latest weight differs by more than 2 kg from the weight the plan was computed with.
    Pass `plan`/`latest_kg` when already loaded, to save their queries."""
    plan = plan if plan is not None else meal_plan_for_user(user=user)
    if plan is None:
        return False
    latest_kg = latest_kg if latest_kg is not None else body_weight_latest_kg(user=user)
    change = weight_change_since_plan_kg(plan=plan, latest_kg=latest_kg)
    return change is not None and abs(change) > RECALCULATE_AFTER_KG


def dietary_preferences_for_user(*, user: User) -> DietaryPreferences | None:
    """The person's row, cached on the user object by the reverse one-to-one descriptor (including "none"),
    so several checks in one request cost one query."""
    try:
        return user.dietary_preferences
    except DietaryPreferences.DoesNotExist:
        return None


def hydration_preferences_for_user(*, user: User) -> HydrationPreferences | None:
    return HydrationPreferences.objects.filter(user=user).first()


def water_ml_on(*, user: User, day: dt.date) -> int:
    # Index nutrition_water_user_day.
    return WaterLog.objects.filter(user=user, date=day).aggregate(total=Sum("amount_ml"))["total"] or 0
