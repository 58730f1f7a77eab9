"""The intake (seed 003 onboarding): twelve steps, each saved as it is completed, applied at the review.

Saving a step validates its answers with the rules of the app that owns them (the profile's for goals and
body, nutrition's for the diet, plan, meal schedule and water, training's for the workout week), stores
them in OnboardingState.step_data in canonical form (SI units, ISO dates, "HH:MM" times, decimals as
strings) and moves the person on — one transaction; a refused step stores nothing. Only the confirmation
at the review writes the real tables, through the owning apps' services, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import (
    PRIMARY_GOALS,
    ActivityLevel,
    AuditAction,
    ChangedBy,
    FitnessLevel,
    Gender,
    Level,
    LifestyleBaseline,
    Profile,
    SleepQuality,
    UnitSystem,
    User,
    validate_timezone,
)
from accounts.models import Goal as GoalCategory
from accounts.services.audit import AuditContext, audit_record
from accounts.services.body import body_metric_record
from accounts.services.constraints import physical_constraint_clean, physical_constraints_replace
from accounts.services.lifestyle import lifestyle_checkin_record
from accounts.services.profiles import profile_changes_validate, profile_create, profile_unlock, profile_update
from accounts.services.users import user_update_settings
from fitjourney.hooks.changes import days_changed_announce
from nutrition import calculations
from nutrition.models import MealPlan
from nutrition.services.hydration import HYDRATION_FIELDS, hydration_preferences_set, hydration_preferences_validate
from nutrition.services.plans import (
    ADJUSTABLE_FIELDS,
    meal_plan_adjustments_validate,
    meal_plan_calculate,
    meal_plan_lock,
    meal_plan_unlock,
    meal_plan_update,
    meal_schedule_set,
    meal_schedule_validate,
)
from nutrition.services.preferences import PREFERENCE_FIELDS, dietary_preferences_set, dietary_preferences_validate
from training.models import WEEKDAY_FIELDS
from training.services.schedule import WEEKDAY_NAMES, workout_schedule_set, workout_schedule_validate

from ..models import (
    CATEGORY_KIND,
    METRICS,
    Direction,
    Goal,
    GoalKindSlug,
    GoalMetric,
    GoalMilestone,
    GoalRole,
    GoalStatus,
    OnboardingState,
    Step,
)
from ..selectors.goals import metric_current_value
from .goals import milestones_plan

ANSWER_STEPS = tuple(step for step in Step if step != Step.REVIEW)
STEP_COUNT = len(Step)
# Time on a step is the time since the last save, up to this: someone who left for a day did not spend it here.
IDLE_CAP_SECONDS = 30 * 60
WEIGHT_MAX_KG = Decimal(500)
TEXT_MAX = 2000
# Steps whose answers the meal plan step computes its targets from: changing one sends the person back there.
PLAN_INPUT_STEPS = (Step.FITNESS_LEVEL, Step.GOALS, Step.BODY, Step.DIET)
CONFIRM_REASON = "Confirmed in the intake"
RESET_REASON = "Intake reset by staff"

# What each step accepts (the page's forms and the API's serializers send exactly these).
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    Step.WELCOME: ("unit_system", "timezone"),
    Step.FITNESS_LEVEL: ("fitness_level", "activity_level"),
    Step.GOALS: (
        "primary_goal",
        "secondary_goal",
        "target_weight_kg",
        "target_body_fat_pct",
        "target_timeline_weeks",
        "explanation",
    ),
    Step.BODY: ("birth_date", "gender", "height_m", "weight_kg"),
    Step.CONSTRAINTS: ("injuries", "limitations", "equipment", "workout_location", "max_workout_minutes"),
    Step.DIET: PREFERENCE_FIELDS,
    Step.MEAL_PLAN: ADJUSTABLE_FIELDS,
    Step.MEAL_SCHEDULE: ("meals",),
    Step.WORKOUT_SCHEDULE: (
        "days",
        "preferred_time",
        "preferred_duration_minutes",
        "reminder_enabled",
        "reminder_offset_minutes",
        "rest_day_preference",
    ),
    Step.HYDRATION: HYDRATION_FIELDS,
    Step.LIFESTYLE: ("energy_level", "stress_level", "sleep_quality", "sleep_hours", "notes"),
}
INJURY_FIELDS = ("area", "severity", "description")


def step_key(step: int) -> str:
    return f"step_{int(step)}"


# --- Reading the flow --------------------------------------------------------------------------------


def first_incomplete_step(completed_steps: Iterable[int] | None) -> int:
    """The first step with no saved answers, or the review once every step has them."""
    done = set(completed_steps or ())
    return next((step for step in ANSWER_STEPS if step not in done), Step.REVIEW)


def step_reachable(state: OnboardingState | None, step: int) -> bool:
    """Any step already completed, and the first one that is not; never one further ahead."""
    completed = state.completed_steps if state is not None else []
    return step in completed or step <= first_incomplete_step(completed)


def device_type_from(user_agent: str) -> str:
    """A rough guess for the funnel: tablet, mobile, desktop, or script (an HTTP library)."""
    agent = (user_agent or "").lower()
    if not agent:
        return ""
    if "ipad" in agent or "tablet" in agent or ("android" in agent and "mobile" not in agent):
        return "tablet"
    if "mobi" in agent or "iphone" in agent or "android" in agent:
        return "mobile"
    if any(word in agent for word in ("mozilla", "opera", "webkit")):
        return "desktop"
    return "script"


# --- Values in canonical form ------------------------------------------------------------------------


def _canonical(values: dict[str, Any]) -> dict[str, Any]:
    """A step's cleaned answers as they are stored in OnboardingState.step_data (JSON)."""
    stored: dict[str, Any] = _jsonable(values)
    return stored


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


