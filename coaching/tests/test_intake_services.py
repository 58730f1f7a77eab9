"""The intake's services: each step's validation (refused steps store nothing), the flow (resume, back and
forward, no skipping), the confirmation that writes everything in one transaction, and the staff reset."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import (
    AuditAction,
    AuditLog,
    BodyMetric,
    ChangedBy,
    LifestyleBaseline,
    PhysicalConstraint,
    Profile,
    ProfileVersion,
    User,
)
from accounts.tests.factories import UserFactory
from coaching.models import Goal, GoalStatus, OnboardingState, Step
from coaching.services import intake as services
from fitjourney.hooks.changes import days_changed
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import DietaryPreferences, HydrationPreferences, MealPlan, MealSchedule
from training.models import WorkoutSchedule

from .intake_kit import ANSWERS, answer_steps, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    return UserFactory(intake_completed_at=None)


def _state(user) -> OnboardingState | None:
    return OnboardingState.objects.filter(user=user).first()


def _refused(user, step, data) -> dict[str, list[str]]:
    """Saves `data` expecting a refusal that changes nothing; returns the field errors."""
    before = OnboardingState.objects.filter(user=user).values().first()
    with pytest.raises(ValidationError) as error:
        services.intake_step_save(user=user, step=step, data=data)
    assert OnboardingState.objects.filter(user=user).values().first() == before
    return error.value.message_dict


# --- Saving steps ------------------------------------------------------------------------------------


def test_saving_a_step_stores_its_answers_and_moves_to_the_next(newcomer):
    state = services.intake_step_save(
        user=newcomer, step=Step.WELCOME, data=answers(Step.WELCOME), session_id="abc", user_agent="Mozilla/5.0 (X11)"
    )
    assert state.completed_steps == [0]
    assert state.current_step == Step.FITNESS_LEVEL
    assert state.step_data == {"step_0": {"unit_system": "metric", "timezone": "Europe/Berlin"}}
    assert (state.session_id, state.device_type, state.flow_version) == ("abc", "desktop", "1.0")
    assert _state(newcomer).step_data == state.step_data


def test_the_welcome_step_sets_the_accounts_units_and_time_zone(newcomer):
    services.intake_step_save(
        user=newcomer, step=Step.WELCOME, data={"unit_system": "imperial", "timezone": "America/Chicago"}
    )
    newcomer.refresh_from_db()
    assert (newcomer.unit_system, newcomer.timezone) == ("imperial", "America/Chicago")


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148", "mobile"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36", "mobile"),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", "tablet"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0", "desktop"),
        ("python-requests/2.32", "script"),
        ("", ""),
    ],
)
def test_it_guesses_the_device_from_the_user_agent(newcomer, user_agent, device):
    state = services.intake_step_save(
        user=newcomer, step=Step.WELCOME, data=answers(Step.WELCOME), user_agent=user_agent
    )
    assert state.device_type == device
    assert state.user_agent == user_agent


def test_time_on_a_step_is_measured_from_the_previous_save_and_capped(newcomer):
    start = timezone.now()
    services.intake_step_save(user=newcomer, step=Step.WELCOME, data=answers(Step.WELCOME), now=start)
    services.intake_step_save(
        user=newcomer,
        step=Step.FITNESS_LEVEL,
        data=answers(Step.FITNESS_LEVEL),
        now=start + dt.timedelta(seconds=41.5),
    )
    # Revisiting adds to the step's time.
    services.intake_step_save(
        user=newcomer,
        step=Step.FITNESS_LEVEL,
        data=answers(Step.FITNESS_LEVEL),
        now=start + dt.timedelta(seconds=51.5),
    )
    # A day away counts as 30 minutes at most.
    state = services.intake_step_save(
        user=newcomer, step=Step.GOALS, data=answers(Step.GOALS), now=start + dt.timedelta(days=1)
    )
    assert state.step_seconds["1"] == 51.5
    assert state.step_seconds["2"] == services.IDLE_CAP_SECONDS
    assert state.last_activity_at == start + dt.timedelta(days=1)


def test_a_refused_first_step_leaves_no_state(newcomer):
    _refused(newcomer, Step.WELCOME, {"unit_system": "furlongs", "timezone": "Europe/Berlin"})
    assert _state(newcomer) is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"unit_system": "furlongs", "timezone": "Europe/Berlin"}, "unit_system"),
        ({"unit_system": "metric", "timezone": "Mars/Olympus"}, "timezone"),
        ({"unit_system": "metric"}, "timezone"),
        ({"unit_system": "metric", "timezone": "UTC", "colour": "blue"}, "colour"),
    ],
)
def test_the_welcome_step_refuses_bad_values(newcomer, data, field):
    assert field in _refused(newcomer, Step.WELCOME, data)
    newcomer.refresh_from_db()
    assert newcomer.timezone == "UTC"


def test_an_incompatible_goal_pair_is_refused_and_nothing_of_the_step_is_saved(newcomer):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    errors = _refused(newcomer, Step.GOALS, answers(Step.GOALS, primary_goal="fat_loss", secondary_goal="muscle_gain"))
    assert "cannot be paired" in " ".join(errors["secondary_goal"])
    assert "step_2" not in _state(newcomer).step_data


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"primary_goal": "strength"}, "primary_goal"),  # not a primary goal (seed 003)
        ({"secondary_goal": "fat_loss"}, "secondary_goal"),  # the same as the primary one
        ({"target_body_fat_pct": Decimal("2.9")}, "target_body_fat_pct"),
        ({"target_body_fat_pct": Decimal("50.5")}, "target_body_fat_pct"),
        ({"target_weight_kg": Decimal("0")}, "target_weight_kg"),
        ({"target_weight_kg": Decimal("500")}, "target_weight_kg"),
        ({"target_timeline_weeks": 0}, "target_timeline_weeks"),
        ({"target_timeline_weeks": 261}, "target_timeline_weeks"),
        ({"target_timeline_weeks": "soon"}, "target_timeline_weeks"),
        ({"explanation": "x" * 2001}, "explanation"),
    ],
)
def test_the_goals_step_refuses_values_outside_the_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    assert field in _refused(newcomer, Step.GOALS, answers(Step.GOALS, **changes))


@pytest.mark.parametrize("body_fat", [Decimal(3), Decimal(50)])
def test_body_fat_targets_of_3_and_50_percent_are_accepted(newcomer, body_fat):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    state = services.intake_step_save(
        user=newcomer, step=Step.GOALS, data=answers(Step.GOALS, target_body_fat_pct=body_fat)
    )
    assert Decimal(state.step_data["step_2"]["target_body_fat_pct"]) == body_fat


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight_kg": Decimal("0")}, "weight_kg"),
        ({"weight_kg": Decimal("-3")}, "weight_kg"),
        ({"weight_kg": Decimal("500")}, "weight_kg"),
        ({"weight_kg": "heavy"}, "weight_kg"),
        ({"height_m": Decimal("3.1")}, "height_m"),
        ({"height_m": Decimal("0.3")}, "height_m"),
        ({"birth_date": dt.date(1899, 12, 31)}, "birth_date"),
        ({"birth_date": timezone.localdate() + dt.timedelta(days=2)}, "birth_date"),
        ({"gender": "robot"}, "gender"),
        ({"birth_date": None}, "birth_date"),
    ],
)
def test_the_body_step_refuses_values_outside_the_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.GOALS)
    assert field in _refused(newcomer, Step.BODY, answers(Step.BODY, **changes))


def test_the_body_step_stores_si_units(newcomer):
    state = answer_steps(newcomer, Step.BODY)
    assert state.step_data["step_3"] == {
        "birth_date": "1990-05-17",
        "gender": "female",
        "height_m": "1.700",
        "weight_kg": "78.50",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"max_workout_minutes": 14}, "max_workout_minutes"),
        ({"max_workout_minutes": 181}, "max_workout_minutes"),
        ({"workout_location": "moon"}, "workout_location"),
        ({"workout_location": ""}, "workout_location"),
        ({"equipment": ["dumbbell", "time machine"]}, "equipment"),
        ({"injuries": [{"area": "knee", "severity": ""}]}, "injuries[0].severity"),
        ({"injuries": [{"area": "", "severity": "mild"}]}, "injuries[0].area"),
        ({"injuries": [{"area": "tail", "severity": "mild"}]}, "injuries[0].area"),
        ({"injuries": [{"area": "knee", "severity": "mild", "colour": "red"}]}, "injuries[0].colour"),
    ],
)
def test_the_constraints_step_refuses_values_outside_the_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.BODY)
    assert field in _refused(newcomer, Step.CONSTRAINTS, answers(Step.CONSTRAINTS, **changes))


@pytest.mark.parametrize("minutes", [15, 180])
def test_workout_limits_of_15_and_180_minutes_are_accepted(newcomer, minutes):
    answer_steps(newcomer, Step.BODY)
    state = services.intake_step_save(
        user=newcomer, step=Step.CONSTRAINTS, data=answers(Step.CONSTRAINTS, max_workout_minutes=minutes)
    )
    assert state.step_data["step_4"]["max_workout_minutes"] == minutes


def test_the_diet_step_uses_nutritions_rules(newcomer):
    answer_steps(newcomer, Step.CONSTRAINTS)
    errors = _refused(newcomer, Step.DIET, {"diet_type": "other", "diet_type_other": ""})
    assert "diet_type_other" in errors
    assert "max_prep_minutes" in _refused(newcomer, Step.DIET, {"diet_type": "vegan", "max_prep_minutes": 2})
    state = services.intake_step_save(user=newcomer, step=Step.DIET, data=answers(Step.DIET))
    assert state.step_data["step_5"]["dislikes"] == ["olives", "mushrooms"]


def test_the_meal_plan_step_starts_from_the_computed_targets(newcomer):
    state = answer_steps(newcomer, Step.MEAL_PLAN)
    targets = services.intake_targets(answers=state.step_data, today=newcomer.local_today())
    saved = state.step_data["step_6"]
    assert saved["energy_target_kcal"] == targets.energy_target_kcal
    assert Decimal(saved["protein_g"]) == targets.protein_g
    assert saved["meals_per_day"] == 3
    assert saved["inputs"]["diet_type"] == "vegetarian" and saved["inputs"]["goal"] == "fat_loss"


def test_the_meal_plan_step_takes_adjustments_within_the_rules(newcomer):
    answer_steps(newcomer, Step.DIET)
    # 150·4 + 200·4 + 60·9 = 1940, within ±50 kcal of 1,950.
    adjusted = {
        "meals_per_day": 4,
        "energy_target_kcal": 1950,
        "energy_min_kcal": 1800,
        "energy_max_kcal": 2100,
        "protein_g": Decimal(150),
        "carbohydrate_g": Decimal(200),
        "fat_g": Decimal(60),
    }
    state = services.intake_step_save(user=newcomer, step=Step.MEAL_PLAN, data=adjusted)
    saved = state.step_data["step_6"]
    assert (saved["energy_target_kcal"], saved["meals_per_day"], saved["protein_g"]) == (1950, 4, "150")
    assert Decimal(saved["protein_pct"]) + Decimal(saved["carbohydrate_pct"]) + Decimal(saved["fat_pct"]) == 100


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"protein_g": Decimal(400)}, "__all__"),  # macros far above the target
        ({"energy_target_kcal": 999, "energy_min_kcal": 900}, "energy_target_kcal"),
        ({"energy_target_kcal": 5001, "energy_max_kcal": 5200}, "energy_target_kcal"),
        ({"energy_min_kcal": 3000}, "energy_target_kcal"),  # the target must lie between min and max
        ({"meals_per_day": 1}, "meals_per_day"),
        ({"meals_per_day": 9}, "meals_per_day"),
        ({"fat_g": Decimal(0)}, "fat_g"),
    ],
)
def test_the_meal_plan_step_refuses_adjustments_outside_the_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.DIET)
    assert field in _refused(newcomer, Step.MEAL_PLAN, changes)


def test_overlapping_meal_windows_are_refused_with_a_message_and_nothing_is_saved(newcomer):
    answer_steps(newcomer, Step.MEAL_PLAN)
    meals = answers(Step.MEAL_SCHEDULE)["meals"]
    meals[1]["earliest_time"] = dt.time(8, 0)  # lunch's window now starts inside breakfast's (07:00–08:30)
    meals[1]["scheduled_time"] = dt.time(9, 0)
    errors = _refused(newcomer, Step.MEAL_SCHEDULE, {"meals": meals})
    assert "overlaps" in " ".join(errors["meals"])
    assert "step_7" not in _state(newcomer).step_data


@pytest.mark.parametrize(
    "meals",
    [
        [],
        [{"meal_number": 1, "name": "Brunch", "scheduled_time": dt.time(9), "earliest_time": dt.time(10),
          "latest_time": dt.time(11)}],
        [{"meal_number": 1, "name": "", "scheduled_time": dt.time(9), "earliest_time": dt.time(8),
          "latest_time": dt.time(10)}],
        [{"meal_number": 1, "name": "Brunch", "scheduled_time": dt.time(9), "earliest_time": dt.time(8),
          "latest_time": dt.time(10), "is_active": False}],
        [{"meal_number": 1, "name": "Brunch"}],
    ],
)  # fmt: skip
def test_the_meal_schedule_step_refuses_bad_schedules(newcomer, meals):
    answer_steps(newcomer, Step.MEAL_PLAN)
    assert "meals" in _refused(newcomer, Step.MEAL_SCHEDULE, {"meals": meals})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days": []}, "days"),
        ({"days": ["someday"]}, "days"),
        ({"preferred_duration_minutes": 14}, "preferred_duration_minutes"),
        ({"preferred_duration_minutes": 181}, "preferred_duration_minutes"),
        ({"preferred_duration_minutes": None}, "preferred_duration_minutes"),
        ({"preferred_time": None}, "preferred_time"),
        ({"reminder_offset_minutes": 15}, "reminder_offset_minutes"),
        ({"reminder_offset_minutes": -721}, "reminder_offset_minutes"),
        ({"rest_day_preference": "never"}, "rest_day_preference"),
    ],
)
def test_the_workout_schedule_step_refuses_values_outside_the_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.MEAL_SCHEDULE)
    errors = _refused(newcomer, Step.WORKOUT_SCHEDULE, answers(Step.WORKOUT_SCHEDULE, **changes))
    assert field in errors
    if field == "days" and not changes["days"]:
        assert errors["days"] == ["Pick at least one workout day."]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"daily_target_ml": 499}, "daily_target_ml"),
        ({"daily_target_ml": 10001}, "daily_target_ml"),
        ({"reminder_every_minutes": 10}, "reminder_every_minutes"),
        ({"reminder_start": dt.time(22), "reminder_end": dt.time(8)}, "reminder_end"),
        ({"tone": "shouty"}, "tone"),
    ],
)
def test_the_hydration_step_uses_nutritions_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.WORKOUT_SCHEDULE)
    assert field in _refused(newcomer, Step.HYDRATION, answers(Step.HYDRATION, **changes))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"energy_level": "extreme"}, "energy_level"),
        ({"stress_level": ""}, "stress_level"),
        ({"sleep_quality": "dreamy"}, "sleep_quality"),
        ({"sleep_hours": Decimal("24.5")}, "sleep_hours"),
        ({"sleep_hours": Decimal("-1")}, "sleep_hours"),
    ],
)
def test_the_lifestyle_step_refuses_values_outside_the_rules(newcomer, changes, field):
    answer_steps(newcomer, Step.HYDRATION)
    assert field in _refused(newcomer, Step.LIFESTYLE, answers(Step.LIFESTYLE, **changes))


def test_the_review_and_unknown_steps_cannot_be_saved(newcomer):
    answer_steps(newcomer)
    assert "step" in _refused(newcomer, Step.REVIEW, {})
    assert "step" in _refused(newcomer, 12, {})
    assert "step" in _refused(newcomer, -1, {})


# --- The flow ----------------------------------------------------------------------------------------


def test_steps_cannot_be_skipped(newcomer):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    errors = _refused(newcomer, Step.BODY, answers(Step.BODY))
    assert errors["step"] == ["Answer “Goals” first."]
    assert services.step_reachable(_state(newcomer), Step.GOALS)
    assert not services.step_reachable(_state(newcomer), Step.BODY)


def test_going_back_keeps_every_answer_and_returns_to_the_first_unanswered_step(newcomer):
    answer_steps(newcomer, Step.CONSTRAINTS)
    state = services.intake_step_save(
        user=newcomer, step=Step.FITNESS_LEVEL, data=answers(Step.FITNESS_LEVEL, fitness_level="advanced")
    )
    assert state.current_step == Step.DIET
    assert state.completed_steps == [0, 1, 2, 3, 4]
    assert state.step_data["step_1"]["fitness_level"] == "advanced"
    assert state.step_data["step_4"] == _state(newcomer).step_data["step_4"]


def test_changing_an_answer_the_targets_depend_on_sends_the_person_back_to_the_plan(newcomer):
    answer_steps(newcomer, Step.WORKOUT_SCHEDULE)
    state = services.intake_step_save(user=newcomer, step=Step.BODY, data=answers(Step.BODY, weight_kg=Decimal("70")))
    assert Step.MEAL_PLAN not in state.completed_steps
    assert state.current_step == Step.MEAL_PLAN
    # The plan step now starts from the new targets, and after it the person goes on where they were.
    targets, defaults = services.meal_plan_defaults(answers=state.step_data, today=newcomer.local_today())
    assert defaults["energy_target_kcal"] == targets.energy_target_kcal
    assert targets.inputs["weight_kg"] == "70.0"
    state = services.intake_step_save(user=newcomer, step=Step.MEAL_PLAN, data={})
    assert state.current_step == Step.HYDRATION


def test_resaving_the_same_answers_keeps_the_plan_step_complete(newcomer):
    answer_steps(newcomer, Step.MEAL_PLAN)
    state = services.intake_step_save(user=newcomer, step=Step.BODY, data=answers(Step.BODY))
    assert Step.MEAL_PLAN in state.completed_steps
    assert state.current_step == Step.MEAL_SCHEDULE


def test_after_the_last_step_the_person_is_at_the_review(newcomer):
    state = answer_steps(newcomer)
    assert state.current_step == Step.REVIEW
    assert state.completed_steps == list(range(11))
    assert state.completed_at is None


def test_a_completed_intake_takes_no_more_steps(newcomer):
    answer_steps(newcomer)
    services.intake_confirm(user=newcomer)
    assert _refused(newcomer, Step.WELCOME, answers(Step.WELCOME))["step"][0].startswith("Your intake is complete")


# --- Confirming --------------------------------------------------------------------------------------


def test_confirming_applies_every_answer(newcomer):
    answer_steps(newcomer)
    version_before = Profile.objects.get(user=newcomer).version
    state = services.intake_confirm(user=newcomer)

    newcomer.refresh_from_db()
    assert newcomer.intake_completed_at is not None
    assert state.completed_at == newcomer.intake_completed_at
    assert state.completed_steps == list(range(12)) and state.current_step == Step.REVIEW

    profile = Profile.objects.get(user=newcomer)
    assert profile.is_locked and profile.locked_at is not None
    assert profile.version == version_before + 1  # the answers and the lock are one version
    assert (profile.fitness_level, profile.activity_level) == ("beginner", "moderately_active")
    assert (profile.primary_goal, profile.secondary_goal) == ("fat_loss", "strength")
    assert (profile.birth_date, profile.gender, profile.height_m) == (dt.date(1990, 5, 17), "female", Decimal("1.7"))
    assert (profile.energy_level, profile.stress_level, profile.sleep_quality) == ("medium", "high", "fair")
    version = ProfileVersion.objects.get(user=newcomer, valid_until__isnull=True)
    assert version.version == profile.version and version.snapshot["is_locked"] is True
    assert version.change_reason == "Confirmed in the intake"
    assert {"fitness_level", "primary_goal", "height_m", "sleep_quality", "is_locked"} <= set(version.changed_fields)

    weight = BodyMetric.objects.get(user=newcomer, metric_type_id="weight")
    assert weight.value == Decimal("78.5")

    goals = {goal.role: goal for goal in Goal.objects.filter(user=newcomer, status=GoalStatus.ACTIVE)}
    assert goals["primary"].category == "fat_loss"
    assert goals["primary"].target_weight_kg == Decimal(72) and goals["primary"].target_body_fat_pct == Decimal(22)
    assert goals["primary"].target_timeline_weeks == 16 and goals["primary"].explanation == "To feel fitter"
    assert goals["secondary"].category == "strength"

    constraints = {c.constraint_type: c for c in PhysicalConstraint.objects.filter(user=newcomer, is_active=True)}
    assert (constraints["injury"].category, constraints["injury"].severity) == ("knee", "mild")
    assert constraints["limitation"].description == "No jumping"
    assert constraints["equipment"].available_equipment == ["dumbbell", "bands"]
    assert constraints["location_preference"].workout_location == "home"
    assert constraints["time_constraint"].max_workout_duration_minutes == 45

    diet = DietaryPreferences.objects.get(user=newcomer)
    assert (diet.diet_type, diet.allergies) == ("vegetarian", ["peanuts"])

    plan = MealPlan.objects.get(user=newcomer)
    saved_plan = state.step_data["step_6"]
    assert plan.is_locked
    assert plan.energy_target_kcal == saved_plan["energy_target_kcal"]
    assert plan.protein_g == Decimal(saved_plan["protein_g"])
    assert list(MealSchedule.objects.filter(user=newcomer).values_list("name", flat=True)) == [
        "Breakfast",
        "Lunch",
        "Dinner",
    ]

    workout = WorkoutSchedule.objects.get(user=newcomer)
    assert workout.weekdays == [1, 3, 5]
    assert (workout.preferred_time, workout.preferred_duration_minutes) == (dt.time(18), 45)
    assert (workout.reminder_offset_minutes, workout.rest_day_preference) == (-30, "flexible")

    hydration = HydrationPreferences.objects.get(user=newcomer)
    assert (hydration.daily_target_ml, hydration.reminder_every_minutes) == (2500, 90)

    checkin = LifestyleBaseline.objects.get(user=newcomer)
    assert (checkin.energy_level, checkin.stress_level, checkin.sleep_hours) == ("medium", "high", Decimal("6.5"))
    assert AuditLog.objects.filter(subject_id=newcomer.pk, new_values__event="intake_confirm").exists()


def test_adjusted_targets_are_what_the_plan_keeps(newcomer):
    answer_steps(newcomer, Step.DIET)
    services.intake_step_save(
        user=newcomer,
        step=Step.MEAL_PLAN,
        data={"energy_target_kcal": 1950, "energy_min_kcal": 1800, "energy_max_kcal": 2100,
              "protein_g": Decimal(150), "carbohydrate_g": Decimal(200), "fat_g": Decimal(60)},
    )  # fmt: skip
    answer_steps(newcomer, start=Step.MEAL_SCHEDULE)
    services.intake_confirm(user=newcomer)
    plan = MealPlan.objects.get(user=newcomer)
    assert (plan.energy_target_kcal, plan.protein_g, plan.fat_g, plan.is_locked) == (
        1950,
        Decimal(150),
        Decimal(60),
        True,
    )


def test_confirming_announces_today_for_the_summaries(newcomer):
    answer_steps(newcomer)
    heard = []

    def listener(sender, user_id, dates, **kwargs):
        heard.append((sender, user_id, dates))

    days_changed.connect(listener)
    try:
        services.intake_confirm(user=newcomer)
    finally:
        days_changed.disconnect(listener)
    today = timezone.localdate(timezone.now(), newcomer.zone)
    assert ("coaching.intake", newcomer.pk, frozenset({today})) in heard


def test_confirming_twice_is_harmless(newcomer):
    answer_steps(newcomer)
    services.intake_confirm(user=newcomer)
    version = Profile.objects.get(user=newcomer).version
    services.intake_confirm(user=newcomer)
    assert Profile.objects.get(user=newcomer).version == version
    assert Goal.objects.filter(user=newcomer).count() == 2
    assert LifestyleBaseline.objects.filter(user=newcomer).count() == 1


def test_confirming_with_steps_missing_lists_them_and_changes_nothing(newcomer):
    answer_steps(newcomer, Step.DIET)
    with pytest.raises(ValidationError) as error:
        services.intake_confirm(user=newcomer)
    missing = error.value.message_dict["steps"]
    assert len(missing) == 5
    assert missing[0] == "Step 7 of 12 (Meal plan) is not answered yet."
    assert not MealPlan.objects.filter(user=newcomer).exists()
    assert User.objects.get(pk=newcomer.pk).intake_completed_at is None


def test_a_failing_confirmation_leaves_nothing_behind(newcomer, monkeypatch):
    answer_steps(newcomer)
    version = Profile.objects.get(user=newcomer).version

    def refuse(**kwargs):
        raise ValidationError({"sleep_hours": ["The wearable disagrees."]})

    # The last write of the confirmation fails: everything before it must be undone.
    monkeypatch.setattr(services, "lifestyle_checkin_record", refuse)
    with pytest.raises(ValidationError) as error:
        services.intake_confirm(user=newcomer)
    assert error.value.message_dict == {"step_10": ["The wearable disagrees."]}

    profile = Profile.objects.get(user=newcomer)
    assert (profile.version, profile.is_locked, profile.fitness_level) == (version, False, "")
    for model in (BodyMetric, Goal, PhysicalConstraint, DietaryPreferences, MealPlan, MealSchedule, WorkoutSchedule,
                  HydrationPreferences, LifestyleBaseline):  # fmt: skip
        assert not model.objects.filter(user=newcomer).exists(), model
    assert User.objects.get(pk=newcomer.pk).intake_completed_at is None
    assert _state(newcomer).completed_at is None


def test_answers_that_no_longer_pass_the_rules_are_caught_at_confirmation(newcomer):
    answer_steps(newcomer)
    state = _state(newcomer)
    state.step_data["step_9"]["daily_target_ml"] = 20000  # written behind the service's back
    state.save()
    with pytest.raises(ValidationError) as error:
        services.intake_confirm(user=newcomer)
    assert list(error.value.message_dict) == ["step_9"]
    assert not MealPlan.objects.filter(user=newcomer).exists()


def test_a_new_intake_replaces_active_goals_and_constraints(newcomer):
    old_goal = Goal.objects.create(user=newcomer, role="primary", category="muscle_gain")
    old_constraint = PhysicalConstraint.objects.create(user=newcomer, constraint_type="injury", category="back",
                                                       severity="severe")  # fmt: skip
    answer_steps(newcomer)
    services.intake_confirm(user=newcomer)
    old_goal.refresh_from_db()
    old_constraint.refresh_from_db()
    assert old_goal.status == GoalStatus.ABANDONED
    assert not old_constraint.is_active and old_constraint.resolved_at is not None
    assert Goal.objects.get(user=newcomer, role="primary", status=GoalStatus.ACTIVE).category == "fat_loss"


# --- Reset -------------------------------------------------------------------------------------------


def test_staff_reset_archives_the_profile_and_sends_the_person_through_again(newcomer, personas):
    answer_steps(newcomer)
    services.intake_confirm(user=newcomer)
    locked_version = Profile.objects.get(user=newcomer).version

    state = services.intake_reset(user=newcomer, by=personas.staff)

    assert (state.current_step, state.completed_steps, state.completed_at, state.reset_count) == (0, [], None, 1)
    assert state.step_data["step_3"]["weight_kg"] == "78.50"  # kept to pre-fill the steps
    assert User.objects.get(pk=newcomer.pk).intake_completed_at is None
    profile = Profile.objects.get(user=newcomer)
    assert not profile.is_locked and profile.version == locked_version + 1
    archived = ProfileVersion.objects.get(user=newcomer, version=locked_version)
    assert archived.valid_until is not None and archived.snapshot["is_locked"] is True
    current = ProfileVersion.objects.get(user=newcomer, valid_until__isnull=True)
    assert (current.change_reason, current.changed_by, current.changed_by_user_id) == (
        "Intake reset by staff",
        ChangedBy.ADMIN,
        personas.staff.pk,
    )
    audit = AuditLog.objects.get(action=AuditAction.ADMIN_CHANGE, new_values__event="intake_reset")
    assert (audit.actor_id, audit.subject_id) == (personas.staff.pk, newcomer.pk)


def test_after_a_reset_the_intake_can_be_confirmed_again(newcomer, personas):
    answer_steps(newcomer)
    services.intake_confirm(user=newcomer)
    services.intake_reset(user=newcomer, by=personas.staff)
    newcomer.refresh_from_db()
    answer_steps(newcomer, start=Step.WELCOME)
    services.intake_step_save(user=newcomer, step=Step.HYDRATION, data=answers(Step.HYDRATION, daily_target_ml=3000))
    services.intake_confirm(user=newcomer)
    assert MealPlan.objects.get(user=newcomer).is_locked
    assert HydrationPreferences.objects.get(user=newcomer).daily_target_ml == 3000
    assert Goal.objects.filter(user=newcomer, status=GoalStatus.ACTIVE).count() == 2
    assert Goal.objects.filter(user=newcomer, status=GoalStatus.ABANDONED).count() == 2


def test_every_step_has_valid_test_answers():
    assert set(ANSWERS) == set(services.ANSWER_STEPS)


def test_confirming_costs_a_bounded_number_of_queries(newcomer):
    """A dozen services write about twenty rows, each validated; the count is pinned so it cannot creep up.
    It grows only with the meals (nutrition's schedule saves each of them; eight at most) and injuries."""
    answer_steps(newcomer)
    with assert_max_queries(130):
        services.intake_confirm(user=newcomer)
    with assert_max_queries(3):  # once complete, confirming again only reads the state
        services.intake_confirm(user=newcomer)
