"""The validate-only halves of the plan, schedule, diet and water services: the same rules as the writes,
nothing saved (the intake checks its steps with them before anything exists)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_num_queries
from nutrition.models import DietaryPreferences, HydrationPreferences, MealPlan
from nutrition.services.hydration import hydration_preferences_set, hydration_preferences_validate
from nutrition.services.plans import meal_plan_adjustments_validate, meal_schedule_validate
from nutrition.services.preferences import dietary_preferences_set, dietary_preferences_validate

pytestmark = pytest.mark.django_db

PLAN = {
    "meals_per_day": 3,
    "energy_target_kcal": 2200,
    "energy_min_kcal": 2000,
    "energy_max_kcal": 2400,
    "protein_g": Decimal(150),
    "carbohydrate_g": Decimal(250),
    "fat_g": Decimal(70),
}


def test_plan_adjustments_come_back_with_their_percentages_and_no_query():
    with assert_num_queries(0):
        values = meal_plan_adjustments_validate(**PLAN)
    assert values["protein_pct"] + values["carbohydrate_pct"] + values["fat_pct"] == 100
    assert not MealPlan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"protein_g": Decimal(400)}, "__all__"),
        ({"energy_target_kcal": 900, "energy_min_kcal": 800}, "energy_target_kcal"),
        ({"energy_min_kcal": 2300}, "energy_target_kcal"),
        ({"meals_per_day": 9}, "meals_per_day"),
        ({"carbohydrate_g": Decimal(0)}, "carbohydrate_g"),
        ({"fiber_g": Decimal(-1)}, "fiber_g"),
        ({"fat_g": "lots"}, "fat_g"),
    ],
)
def test_plan_adjustments_follow_seed_003s_rules(changes, field):
    with pytest.raises(ValidationError) as error:
        meal_plan_adjustments_validate(**{**PLAN, **changes})
    assert field in error.value.message_dict


def test_schedules_are_checked_and_take_times_as_text():
    rows = meal_schedule_validate(
        meals=[{"meal_number": "1", "name": " Breakfast ", "scheduled_time": "08:00", "earliest_time": "07:30",
                "latest_time": "08:30"}]
    )  # fmt: skip
    assert rows == [
        {"meal_number": 1, "name": "Breakfast", "scheduled_time": dt.time(8), "earliest_time": dt.time(7, 30),
         "latest_time": dt.time(8, 30), "notification_offset_minutes": -15, "is_active": True}
    ]  # fmt: skip


@pytest.mark.parametrize(
    "meals",
    [
        [{"meal_number": 1, "name": "A", "scheduled_time": "08:00", "earliest_time": "07:00", "latest_time": "09:00"},
         {"meal_number": 2, "name": "B", "scheduled_time": "09:30", "earliest_time": "08:30", "latest_time": "10:00"}],
        [{"meal_number": 1, "name": "A", "scheduled_time": "8 am", "earliest_time": "07:00", "latest_time": "09:00"}],
        [{"meal_number": 1, "name": "A"}],
    ],
)  # fmt: skip
def test_bad_schedules_are_refused_with_a_message(meals):
    with pytest.raises(ValidationError):
        meal_schedule_validate(meals=meals)


def test_dietary_preferences_are_checked_without_saving():
    values = dietary_preferences_validate(diet_type="vegan", allergies="Peanuts, peanuts , soy", budget_per_day="12.5")
    assert values["allergies"] == ["peanuts", "soy"] and values["budget_per_day"] == Decimal("12.50")
    assert values["diet_type_other"] == "" and not DietaryPreferences.objects.exists()
    with pytest.raises(ValidationError) as error:
        dietary_preferences_validate(diet_type="other")
    assert "diet_type_other" in error.value.message_dict


def test_dietary_preferences_validate_on_top_of_the_current_ones():
    user = UserFactory()
    current = dietary_preferences_set(user=user, diet_type="pescatarian", dislikes=["olives"])
    values = dietary_preferences_validate(current=current, cooking_skill="advanced")
    assert (values["diet_type"], values["dislikes"], values["cooking_skill"]) == ("pescatarian", ["olives"], "advanced")
    current.refresh_from_db()
    assert current.cooking_skill == ""


def test_hydration_settings_are_checked_with_defaults_and_without_saving():
    values = hydration_preferences_validate(daily_target_ml=3000, reminder_start="07:00")
    assert values["daily_target_ml"] == 3000 and values["reminder_start"] == dt.time(7)
    assert values["reminder_end"] == dt.time(22) and values["tone"] == "gentle"
    assert not HydrationPreferences.objects.exists()
    for changes, field in (
        ({"reminder_start": "23:00"}, "reminder_end"),
        ({"reminder_start": "soon"}, "reminder_start"),
        ({"daily_target_ml": 100}, "daily_target_ml"),
        ({"volume": 1}, "volume"),
    ):
        with pytest.raises(ValidationError) as error:
            hydration_preferences_validate(**changes)
        assert field in error.value.message_dict


def test_hydration_validation_builds_on_the_current_settings():
    user = UserFactory()
    current = hydration_preferences_set(user=user, tone="minimal")
    assert hydration_preferences_validate(current=current, daily_target_ml=2500)["tone"] == "minimal"
