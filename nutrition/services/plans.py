"""Writes for the meal plan (targets from the profile, manual adjustments, lock, recalculation) and the
meal schedule with its reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, NotificationType, User
from accounts.selectors.body import body_weight_latest_kg
from accounts.services.audit import AuditContext, audit_record
from accounts.services.notifications import notify
from fitjourney.batch import isolated

from .. import calculations
from ..models import DietaryPreferences, MealPlan, MealSchedule
from ..selectors.plans import recalculation_suggested  # noqa: F401  (part of this module's interface)

MEALS_PER_DAY_MIN, MEALS_PER_DAY_MAX = 2, 8
MEAL_REMINDER_GRACE = dt.timedelta(minutes=30)  # a run late by up to this still sends; later ones do not
# The meal plan's fields, written once: the page's form, the API's serializers and coaching's intake import
# them. ADJUSTABLE_FIELDS are what meal_plan_update accepts; the percentages follow from the grams.
ADJUSTABLE_FIELDS = (
    "meals_per_day",
    "energy_target_kcal",
    "energy_min_kcal",
    "energy_max_kcal",
    "protein_g",
    "carbohydrate_g",
    "fat_g",
    "fiber_g",
)
PERCENT_FIELDS = ("protein_pct", "carbohydrate_pct", "fat_pct")
# What a calculation sets (targets_compute's result); the number of meals is the person's.
COMPUTED_FIELDS = (*ADJUSTABLE_FIELDS[1:], *PERCENT_FIELDS, "rationale", "inputs")
PLAN_FIELDS = (*ADJUSTABLE_FIELDS, *PERCENT_FIELDS, "is_locked")  # what the audit trail records
# A row of the meal schedule, as meal_schedule_set accepts it.
MEAL_SCHEDULE_FIELDS = (
    "meal_number",
    "name",
    "scheduled_time",
    "earliest_time",
    "latest_time",
    "notification_offset_minutes",
    "is_active",
)
LOCKED_MESSAGE = "The plan is locked. Unlock it to change it, or recalculate it with a reason."


def _snapshot(plan: MealPlan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in PLAN_FIELDS}


def _validate_meals_per_day(meals_per_day: int) -> None:
    if not MEALS_PER_DAY_MIN <= int(meals_per_day) <= MEALS_PER_DAY_MAX:
        raise ValidationError({"meals_per_day": "Choose 2 to 8 meals a day."})


def plan_inputs_for(*, user: User, today: dt.date | None = None) -> dict[str, Any]:
    """What the targets are computed from, or a ValidationError naming everything still missing and where
    to fill it in."""
    profile = getattr(user, "profile", None)
    weight = body_weight_latest_kg(user=user)
    missing = []
    if profile is None or profile.birth_date is None:
        missing.append("birth date")
    if profile is None or not profile.gender:
        missing.append("sex (gender)")
    if profile is None or profile.height_m is None:
        missing.append("height")
    profile_missing = bool(missing)
    if weight is None:
        missing.append("weight")
    # (Whatever is None is also in `missing`; naming them again tells the type checker.)
    if missing or profile is None or profile.birth_date is None or profile.height_m is None or weight is None:
        where = []
        if profile_missing:
            where.append("your profile at /settings/profile/")
        if weight is None:
            where.append("a weight at /settings/body/")
        raise ValidationError(
            f"To compute your targets we need your {', '.join(missing)}. Please fill in {' and '.join(where)}.",
            code="profile_incomplete",
            params={"missing": missing},
        )
    today = today or timezone.localdate(timezone.now(), user.zone)
    preferences = DietaryPreferences.objects.filter(user=user).values_list("diet_type", flat=True).first()
    return {
        "sex": profile.gender,
        "age": calculations.age_on(profile.birth_date, today),
        "height_cm": (profile.height_m * 100).quantize(Decimal("0.1")),
        "weight_kg": Decimal(weight).quantize(Decimal("0.1")),
        "activity_level": profile.activity_level or "sedentary",
        "goal": profile.primary_goal or "general_fitness",
        "diet_type": preferences or "omnivore",
        "assumed": [
            *(["activity level (sedentary)"] if not profile.activity_level else []),
            *(["goal (general fitness)"] if not profile.primary_goal else []),
        ],
    }


def _apply_targets(plan: MealPlan, *, user: User) -> None:
    inputs = plan_inputs_for(user=user)
    assumed = inputs.pop("assumed")
    targets = calculations.targets_compute(**inputs, unit_system=user)
    for name in COMPUTED_FIELDS:
        setattr(plan, name, getattr(targets, name))
    if assumed:
        plan.rationale += (
            f"\nNot in your profile yet, so assumed: {', '.join(assumed)}. Fill it in at /settings/profile/ "
            "for a closer estimate."
        )
    plan.weight_at_calculation_kg = inputs["weight_kg"]


def _save(plan: MealPlan) -> MealPlan:
    plan.full_clean(exclude=["user"], validate_unique=False)
    plan.save()
    return plan


@transaction.atomic
def meal_plan_calculate(*, user: User, meals_per_day: int | None = None, audit: AuditContext | None = None) -> MealPlan:
    """Creates the plan from the profile and latest weight, or recomputes an unlocked one."""
    plan = MealPlan.objects.select_for_update().filter(user=user).first()
    if plan is not None and plan.is_locked:
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    before = _snapshot(plan) if plan is not None else None
    plan = plan or MealPlan(user=user)
    if meals_per_day is not None:
        _validate_meals_per_day(meals_per_day)
        plan.meals_per_day = int(meals_per_day)
    _apply_targets(plan, user=user)
    plan.last_recalculated_at = timezone.now()
    _save(plan)
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=user,
        entity=plan,
        old_values=before,
        new_values={**_snapshot(plan), "event": "meal_plan_calculate"},
        context=audit,
    )
    return plan


def _locked_plan(user: User) -> MealPlan:
    plan = MealPlan.objects.select_for_update().filter(user=user).first()
    if plan is None:
        raise ValidationError("You have no meal plan yet: compute one first.", code="no_plan")
    return plan


def _number(value: Any, kind: type[int] | type[Decimal]) -> Any:
    """`value` as an int or Decimal, or None when it is not a number (reported as a field error)."""
    try:
        if kind is int:
            return int(value)
        number = Decimal(str(value))
    except (TypeError, ValueError, ArithmeticError):
        return None
    return number if number.is_finite() else None


def meal_plan_adjustments_validate(
    *,
    meals_per_day: int,
    energy_target_kcal: int,
    energy_min_kcal: int,
    energy_max_kcal: int,
    protein_g: Decimal,
    carbohydrate_g: Decimal,
    fat_g: Decimal,
    fiber_g: Decimal | None = None,
) -> dict[str, Any]:
    """Seed 003's rules for a plan's numbers, without saving anything: 2–8 meals, a target of 1,000–5,000 kcal
    strictly between the minimum and the maximum, macros above 0 g whose energy is within ±50 kcal of the
    target. Returns the values with the percentages that follow from the grams; raises field errors."""
    values = {
        "meals_per_day": _number(meals_per_day, int),
        "energy_target_kcal": _number(energy_target_kcal, int),
        "energy_min_kcal": _number(energy_min_kcal, int),
        "energy_max_kcal": _number(energy_max_kcal, int),
        "protein_g": _number(protein_g, Decimal),
        "carbohydrate_g": _number(carbohydrate_g, Decimal),
        "fat_g": _number(fat_g, Decimal),
        "fiber_g": None if fiber_g in (None, "") else _number(fiber_g, Decimal),
    }
    errors: dict[str, list[str]] = {
        name: ["Enter a number."]
        for name, value in values.items()
        if value is None and (name != "fiber_g" or fiber_g not in (None, ""))
    }
    if errors:
        raise ValidationError(errors)
    try:
        _validate_meals_per_day(values["meals_per_day"])
    except ValidationError as error:
        errors.update(error.message_dict)
    target = values["energy_target_kcal"]
    if not calculations.ENERGY_FLOOR <= target <= calculations.ENERGY_CEILING:
        errors.setdefault("energy_target_kcal", []).append("The target must be 1,000–5,000 kcal.")
    if not values["energy_min_kcal"] < target < values["energy_max_kcal"]:
        errors.setdefault("energy_target_kcal", []).append(
            "The target must lie strictly between the minimum and the maximum."
        )
    for name in ("protein_g", "carbohydrate_g", "fat_g"):
        if values[name] <= 0:
            errors.setdefault(name, []).append("Must be more than 0 g.")
    if values["fiber_g"] is not None and values["fiber_g"] < 0:
        errors.setdefault("fiber_g", []).append("Must be 0 g or more.")
    if not errors:
        try:
            calculations.validate_macros_match_energy(
                energy_kcal=target,
                protein_g=values["protein_g"],
                carbohydrate_g=values["carbohydrate_g"],
                fat_g=values["fat_g"],
            )
        except ValidationError as error:
            errors["__all__"] = error.messages
    if errors:
        raise ValidationError(errors)
    values["protein_pct"], values["carbohydrate_pct"], values["fat_pct"] = calculations.macro_percentages(
        protein_g=values["protein_g"], carbohydrate_g=values["carbohydrate_g"], fat_g=values["fat_g"]
    )
    return values


@transaction.atomic
def meal_plan_update(*, user: User, changes: dict[str, Any], audit: AuditContext | None = None) -> MealPlan:
    """Manual adjustments within seed 003's rules; percentages follow from the grams. Refused when locked."""
    unknown = set(changes) - set(ADJUSTABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be adjusted."))
    plan = _locked_plan(user)
    if plan.is_locked:
        raise ValidationError(LOCKED_MESSAGE, code="locked")
    before = _snapshot(plan)
    merged = {name: changes.get(name, getattr(plan, name)) for name in ADJUSTABLE_FIELDS}
    for name, value in meal_plan_adjustments_validate(**merged).items():
        setattr(plan, name, value)
    _save(plan)
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=user,
        entity=plan,
        old_values=before,
        new_values={**_snapshot(plan), "event": "meal_plan_update"},
        context=audit,
    )
    return plan