class _Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def merge(self, error: ValidationError, *, rename: dict[str, str] | None = None, default: str = "") -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                name = (rename or {}).get(field, field)
                for message in messages:
                    self.add(default if name == "__all__" and default else name, message)
        else:
            for message in error.messages:
                self.add(default or "__all__", message)


def _unknown(data: dict[str, Any], step: int, errors: _Errors) -> None:
    for name in sorted(set(data) - set(STEP_FIELDS[step])):
        errors.add(name, "Unknown field.")


Data = dict[str, Any]  # a step's answers as given
Answers = dict[str, Any]  # every saved step's answers, by step_key


def _choice(
    data: Data, name: str, choices: Sequence[str], errors: _Errors, *, message: str, required: bool = True
) -> str:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors.add(name, message)
        return ""
    if value not in choices:
        errors.add(name, message)
        return ""
    chosen: str = value
    return chosen


def _decimal(data: Data, name: str, errors: _Errors, *, places: str, required: bool = False) -> Decimal | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors.add(name, "This field is required.")
        return None
    if isinstance(value, bool):
        errors.add(name, "Enter a number.")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.add(name, "Enter a number.")
        return None
    if not number.is_finite():
        errors.add(name, "Enter a number.")
        return None
    return number.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _integer(data: Data, name: str, errors: _Errors, *, required: bool = False) -> int | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors.add(name, "This field is required.")
        return None
    try:
        number = None if isinstance(value, bool) else Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        errors.add(name, "Enter a whole number.")
        return None
    return int(number)


