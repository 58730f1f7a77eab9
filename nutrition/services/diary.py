"""Writes for the food diary: meals, their items, copies, and water.

Every function takes the acting person as `user`. Another person's meal or item is "not found"
(fitjourney.errors.NotFound); a food the person may not see is a field error on `food`. Dates are the
person's local dates.

Units (a decision, documented in the README section of nutrition):
- "g" is grams of the food.
- "ml" is millilitres, only for a liquid (a beverage, milk, juice, oil…) with a household volume portion
  ("1 cup" = 244 g of milk) that gives its density (nutrition.portions.millilitre_density); a solid, or
  a liquid without one, refuses millilitres rather than guessing 1 g per ml.
- "portion" counts one of the food's own portions ("1 medium" = 118 g); any other portion is refused.

Energy and macros are computed once, here, from the food's values per 100 g and stored on the item,
so a later edit of the food never rewrites the diary. A nutrient the food does not report (None) stays
None on the item, and day totals say which nutrients are incomplete.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from fitjourney.dates import check_entry_date
from fitjourney.errors import NotFound
from fitjourney.hooks.changes import days_changed_announce

from ..models import Food, FoodUsage, Meal, MealItem, MealType, Portion, QuantityUnit, WaterLog
from ..portions import millilitre_density
from . import preferences

CENT = Decimal("0.01")
ITEM_NUTRIENTS = ("energy_kcal", "protein_g", "carbohydrate_g", "fat_g", "fiber_g")
MAX_GRAMS = Decimal(5000)
MAX_MILLILITRES = Decimal(5000)
MAX_PORTIONS = Decimal(50)
WATER_MIN_ML, WATER_MAX_ML = 1, 5000
MEAL_FIELDS = ("eaten_at", "name", "notes")
# Daily summaries (coaching) count meals with items and water by local date: changes announce the days.
MEAL_SOURCE = "nutrition.meal"
WATER_SOURCE = "nutrition.water"


class ConflictWarning(Exception):
    """The food conflicts with the person's dietary preferences; nothing was saved.

    Carries the plain-language warnings; the caller shows them and may retry with
    `acknowledge_conflicts=True`."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)


# ---------------------------------------------------------------------------------------------------
# Helpers


def _own_meal(user: User, meal: Meal) -> None:
    if meal.user_id != user.pk or meal.deleted_at is not None:
        raise NotFound("Meal not found.")


def _check_meal_type(meal_type: str) -> None:
    if meal_type not in MealType.values:
        raise ValidationError({"meal_type": [f"Choose one of: {', '.join(MealType.values)}."]})