@transaction.atomic
def meal_plan_lock(*, user: User, audit: AuditContext | None = None) -> MealPlan:
    plan = _locked_plan(user)
    if not plan.is_locked:
        plan.is_locked, plan.locked_at = True, timezone.now()
        plan.save(update_fields=["is_locked", "locked_at", "updated_at"])
        audit_record(
            action=AuditAction.SETTINGS_UPDATE, actor=user, entity=plan, new_values={"is_locked": True}, context=audit
        )
    return plan


@transaction.atomic
def meal_plan_unlock(*, user: User, audit: AuditContext | None = None) -> MealPlan:
    plan = _locked_plan(user)
    if plan.is_locked:
        plan.is_locked, plan.locked_at = False, None
        plan.save(update_fields=["is_locked", "locked_at", "updated_at"])
        audit_record(
            action=AuditAction.SETTINGS_UPDATE, actor=user, entity=plan, new_values={"is_locked": False}, context=audit
        )
    return plan


@transaction.atomic
def meal_plan_recalculate(
    *, user: User, reason: str, by: User | None = None, audit: AuditContext | None = None
) -> MealPlan:
    """Recomputes the targets even when the plan is locked (it stays locked), recording who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the plan is recalculated (e.g. “weight down 3 kg”)."})
    if len(reason) > 1000:
        raise ValidationError({"reason": "Keep the reason under 1,000 characters."})
    plan = _locked_plan(user)
    before = _snapshot(plan)
    _apply_targets(plan, user=user)
    plan.last_recalculated_at = timezone.now()
    plan.recalculation_reason = reason
    plan.recalculated_by = by or user
    _save(plan)
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=by or user,
        subject=user,
        entity=plan,
        old_values=before,
        new_values={**_snapshot(plan), "event": "meal_plan_recalculate", "reason": reason},
        context=audit,
    )
    return plan


# --- Meal schedule -----------------------------------------------------------------------------------

DEFAULT_MEALS = {
    2: [("Breakfast", "08:00"), ("Dinner", "18:30")],
    3: [("Breakfast", "08:00"), ("Lunch", "12:30"), ("Dinner", "18:30")],
    4: [("Breakfast", "07:30"), ("Lunch", "12:00"), ("Afternoon snack", "15:30"), ("Dinner", "19:00")],
    5: [
        ("Breakfast", "07:00"),
        ("Morning snack", "10:00"),
        ("Lunch", "12:30"),
        ("Afternoon snack", "15:30"),
        ("Dinner", "19:00"),
    ],
}


def meal_schedule_suggestion(*, meals_per_day: int) -> list[dict[str, Any]]:
    """A starting schedule for the page: evenly spread meals with ±45-minute windows."""
    names = DEFAULT_MEALS.get(meals_per_day)
    if names is None:
        start, end = 7 * 60, 21 * 60
        step = (end - start) // (meals_per_day - 1)
        names = [
            (f"Meal {i + 1}", f"{(start + i * step) // 60:02d}:{(start + i * step) % 60:02d}")
            for i in range(meals_per_day)
        ]
    window = min(45, (14 * 60 // max(meals_per_day - 1, 1)) // 2 - 1)
    rows = []
    for number, (name, at) in enumerate(names, start=1):
        time = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(at))
        rows.append(
            {
                "meal_number": number,
                "name": name,
                "scheduled_time": time.time(),
                "earliest_time": (time - dt.timedelta(minutes=window)).time(),
                "latest_time": (time + dt.timedelta(minutes=window)).time(),
                "notification_offset_minutes": -15,
                "is_active": True,
            }
        )
    return rows


def _validate_schedule(rows: list[dict[str, Any]]) -> None:
    errors: list[str] = []
    numbers = [row["meal_number"] for row in rows]
    for row in rows:
        label = f"Meal {row['meal_number']} ({row.get('name') or 'unnamed'})"
        if not 1 <= int(row["meal_number"]) <= 8:
            errors.append(f"{label}: the meal number must be 1–8.")
        if numbers.count(row["meal_number"]) > 1:
            errors.append(f"{label}: the meal number is used twice.")
        if not (row.get("name") or "").strip():
            errors.append(f"{label}: give the meal a name.")
        elif len(row["name"]) > 50:
            errors.append(f"{label}: keep the name under 50 characters.")
        if not row["earliest_time"] < row["scheduled_time"] < row["latest_time"]:
            errors.append(f"{label}: the time must lie inside its window (earliest < time < latest).")
        if not -120 <= int(row.get("notification_offset_minutes", -15)) <= 0:
            errors.append(f"{label}: the reminder can be 0–120 minutes before the meal.")
    active = sorted((r for r in rows if r.get("is_active", True)), key=lambda r: r["earliest_time"])
    for first, second in zip(active, active[1:], strict=False):
        if second["earliest_time"] < first["latest_time"]:
            errors.append(
                f"{second['name']}'s window ({second['earliest_time']:%H:%M}–{second['latest_time']:%H:%M}) overlaps "
                f"{first['name']}'s ({first['earliest_time']:%H:%M}–{first['latest_time']:%H:%M})."
            )
    if errors:
        raise ValidationError(sorted(set(errors), key=errors.index))


def _time(value: Any) -> Any:
    """A time given as "HH:MM" (JSON, stored intake answers) as a time; anything else unchanged."""
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            return None
    return value


def meal_schedule_validate(*, meals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a schedule (meal_number, name, scheduled_time, earliest_time, latest_time,
    notification_offset_minutes, is_active) cleaned and checked against seed 003's rules — each time inside
    its window, reminders 0–120 minutes before, no two active windows overlapping — without saving anything.
    Raises a ValidationError whose messages name the meals."""
    rows = []
    for index, row in enumerate(meals, start=1):
        try:
            cleaned = {
                "meal_number": int(row["meal_number"]),
                "name": (row.get("name") or "").strip(),
                "scheduled_time": _time(row["scheduled_time"]),
                "earliest_time": _time(row["earliest_time"]),
                "latest_time": _time(row["latest_time"]),
                "notification_offset_minutes": int(row.get("notification_offset_minutes", -15)),
                "is_active": bool(row.get("is_active", True)),
            }
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValidationError(f"Meal {index}: give its number, name, time and window.") from None
        if not all(isinstance(cleaned[name], dt.time) for name in ("scheduled_time", "earliest_time", "latest_time")):
            raise ValidationError(f"Meal {index}: give its times as HH:MM.")
        rows.append(cleaned)
    _validate_schedule(rows)
    return rows