def _date(data: Data, name: str, errors: _Errors, *, required: bool = True) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors.add(name, "This field is required.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, "Enter a date as YYYY-MM-DD.")
        return None


def _text(data: Data, name: str, errors: _Errors) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(name, "Enter text.")
        return ""
    value = value.strip()
    if "\x00" in value:
        errors.add(name, "Null characters are not allowed.")
    elif len(value) > TEXT_MAX:
        errors.add(name, f"At most {TEXT_MAX:,} characters.")
    return value


def _profile_of(user: User) -> Profile:
    """The person's profile, to check answers against its rules (a blank one if the account has none)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def _raise(errors: _Errors) -> None:
    if errors:
        raise ValidationError(dict(errors))


# --- Each step's answers -----------------------------------------------------------------------------


def _clean_welcome(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    unit_system = _choice(data, "unit_system", UnitSystem.values, errors, message="Choose metric or imperial.")
    zone = data.get("timezone")
    if not isinstance(zone, str) or not zone:
        errors.add("timezone", "Choose your time zone.")
    else:
        try:
            validate_timezone(zone)
        except ValidationError as error:
            errors.merge(error, default="timezone")
    _raise(errors)
    return {"unit_system": unit_system, "timezone": zone}


def _clean_fitness(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    cleaned = {
        "fitness_level": _choice(
            data, "fitness_level", FitnessLevel.values, errors, message="Choose beginner, intermediate or advanced."
        ),
        "activity_level": _choice(
            data, "activity_level", ActivityLevel.values, errors, message="Choose how active you are day to day."
        ),
    }
    _raise(errors)
    return cleaned


def _clean_goals(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    primary = _choice(
        data,
        "primary_goal",
        [goal.value for goal in PRIMARY_GOALS],
        errors,
        message="Choose fat loss, muscle gain or general fitness.",
    )
    secondary = _choice(
        data, "secondary_goal", GoalCategory.values, errors, message="Choose a goal from the list.", required=False
    )
    if primary and "secondary_goal" not in errors:
        # The profile's rules (seed 003 goal compatibility): fat loss and muscle gain never pair.
        try:
            profile_changes_validate(
                profile=_profile_of(user), changes={"primary_goal": primary, "secondary_goal": secondary}
            )
        except ValidationError as error:
            errors.merge(error)
    weight = _decimal(data, "target_weight_kg", errors, places="0.01")
    if weight is not None and not 0 < weight < WEIGHT_MAX_KG:
        errors.add("target_weight_kg", "A target weight must be more than 0 and less than 500 kg.")
    body_fat = _decimal(data, "target_body_fat_pct", errors, places="0.01")
    weeks = _integer(data, "target_timeline_weeks", errors)
    explanation = _text(data, "explanation", errors)
    goal = Goal(
        role=GoalRole.PRIMARY,
        category=primary or GoalCategory.GENERAL_FITNESS,
        target_weight_kg=weight,
        target_body_fat_pct=body_fat,
        target_timeline_weeks=weeks,
        explanation=explanation,
    )
    try:
        # The goal's column rules: body fat 3–50 %, a timeline of 1–260 weeks, digits of the weight.
        goal.clean_fields(exclude=["user", "category", "start_date", *errors])
    except ValidationError as error:
        errors.merge(error)
    _raise(errors)
    return _canonical(
        {
            "primary_goal": primary,
            "secondary_goal": secondary,
            "target_weight_kg": weight,
            "target_body_fat_pct": body_fat,
            "target_timeline_weeks": weeks,
            "explanation": explanation,
        }
    )


def _clean_body(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    birth_date = _date(data, "birth_date", errors)
    gender = _choice(data, "gender", Gender.values, errors, message="Choose one of the options.")
    height = _decimal(data, "height_m", errors, places="0.001", required=True)
    weight = _decimal(data, "weight_kg", errors, places="0.01", required=True)
    changes = {
        name: value
        for name, value in (("birth_date", birth_date), ("gender", gender), ("height_m", height))
        if name not in errors
    }
    try:
        # The profile's rules: a birth date from 1900 and not in the future, a height of 0.5–2.75 m.
        profile_changes_validate(profile=_profile_of(user), changes=changes)
    except ValidationError as error:
        errors.merge(error)
    if weight is not None and not 0 < weight < WEIGHT_MAX_KG:
        # Body metrics' rule for weight (exclusive at 0 and 500 kg).
        errors.add("weight_kg", "Your weight must be more than 0 and less than 500 kg.")
    _raise(errors)
    return _canonical({"birth_date": birth_date, "gender": gender, "height_m": height, "weight_kg": weight})


def constraint_rows(answers_4: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Step 4's answers as physical constraint rows, each with the answer field it came from."""
    rows: list[tuple[str, dict[str, Any]]] = []
    for index, injury in enumerate(answers_4.get("injuries") or []):
        rows.append(
            (
                f"injuries[{index}]",
                {
                    "constraint_type": "injury",
                    "category": injury.get("area") or "",
                    "severity": injury.get("severity") or "",
                    "description": injury.get("description") or "",
                },
            )
        )
    if answers_4.get("limitations"):
        rows.append(("limitations", {"constraint_type": "limitation", "description": answers_4["limitations"]}))
    if answers_4.get("equipment"):
        rows.append(("equipment", {"constraint_type": "equipment", "available_equipment": answers_4["equipment"]}))
    rows.append(
        (
            "workout_location",
            {"constraint_type": "location_preference", "workout_location": answers_4.get("workout_location") or ""},
        )
    )
    rows.append(
        (
            "max_workout_minutes",
            {
                "constraint_type": "time_constraint",
                "max_workout_duration_minutes": answers_4.get("max_workout_minutes"),
            },
        )
    )
    return rows


# Constraint fields as the intake's injury rows name them.
_INJURY_NAMES = {"category": "area", "severity": "severity", "description": "description"}


def _clean_constraints(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    injuries = data.get("injuries") or []
    if not isinstance(injuries, list | tuple) or not all(isinstance(row, dict) for row in injuries):
        errors.add("injuries", "Give each injury as its area, severity and description.")
        injuries = []
    elif len(injuries) > 10:
        errors.add("injuries", "At most 10 injuries.")
    for index, injury in enumerate(injuries):
        for name in sorted(set(injury) - set(INJURY_FIELDS)):
            errors.add(f"injuries[{index}].{name}", "Unknown field.")
    equipment = data.get("equipment") or []
    if isinstance(equipment, str) or not isinstance(equipment, list | tuple):
        errors.add("equipment", "Give a list of equipment.")
        equipment = []
    minutes = _integer(data, "max_workout_minutes", errors, required=True)
    answers_4: dict[str, Any] = {
        "injuries": [
            {
                "area": row.get("area") or "",
                "severity": row.get("severity") or "",
                "description": row.get("description") or "",
            }
            for row in injuries
        ],
        "limitations": _text(data, "limitations", errors),
        "equipment": list(dict.fromkeys(equipment)),
        "workout_location": data.get("workout_location") or "",
        "max_workout_minutes": minutes,
    }
    if "max_workout_minutes" not in errors:
        # accounts' rules for each constraint (body areas, severities, known equipment, 15–180 minutes).
        for where, row in constraint_rows(answers_4):
            try:
                physical_constraint_clean(row)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    name = f"{where}.{_INJURY_NAMES.get(field, field)}" if where.startswith("injuries") else where
                    for message in messages:
                        errors.add(name, message)
    _raise(errors)
    for injury in answers_4["injuries"]:
        injury["description"] = injury["description"].strip()
    return answers_4


def _clean_diet(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    # Nutrition's rules (diet types, list lengths, prep minutes, budget).
    return _canonical(dietary_preferences_validate(**data))


def plan_inputs_from(answers: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """What the meal plan's targets are computed from, taken from the answers of steps 1, 2, 3 and 5."""
    fitness = answers.get(step_key(Step.FITNESS_LEVEL)) or {}
    goals = answers.get(step_key(Step.GOALS)) or {}
    body = answers.get(step_key(Step.BODY)) or {}
    diet = answers.get(step_key(Step.DIET)) or {}
    missing = [
        Step(step).label
        for step, needed in (
            (Step.FITNESS_LEVEL, fitness.get("activity_level")),
            (Step.GOALS, goals.get("primary_goal")),
            (Step.BODY, body.get("weight_kg") and body.get("height_m") and body.get("birth_date")),
        )
        if not needed
    ]
    if missing:
        raise ValidationError(f"Answer these steps first: {', '.join(missing)}.", code="incomplete")
    return {
        "sex": body.get("gender") or "",
        "age": calculations.age_on(dt.date.fromisoformat(body["birth_date"]), today),
        "height_cm": (Decimal(body["height_m"]) * 100).quantize(Decimal("0.1")),
        "weight_kg": Decimal(body["weight_kg"]).quantize(Decimal("0.1")),
        "activity_level": fitness["activity_level"],
        "goal": goals["primary_goal"],
        "diet_type": diet.get("diet_type") or "omnivore",
    }


def intake_targets(*, answers: dict[str, Any], today: dt.date) -> calculations.Targets:
    """The targets the meal plan step shows (nutrition's calculation; nothing is written)."""
    return calculations.targets_compute(**plan_inputs_from(answers, today=today))


def meal_plan_defaults(*, answers: dict[str, Any], today: dt.date) -> tuple[calculations.Targets, dict[str, Any]]:
    """The computed targets, and the values the step starts from: the saved adjustments while they were made
    for the same inputs, else the computed targets."""
    targets = intake_targets(answers=answers, today=today)
    saved = answers.get(step_key(Step.MEAL_PLAN)) or {}
    if saved and saved.get("inputs") == targets.inputs:
        return targets, {name: saved.get(name) for name in ADJUSTABLE_FIELDS}
    values = {name: getattr(targets, name) for name in ADJUSTABLE_FIELDS if name != "meals_per_day"}
    values["meals_per_day"] = saved.get("meals_per_day") or 3
    return targets, _jsonable(values)


def _clean_meal_plan(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    targets, defaults = meal_plan_defaults(answers=answers, today=user.local_today())
    merged = {**defaults, **{name: value for name, value in data.items() if value not in (None, "")}}
    if "fiber_g" in data and data["fiber_g"] in (None, ""):
        merged["fiber_g"] = None
    # Nutrition's rules: 2–8 meals, 1,000–5,000 kcal between the minimum and maximum, macros within ±50 kcal.
    values = meal_plan_adjustments_validate(**merged)
    return _canonical({**values, "inputs": targets.inputs})


def _clean_meal_schedule(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    meals = data.get("meals")
    if not isinstance(meals, list | tuple) or not meals:
        raise ValidationError({"meals": ["Plan at least one meal."]})
    if not all(isinstance(row, dict) for row in meals):
        raise ValidationError({"meals": ["Give each meal as its number, name, time and window."]})
    try:
        # Nutrition's rules: each time inside its window, windows that do not overlap, reminders 0–120 min.
        rows = meal_schedule_validate(meals=list(meals))
    except ValidationError as error:
        raise ValidationError({"meals": error.messages}) from None
    if not any(row["is_active"] for row in rows):
        raise ValidationError({"meals": ["Keep at least one meal active."]})
    return _canonical({"meals": sorted(rows, key=lambda row: row["meal_number"])})


def _clean_workout_schedule(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    fields = dict(data)
    fields.setdefault("days", [])
    for name, message in (
        ("preferred_time", "When do you like to train?"),
        ("preferred_duration_minutes", "How long is a workout?"),
    ):
        if fields.get(name) in (None, ""):
            errors.add(name, message)
    try:
        # Training's rules: at least one day, 15–180 minutes, a reminder 0–720 minutes before.
        values = workout_schedule_validate(**fields)
    except ValidationError as error:
        errors.merge(error)
    _raise(errors)
    days = [name for name, field in zip(WEEKDAY_NAMES, WEEKDAY_FIELDS, strict=True) if values[field]]
    return _canonical(
        {
            "days": days,
            "preferred_time": values["preferred_time"],
            "preferred_duration_minutes": values["preferred_duration_minutes"],
            "reminder_enabled": values["reminder_enabled"],
            "reminder_offset_minutes": values["reminder_offset_minutes"],
            "rest_day_preference": values["rest_day_preference"],
        }
    )


def _clean_hydration(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    # Nutrition's rules: 500–10,000 ml, every 15–480 minutes, a window that ends after it starts.
    values = hydration_preferences_validate(**data)
    return _canonical(values)


def _clean_lifestyle(data: Data, *, user: User, answers: Answers) -> dict[str, Any]:
    errors = _Errors()
    levels = "Choose low, medium or high."
    cleaned = {
        "energy_level": _choice(data, "energy_level", Level.values, errors, message=levels),
        "stress_level": _choice(data, "stress_level", Level.values, errors, message=levels),
        "sleep_quality": _choice(
            data, "sleep_quality", SleepQuality.values, errors, message="Choose poor, fair, good or excellent."
        ),
        "sleep_hours": _decimal(data, "sleep_hours", errors, places="0.1"),
        "notes": _text(data, "notes", errors),
    }
    if cleaned["sleep_hours"] is not None and "sleep_hours" not in errors:
        try:
            # The check-in's rule: 0–24 hours of sleep.
            LifestyleBaseline(sleep_hours=cleaned["sleep_hours"]).clean_fields(
                exclude=[name for name in STEP_FIELDS[Step.LIFESTYLE] if name != "sleep_hours"] + ["user"]
            )
        except ValidationError as error:
            errors.merge(error)
    _raise(errors)
    return _canonical(cleaned)


class _Cleaner(Protocol):
    def __call__(self, data: Data, *, user: User, answers: Answers) -> dict[str, Any]: ...


CLEANERS: dict[int, _Cleaner] = {
    Step.WELCOME: _clean_welcome,
    Step.FITNESS_LEVEL: _clean_fitness,
    Step.GOALS: _clean_goals,
    Step.BODY: _clean_body,
    Step.CONSTRAINTS: _clean_constraints,
    Step.DIET: _clean_diet,
    Step.MEAL_PLAN: _clean_meal_plan,
    Step.MEAL_SCHEDULE: _clean_meal_schedule,
    Step.WORKOUT_SCHEDULE: _clean_workout_schedule,
    Step.HYDRATION: _clean_hydration,
    Step.LIFESTYLE: _clean_lifestyle,
}


def intake_step_validate(*, user: User, step: int, data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """A step's answers checked and in canonical form, without saving anything. Raises field errors."""
    if not isinstance(data, dict):
        raise ValidationError({"__all__": ["Send the step's answers as an object."]})
    errors = _Errors()
    _unknown(data, step, errors)
    _raise(errors)
    return CLEANERS[step](data, user=user, answers=answers)


# --- Writes ------------------------------------------------------------------------------------------


def _check_step(step: Any) -> Step:
    if isinstance(step, bool) or not isinstance(step, int) or step not in Step.values:
        raise ValidationError({"step": [f"There is no step {step}: the steps are 0 to {STEP_COUNT - 1}."]})
    return Step(step)


def _check_open(user: User) -> None:
    if user.intake_completed_at is not None:
        raise ValidationError({"step": ["Your intake is complete; change your answers in your settings."]})


def _spend_time(state: OnboardingState, step: int, *, since: dt.datetime, now: dt.datetime) -> None:
    seconds = min(max((now - since).total_seconds(), 0.0), IDLE_CAP_SECONDS)
    spent = dict(state.step_seconds or {})
    spent[str(step)] = round(float(spent.get(str(step), 0)) + seconds, 1)
    state.step_seconds = spent


@transaction.atomic
def intake_step_save(
    *,
    user: User,
    step: int,
    data: dict[str, Any],
    session_id: str = "",
    user_agent: str = "",
    now: dt.datetime | None = None,
) -> OnboardingState:
    """Validates and stores one step's answers and moves the person to the next step without answers (the
    review once all have them). The welcome step also sets the account's units and time zone, so the
    following steps speak them. A refused step changes nothing."""
    now = now or timezone.now()
    step = _check_step(step)
    if step == Step.REVIEW:
        raise ValidationError({"step": ["The review has nothing to save: confirm it instead."]})
    _check_open(user)
    state, created = OnboardingState.objects.select_for_update().get_or_create(user=user)
    if not step_reachable(state, step):
        missing = Step(first_incomplete_step(state.completed_steps)).label
        raise ValidationError({"step": [f"Answer “{missing}” first."]})
    answers = dict(state.step_data or {})
    cleaned = intake_step_validate(user=user, step=step, data=data, answers=answers)

    if step == Step.WELCOME:
        changes = {name: value for name, value in cleaned.items() if getattr(user, name) != value}
        if changes:
            user_update_settings(user=user, **changes)

    key = step_key(step)
    previous = answers.get(key)
    answers[key] = cleaned
    completed = set(state.completed_steps) | {step}
    if step in PLAN_INPUT_STEPS and previous is not None and previous != cleaned:
        # The targets change with these answers: the plan step is shown again before the review.
        completed.discard(Step.MEAL_PLAN)
    state.step_data = answers
    state.completed_steps = sorted(completed)
    state.current_step = first_incomplete_step(completed)
    # The first save measures from the login that brought the person here.
    _spend_time(state, step, since=(user.last_login or now) if created else state.last_activity_at, now=now)
    state.last_activity_at = now
    state.session_id = (session_id or "")[:255]
    state.user_agent = (user_agent or "")[:1000]
    state.device_type = device_type_from(user_agent)
    state.save()
    return state


def _answers_checked(user: User, state: OnboardingState) -> dict[int, dict[str, Any]]:
    """Every step's saved answers, checked again (rules may have changed since they were saved)."""
    missing = [step for step in ANSWER_STEPS if step not in state.completed_steps]
    if missing:
        messages = [f"Step {step + 1} of {STEP_COUNT} ({Step(step).label}) is not answered yet." for step in missing]
        raise ValidationError({"steps": messages})
    answers = state.step_data or {}
    checked: dict[int, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for step in ANSWER_STEPS:
        saved = answers.get(step_key(step)) or {}
        given = {name: value for name, value in saved.items() if name in STEP_FIELDS[step]}
        try:
            checked[step] = CLEANERS[step](given, user=user, answers=answers)
        except ValidationError as error:
            errors[step_key(step)] = error.messages
    if errors:
        raise ValidationError(errors)
    return checked


@contextmanager
def _applying(step: int) -> Iterator[None]:
    """Reports a refusal by an app's service under the step whose answers it concerns."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError({step_key(step): error.messages}) from error


def _goals_replace(*, user: User, goals: dict[str, Any], weight_kg: Decimal, now: dt.datetime) -> list[Goal]:
    """The intake's goals become the person's active ones; the intake's goals active until now (and a body
    goal the new one would measure again) are set aside. A target weight makes the primary goal a
    body-weight goal from today's weight, with milestones; else a target body fat a body-fat goal."""
    today = timezone.localdate(now, user.zone)
    target_date = today + dt.timedelta(weeks=goals["target_timeline_weeks"]) if goals["target_timeline_weeks"] else None
    primary = Goal(
        user=user,
        role=GoalRole.PRIMARY,
        category=goals["primary_goal"],
        kind=CATEGORY_KIND[GoalCategory(goals["primary_goal"])],
        target_weight_kg=Decimal(goals["target_weight_kg"]) if goals["target_weight_kg"] else None,
        target_body_fat_pct=Decimal(goals["target_body_fat_pct"]) if goals["target_body_fat_pct"] else None,
        target_timeline_weeks=goals["target_timeline_weeks"],
        explanation=goals["explanation"],
        priority=1,
        start_date=today,
    )
    start: Decimal | None = None
    if primary.target_weight_kg is not None and primary.target_weight_kg != weight_kg:
        primary.metric, primary.target_value, start = GoalMetric.BODY_WEIGHT, primary.target_weight_kg, weight_kg
    elif primary.target_body_fat_pct is not None:
        primary.metric, primary.target_value = GoalMetric.BODY_FAT, primary.target_body_fat_pct
        start = metric_current_value(user=user, metric=GoalMetric.BODY_FAT, today=today)
        if start == primary.target_value:
            primary.metric, primary.target_value, start = "", None, None
    if primary.metric:
        assert primary.target_value is not None
        primary.kind = GoalKindSlug.BODY_COMPOSITION
        primary.unit = METRICS[primary.metric].unit
        primary.start_value = primary.current_value = start
        primary.target_date = target_date
        if start is not None:
            primary.direction = Direction.DOWN if primary.target_value < start else Direction.UP
        else:
            primary.direction = Direction.UP if goals["primary_goal"] == GoalCategory.MUSCLE_GAIN else Direction.DOWN
        primary.title = f"Reach {primary.target_value.normalize():f} {primary.unit}"
    aside = Q(status=GoalStatus.ACTIVE) & (~Q(role="") | Q(metric=primary.metric or "-", exercise=None, habit=None))
    Goal.objects.filter(aside, user=user).update(status=GoalStatus.ABANDONED, updated_at=now)
    rows = [primary]
    if goals["secondary_goal"]:
        category = GoalCategory(goals["secondary_goal"])
        rows.append(
            Goal(
                user=user,
                role=GoalRole.SECONDARY,
                category=category,
                kind=CATEGORY_KIND[category],
                priority=2,
                start_date=today,
            )
        )
    created = Goal.objects.bulk_create(rows)
    if primary.metric:
        GoalMilestone.objects.bulk_create(
            GoalMilestone(goal=primary, value=value, percent=percent, target_date=due)
            for percent, value, due in milestones_plan(primary)
        )
    return created


def _meal_plan_apply(*, user: User, plan_answers: dict[str, Any]) -> None:
    plan = MealPlan.objects.filter(user=user).only("is_locked").first()
    if plan is not None and plan.is_locked:
        meal_plan_unlock(user=user)  # a person resetting the intake computes it again from the new answers
    meal_plan_calculate(user=user, meals_per_day=plan_answers["meals_per_day"])
    meal_plan_update(user=user, changes={name: plan_answers[name] for name in ADJUSTABLE_FIELDS})
    meal_plan_lock(user=user)


@transaction.atomic
def intake_confirm(*, user: User, audit: AuditContext | None = None) -> OnboardingState | None:
    """Applies every answer through the owning apps' services and completes the intake, all in one
    transaction: the profile (with the lock, as one new version), the weight, the goals, the physical
    constraints, the diet, the meal plan (locked), the meal schedule, the workout week, water and a first
    lifestyle check-in. Confirming a complete intake again does nothing (and returns its state, if any).
    `audit` says where the confirmation came from, for the audit trail."""
    if user.intake_completed_at is not None:
        return OnboardingState.objects.filter(user=user).first()
    state, _ = OnboardingState.objects.select_for_update().get_or_create(user=user)
    if state.completed_at is not None:
        return state
    answers = _answers_checked(user, state)
    now = timezone.now()

    with _applying(Step.WELCOME):
        welcome = answers[Step.WELCOME]
        changes = {name: value for name, value in welcome.items() if getattr(user, name) != value}
        if changes:
            user_update_settings(user=user, **changes)

    body, goals, lifestyle = answers[Step.BODY], answers[Step.GOALS], answers[Step.LIFESTYLE]
    with _applying(Step.BODY):
        profile = Profile.objects.filter(user=user).first() or profile_create(user=user)
        # The profile's own audit row has no IP or user agent here until accounts' profile services take an
        # AuditContext (they still take a request); the intake_confirm row below carries them.
        profile = profile_update(
            profile=profile,
            changes={
                "fitness_level": answers[Step.FITNESS_LEVEL]["fitness_level"],
                "activity_level": answers[Step.FITNESS_LEVEL]["activity_level"],
                "primary_goal": goals["primary_goal"],
                "secondary_goal": goals["secondary_goal"],
                "birth_date": dt.date.fromisoformat(body["birth_date"]),
                "gender": body["gender"],
                "height_m": Decimal(body["height_m"]),
                "energy_level": lifestyle["energy_level"],
                "stress_level": lifestyle["stress_level"],
                "sleep_quality": lifestyle["sleep_quality"],
            },
            reason=CONFIRM_REASON,
            changed_by=ChangedBy.USER,
            changed_by_user=user,
            audit=audit,
            lock=True,
        )
        user.profile = profile  # the meal plan reads the profile from the person
        body_metric_record(user=user, metric_type="weight", value=Decimal(body["weight_kg"]), recorded_by=user)
    with _applying(Step.GOALS):
        _goals_replace(user=user, goals=goals, weight_kg=Decimal(body["weight_kg"]), now=now)
    with _applying(Step.CONSTRAINTS):
        physical_constraints_replace(
            user=user, constraints=[row for _, row in constraint_rows(answers[Step.CONSTRAINTS])]
        )
    with _applying(Step.DIET):
        dietary_preferences_set(user=user, **answers[Step.DIET])
    with _applying(Step.MEAL_PLAN):
        _meal_plan_apply(user=user, plan_answers=answers[Step.MEAL_PLAN])
    with _applying(Step.MEAL_SCHEDULE):
        meal_schedule_set(user=user, meals=answers[Step.MEAL_SCHEDULE]["meals"])
    with _applying(Step.WORKOUT_SCHEDULE):
        workout_schedule_set(user=user, **answers[Step.WORKOUT_SCHEDULE])
    with _applying(Step.HYDRATION):
        hydration_preferences_set(user=user, **answers[Step.HYDRATION])
    with _applying(Step.LIFESTYLE):
        lifestyle_checkin_record(
            user=user,
            energy_level=lifestyle["energy_level"],
            stress_level=lifestyle["stress_level"],
            sleep_quality=lifestyle["sleep_quality"],
            sleep_hours=Decimal(lifestyle["sleep_hours"]) if lifestyle["sleep_hours"] else None,
            notes=lifestyle["notes"],
            data_source="user_input",
        )

    _spend_time(state, Step.REVIEW, since=state.last_activity_at, now=now)
    state.completed_steps = [step.value for step in Step]
    state.current_step = Step.REVIEW
    state.completed_at = now
    state.last_activity_at = now
    state.save(
        update_fields=[
            "completed_steps",
            "current_step",
            "completed_at",
            "last_activity_at",
            "step_seconds",
            "updated_at",
        ]
    )
    User.objects.filter(pk=user.pk).update(intake_completed_at=now)
    user.intake_completed_at = now
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=user,
        entity=state,
        new_values={"event": "intake_confirm", "flow_version": state.flow_version},
        context=audit,
    )
    # Today's summary now has targets and goals to measure against.
    days_changed_announce(user_id=user.pk, dates=[timezone.localdate(now, user.zone)], source="coaching.intake")
    return state


@transaction.atomic
def intake_reset(*, user: User, by: User, audit: AuditContext | None = None) -> OnboardingState:
    """Staff send a person through the intake again (seed 003 reset-onboarding): the profile is unlocked with
    a reason, so the current one stays as a version; the answers are kept to pre-fill the steps. `audit`
    says where the staff member acted from."""
    state, _ = OnboardingState.objects.select_for_update().get_or_create(user=user)
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.is_locked:
        profile_unlock(
            profile=profile, reason=RESET_REASON, changed_by=ChangedBy.ADMIN, changed_by_user=by, audit=audit
        )
    before = {
        "current_step": state.current_step,
        "completed_steps": list(state.completed_steps),
        "completed_at": state.completed_at,
        "reset_count": state.reset_count,
    }
    state.current_step = Step.WELCOME
    state.completed_steps = []
    state.completed_at = None
    state.reset_count += 1
    state.save(update_fields=["current_step", "completed_steps", "completed_at", "reset_count", "updated_at"])
    User.objects.filter(pk=user.pk).update(intake_completed_at=None)
    user.intake_completed_at = None
    audit_record(
        action=AuditAction.ADMIN_CHANGE,
        actor=by,
        subject=user,
        entity=state,
        old_values=before,
        new_values={
            "event": "intake_reset",
            "current_step": state.current_step,
            "completed_steps": [],
            "completed_at": None,
            "reset_count": state.reset_count,
        },
        context=audit,
    )
    return state


__all__ = [
    "ANSWER_STEPS",
    "STEP_COUNT",
    "STEP_FIELDS",
    "constraint_rows",
    "device_type_from",
    "first_incomplete_step",
    "intake_confirm",
    "intake_reset",
    "intake_step_save",
    "intake_step_validate",
    "intake_targets",
    "meal_plan_defaults",
    "plan_inputs_from",
    "step_key",
    "step_reachable",
]