def _lock_day(user: User, date: dt.date, meal_type: str) -> None:
    """Meals have no unique (user, date, type) constraint (an API client may log two snacks), so the
    diary's get-or-create serialises on a transaction-scoped advisory lock instead of a row lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"nutrition.meal:{user.pk}:{date}:{meal_type}"])


def _decimal(value: Any, field: str = "quantity") -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field: ["Enter a number."]}) from exc
    if not number.is_finite():
        raise ValidationError({field: ["Enter a number."]})
    return number


def _food_portions(food: Food) -> list[Portion]:
    cached = getattr(food, "_prefetched_objects_cache", {}).get("portions")
    return list(cached) if cached is not None else list(food.portions.all())


def item_values(*, food: Food, quantity: Any, unit: str, portion: Portion | None = None) -> dict[str, Any]:
    """Validates a quantity and returns the item's grams, portion label and stored nutrient values."""
    quantity = _decimal(quantity)
    if quantity <= 0:
        raise ValidationError({"quantity": ["Enter a quantity above zero."]})
    if unit not in QuantityUnit.values:
        raise ValidationError({"unit": ["Choose grams, millilitres or one of the food's portions."]})
    label = ""
    if unit == QuantityUnit.GRAM:
        if quantity > MAX_GRAMS:
            raise ValidationError({"quantity": ["That is more than 5 kg in one item: enter at most 5000 g."]})
        grams = quantity
        portion = None
    elif unit == QuantityUnit.MILLILITRE:
        if quantity > MAX_MILLILITRES:
            raise ValidationError({"quantity": ["That is more than 5 litres in one item: enter at most 5000 ml."]})
        density = millilitre_density(name=food.name, category=food.category, portions=_food_portions(food))
        if density is None:
            raise ValidationError({"unit": [f"{food.name} is not measured in millilitres: use grams or a portion."]})
        grams = quantity * density
        portion = None
    else:
        if portion is None or portion.food_id != food.pk:
            raise ValidationError({"portion": [f"Choose one of {food.name}'s portions."]})
        if quantity > MAX_PORTIONS:
            raise ValidationError({"quantity": ["That is more than 50 portions in one item: enter at most 50."]})
        grams = quantity * portion.gram_weight / portion.amount
        label = portion.description
    grams = grams.quantize(CENT, rounding=ROUND_HALF_UP)
    if grams <= 0:
        raise ValidationError({"quantity": ["That quantity is too small to log."]})
    if grams > MAX_GRAMS:
        raise ValidationError({"quantity": ["That is more than 5 kg in one item."]})
    values: dict[str, Any] = {
        "quantity": quantity.quantize(CENT, rounding=ROUND_HALF_UP),
        "unit": unit,
        "portion": portion,
        "portion_label": label,
        "grams": grams,
    }
    for name in ITEM_NUTRIENTS:
        per_100 = getattr(food, name)
        values[name] = (
            None if per_100 is None else (Decimal(per_100) * grams / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        )
    return values


def portion_by_name(*, food: Food, name: str) -> Portion:
    """Finds one of the food's portions by its description ("medium"); a clear error otherwise."""
    wanted = (name or "").strip().lower()
    for portion in _food_portions(food):
        if portion.description.strip().lower() == wanted:
            return portion
    raise ValidationError({"portion": [f"{food.name} has no '{name}' portion."]})


def _visible_food(user: User, food: Food) -> None:
    if not Food.objects.visible_to(user).filter(pk=food.pk).exists():
        raise ValidationError({"food": ["Food not found."]})


def _usage_record(user: User, items: list[MealItem]) -> None:
    """Counts the items in the person's FoodUsage rows (one upsert): the search's "recent and frequent"
    and the next default quantity. The row is the person's own, so the lock it takes serialises no one else."""
    if not items:
        return
    now = timezone.now()
    rows = [(i.food_id, i.quantity, i.unit, i.portion_id) for i in items]
    table = FoodUsage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (user_id, food_id, use_count, last_used_at, last_quantity, last_unit,
                                 last_portion_id)
            SELECT %s, v.food_id, count(*), %s, (array_agg(v.quantity ORDER BY v.n DESC))[1],
                   (array_agg(v.unit ORDER BY v.n DESC))[1], (array_agg(v.portion_id ORDER BY v.n DESC))[1]
            FROM unnest(%s::uuid[], %s::numeric[], %s::varchar[], %s::uuid[])
                 WITH ORDINALITY AS v(food_id, quantity, unit, portion_id, n)
            GROUP BY v.food_id
            ON CONFLICT (user_id, food_id) DO UPDATE SET
                use_count = {table}.use_count + EXCLUDED.use_count,
                last_used_at = EXCLUDED.last_used_at,
                last_quantity = EXCLUDED.last_quantity,
                last_unit = EXCLUDED.last_unit,
                last_portion_id = EXCLUDED.last_portion_id
            """,
            [user.pk, now, *[list(column) for column in zip(*rows, strict=True)]],
        )


def _check_conflicts(user: User, food: Food, acknowledge_conflicts: bool) -> None:
    if acknowledge_conflicts:
        return
    warnings = preferences.food_conflicts(user=user, food=food)
    if warnings:
        raise ConflictWarning(warnings)


# ---------------------------------------------------------------------------------------------------
# Meals


@transaction.atomic
def meal_get_or_create(*, user: User, date: dt.date, meal_type: str) -> Meal:
    """The person's (first) meal of that type on that local date, created when there is none."""
    _check_meal_type(meal_type)
    check_entry_date(date, zone=user.zone, field="date")
    _lock_day(user, date, meal_type)
    meal = Meal.objects.for_user(user).filter(date=date, meal_type=meal_type).order_by("created_at").first()
    if meal is None:
        meal = Meal.objects.create(user=user, date=date, meal_type=meal_type)
    return meal


def _meal_checks(meal: Meal) -> None:
    errors = {}
    if len(meal.name) > 200:
        errors["name"] = ["Use at most 200 characters."]
    if len(meal.notes) > 5000:
        errors["notes"] = ["Use at most 5000 characters."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meal_create(
    *, user: User, date: dt.date, meal_type: str, eaten_at: dt.time | None = None, name: str = "", notes: str = ""
) -> Meal:
    """A new meal, even when one of that type exists that day (e.g. a second snack)."""
    _check_meal_type(meal_type)
    check_entry_date(date, zone=user.zone, field="date")
    meal = Meal(user=user, date=date, meal_type=meal_type, eaten_at=eaten_at, name=name or "", notes=notes or "")
    _meal_checks(meal)
    meal.save()
    return meal


@transaction.atomic
def meal_update(*, user: User, meal: Meal, **fields: Any) -> Meal:
    """Changes the time, name, notes (and, for the API, the date or type)."""
    _own_meal(user, meal)
    allowed = {*MEAL_FIELDS, "date", "meal_type"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"meal_update got unknown fields: {sorted(unknown)}")
    if "meal_type" in fields:
        _check_meal_type(fields["meal_type"])
    if "date" in fields:
        check_entry_date(fields["date"], zone=user.zone, field="date")
    old_date = meal.date
    for field, value in fields.items():
        setattr(meal, field, "" if value is None and field in ("name", "notes") else value)
    _meal_checks(meal)
    meal.save()
    if {"date", "meal_type"} & set(fields):
        days_changed_announce(user_id=user.pk, dates=[old_date, meal.date], source=MEAL_SOURCE)
    return meal


@transaction.atomic
def meal_delete(*, user: User, meal: Meal) -> None:
    """Soft delete: the meal disappears from the diary; its items go with it."""
    _own_meal(user, meal)
    meal.deleted_at = timezone.now()
    meal.save(update_fields=["deleted_at", "updated_at"])
    days_changed_announce(user_id=user.pk, dates=[meal.date], source=MEAL_SOURCE)


# ---------------------------------------------------------------------------------------------------
# Items


@transaction.atomic
def item_add(
    *,
    user: User,
    meal: Meal,
    food: Food,
    quantity: Any,
    unit: str = QuantityUnit.GRAM,
    portion: Portion | None = None,
    acknowledge_conflicts: bool = False,
) -> MealItem:
    _own_meal(user, meal)
    _visible_food(user, food)
    values = item_values(food=food, quantity=quantity, unit=unit, portion=portion)
    _check_conflicts(user, food, acknowledge_conflicts)
    item = MealItem.objects.create(meal=meal, food=food, **values)
    _usage_record(user, [item])
    Meal.objects.filter(pk=meal.pk).update(updated_at=timezone.now())
    days_changed_announce(user_id=user.pk, dates=[meal.date], source=MEAL_SOURCE)
    return item


@transaction.atomic
def item_update(
    *,
    user: User,
    item: MealItem,
    quantity: Any = None,
    unit: str | None = None,
    portion: Portion | None = None,
    food: Food | None = None,
    acknowledge_conflicts: bool = False,
) -> MealItem:
    """Changes the quantity (and unit, portion or food); the stored values are recomputed from the
    food as it is now, as the person is logging it anew."""
    item = MealItem.objects.select_for_update().select_related("meal", "food").get(pk=item.pk)
    _own_meal(user, item.meal)
    new_food = food or item.food
    old_food_id = item.food_id
    if food is not None and food.pk != item.food_id:
        _visible_food(user, food)
    new_unit = unit or item.unit
    if portion is None and new_unit == QuantityUnit.PORTION and new_food.pk == item.food_id:
        portion = item.portion
    values = item_values(
        food=new_food, quantity=item.quantity if quantity is None else quantity, unit=new_unit, portion=portion
    )
    if food is not None and food.pk != item.food_id:
        _check_conflicts(user, food, acknowledge_conflicts)
    item.food = new_food
    for field, value in values.items():
        setattr(item, field, value)
    item.save()
    if food is not None and food.pk != old_food_id:
        _usage_record(user, [item])  # a different food was eaten: it counts; an edit of the amount does not
    else:
        FoodUsage.objects.filter(user=user, food_id=item.food_id).update(
            last_quantity=item.quantity, last_unit=item.unit, last_portion=item.portion
        )
    days_changed_announce(user_id=user.pk, dates=[item.meal.date], source=MEAL_SOURCE)
    return item


@transaction.atomic
def item_delete(*, user: User, item: MealItem) -> None:
    _own_meal(user, item.meal)
    item.delete()
    days_changed_announce(user_id=user.pk, dates=[item.meal.date], source=MEAL_SOURCE)


# ---------------------------------------------------------------------------------------------------
# Copies


def _copy_items(user: User, source: Meal, target: Meal) -> int:
    """Copies keep the stored values: the copy is what was eaten then, not the food as it is today."""
    fields = ("food_id", "quantity", "unit", "portion_id", "portion_label", "grams", *ITEM_NUTRIENTS)
    items = [MealItem(meal=target, **{f: getattr(i, f) for f in fields}) for i in source.items.all()]
    MealItem.objects.bulk_create(items)
    _usage_record(user, items)
    return len(items)


@transaction.atomic
def meal_copy(*, user: User, meal: Meal, to_date: dt.date, to_meal_type: str | None = None) -> Meal:
    """Adds the meal's items to the person's meal of that type on `to_date` (created when missing)."""
    _own_meal(user, meal)
    meal_type = to_meal_type or meal.meal_type
    if to_date == meal.date and meal_type == meal.meal_type:
        raise ValidationError({"to_date": ["Choose another day or meal to copy to."]})
    check_entry_date(to_date, zone=user.zone, field="to_date")
    target = meal_get_or_create(user=user, date=to_date, meal_type=meal_type)
    if not target.name and meal.name:
        target.name = meal.name
        target.save(update_fields=["name", "updated_at"])
    _copy_items(user, meal, target)
    days_changed_announce(user_id=user.pk, dates=[target.date], source=MEAL_SOURCE)
    return target


@transaction.atomic
def day_copy(*, user: User, from_date: dt.date, to_date: dt.date) -> int:
    """Copies every meal of `from_date` into the same meal types of `to_date`; returns the item count."""
    if from_date == to_date:
        raise ValidationError({"from_date": ["Choose another day to copy from."]})
    check_entry_date(to_date, zone=user.zone, field="to_date")
    sources = list(Meal.objects.for_user(user).filter(date=from_date).prefetch_related("items"))
    if not any(m.items.all() for m in sources):
        raise ValidationError({"from_date": [f"Nothing is logged on {from_date.isoformat()}."]})
    copied = 0
    for source in sources:
        target = meal_get_or_create(user=user, date=to_date, meal_type=source.meal_type)
        copied += _copy_items(user, source, target)
    days_changed_announce(user_id=user.pk, dates=[to_date], source=MEAL_SOURCE)
    return copied


# ---------------------------------------------------------------------------------------------------
# Water


@transaction.atomic
def water_log_add(*, user: User, amount_ml: Any, date: dt.date | None = None) -> WaterLog:
    """Logs a drink now; `date` (a local date) lets the diary of another day record it there."""
    try:
        amount = int(amount_ml)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"amount_ml": ["Enter a whole number of millilitres."]}) from exc
    if not WATER_MIN_ML <= amount <= WATER_MAX_ML:
        raise ValidationError({"amount_ml": [f"Enter {WATER_MIN_ML} to {WATER_MAX_ML} ml."]})
    check_entry_date(date, zone=user.zone, field="date")
    now = timezone.now()
    log = WaterLog.objects.create(
        user=user, amount_ml=amount, logged_at=now, date=date or timezone.localdate(now, user.zone)
    )
    days_changed_announce(user_id=user.pk, dates=[log.date], source=WATER_SOURCE)
    return log


@transaction.atomic
def water_log_delete(*, user: User, water_log: WaterLog) -> None:
    if water_log.user_id != user.pk:
        raise NotFound("Water log not found.")
    water_log.delete()
    days_changed_announce(user_id=user.pk, dates=[water_log.date], source=WATER_SOURCE)