@transaction.atomic
def meal_schedule_set(*, user: User, meals: list[dict[str, Any]]) -> list[MealSchedule]:
    """Replaces the person's schedule with `meals` (meal_number, name, scheduled_time, earliest_time,
    latest_time, notification_offset_minutes, is_active). Validated here with messages naming the meals;
    the database's exclusion constraint is the backstop for concurrent writes."""
    plan = MealPlan.objects.filter(user=user).first()
    if plan is None:
        raise ValidationError("Compute your meal plan first; the schedule belongs to it.", code="no_plan")
    rows = meal_schedule_validate(meals=meals)
    existing = {s.meal_number: s for s in MealSchedule.objects.select_for_update().filter(user=user)}
    keep = {row["meal_number"] for row in rows}
    MealSchedule.objects.filter(user=user).exclude(meal_number__in=keep).delete()
    saved = []
    try:
        with transaction.atomic():
            # Deactivate first, so rows moving past each other do not collide mid-update.
            MealSchedule.objects.filter(user=user).update(is_active=False)
            for row in rows:
                schedule = existing.get(row["meal_number"]) or MealSchedule(user=user, meal_plan=plan)
                reminded = schedule.last_reminded_on
                moved = not schedule._state.adding and schedule.scheduled_time != row["scheduled_time"]
                for name, value in row.items():
                    setattr(schedule, name, value)
                schedule.meal_plan = plan
                schedule.last_reminded_on = None if moved else reminded
                schedule.save()
                saved.append(schedule)
    except IntegrityError as error:
        if "nutrition_mealschedule_no_overlap" in str(error):
            raise ValidationError("Two meals' eating windows overlap; move one of them.", code="overlap") from error
        raise ValidationError("The schedule breaks a rule; check the numbers and times.") from error
    return saved


def _meal_reminder_message(schedule: MealSchedule, *, with_water: bool) -> str:
    text = (
        f"{schedule.name} is at {schedule.scheduled_time:%H:%M} "
        f"(eat between {schedule.earliest_time:%H:%M} and {schedule.latest_time:%H:%M})."
    )
    if with_water:
        text += " Have a glass of water with it."
    return text


def _meal_reminder_due(schedule: MealSchedule, now: dt.datetime) -> dt.date | None:
    """The meal's local date when its reminder is due now, else None."""
    zone = schedule.user.zone
    local_now = now.astimezone(zone)
    # A reminder can fall on the day before the meal (a 00:30 meal reminded at 23:45).
    for meal_day in (local_now.date(), local_now.date() + dt.timedelta(days=1)):
        due = dt.datetime.combine(meal_day, schedule.scheduled_time, tzinfo=zone) + dt.timedelta(
            minutes=schedule.notification_offset_minutes
        )
        if due <= local_now < due + MEAL_REMINDER_GRACE:
            return meal_day
    return None


def meal_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Sends every due meal reminder: at scheduled_time + offset in the person's local time, once a day per
    meal (last_reminded_on holds the meal's local date), skipping inactive meals and erased accounts.
    A run up to 30 minutes late still sends; a conditional UPDATE makes two overlapping runs send once."""
    now = now or timezone.now()
    sent = 0
    # Active meals of live accounts, with the person and their hydration row (for "drink with meals"):
    # one query for the whole run.
    schedules = (
        MealSchedule.objects.filter(is_active=True, user__deleted_at__isnull=True, user__is_active=True)
        .select_related("user", "user__hydration_preferences")
        .order_by("user_id", "meal_number")
    )
    for schedule in schedules:
        row = f"meal schedule {schedule.pk}"
        with isolated("meal reminders", person=schedule.user_id, row=row, transactional=False) as outcome:
            meal_day = _meal_reminder_due(schedule, now)
        if outcome.failed or meal_day is None:
            continue
        with isolated("meal reminders", person=schedule.user_id, row=row):
            claimed = (
                MealSchedule.objects.filter(pk=schedule.pk)
                .filter(Q(last_reminded_on__isnull=True) | ~Q(last_reminded_on=meal_day))
                .update(last_reminded_on=meal_day)
            )
            if not claimed:
                continue
            hydration = getattr(schedule.user, "hydration_preferences", None)
            with_water = bool(hydration and hydration.reminder_enabled and hydration.remind_with_meals)
            notify(
                user=schedule.user,
                type=NotificationType.REMINDER,
                title=f"{schedule.name} at {schedule.scheduled_time:%H:%M}",
                message=_meal_reminder_message(schedule, with_water=with_water),
                action_url=reverse("nutrition:plan"),
            )
            sent += 1
    return sent
