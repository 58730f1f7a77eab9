"""Meal plan services: computing, adjusting, locking, recalculating, the schedule, and the DB rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditLog
from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from nutrition.models import MealPlan, MealSchedule
from nutrition.services import plans as services

from .plans_helpers import complete_profile

pytestmark = pytest.mark.django_db

T = dt.time


def _plan(user, **kw):
    complete_profile(user, **kw)
    return services.meal_plan_calculate(user=user, meals_per_day=3)


def test_it_computes_the_plan_from_the_profile():
    user = UserFactory()
    plan = _plan(user)
    age = services.plan_inputs_for(user=user)["age"]
    assert plan.energy_target_kcal > 2000
    assert plan.protein_pct + plan.carbohydrate_pct + plan.fat_pct == 100
    assert plan.weight_at_calculation_kg == Decimal("80.0")
    assert plan.inputs["age"] == age and plan.inputs["sex"] == "male"
    assert AuditLog.objects.filter(entity_id=str(plan.pk)).exists()


def test_it_lists_missing_profile_data():
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.meal_plan_calculate(user=user)
    message = error.value.messages[0]
    for word in ("birth date", "sex", "height", "weight", "/settings/profile/", "/settings/body/"):
        assert word in message


def test_it_refuses_meals_per_day_outside_2_to_8():
    user = complete_profile(UserFactory())
    with pytest.raises(ValidationError):
        services.meal_plan_calculate(user=user, meals_per_day=9)


def test_it_adjusts_within_the_rules_and_recomputes_percentages():
    user = UserFactory()
    _plan(user)
    # 150·4 + 250·4 + 70·9 = 2230
    plan = services.meal_plan_update(
        user=user,
        changes={"energy_target_kcal": 2200, "energy_min_kcal": 2000, "energy_max_kcal": 2400,
                 "protein_g": Decimal(150), "carbohydrate_g": Decimal(250), "fat_g": Decimal(70)},
    )  # fmt: skip
    plan.refresh_from_db()
    assert plan.energy_target_kcal == 2200
    assert plan.protein_pct + plan.carbohydrate_pct + plan.fat_pct == 100


def test_it_refuses_macros_that_miss_the_energy_by_more_than_50_kcal():
    user = UserFactory()
    _plan(user)
    with pytest.raises(ValidationError, match="±50 kcal"):
        services.meal_plan_update(user=user, changes={"protein_g": Decimal(400)})


def test_it_refuses_a_target_outside_its_range():
    user = UserFactory()
    plan = _plan(user)
    with pytest.raises(ValidationError) as error:
        services.meal_plan_update(user=user, changes={"energy_min_kcal": plan.energy_target_kcal})
    assert "energy_target_kcal" in error.value.message_dict


def test_a_locked_plan_refuses_edits_and_calculation():
    user = UserFactory()
    _plan(user)
    services.meal_plan_lock(user=user)
    with pytest.raises(ValidationError, match="locked"):
        services.meal_plan_update(user=user, changes={"meals_per_day": 4})
    with pytest.raises(ValidationError, match="locked"):
        services.meal_plan_calculate(user=user)
    services.meal_plan_unlock(user=user)
    assert services.meal_plan_update(user=user, changes={"meals_per_day": 4}).meals_per_day == 4


def test_recalculation_is_recorded_and_keeps_the_lock():
    user = UserFactory()
    _plan(user)
    services.meal_plan_lock(user=user)
    body_metric_record(user=user, metric_type="weight", value=Decimal(76), measured_at=None)
    plan = services.meal_plan_recalculate(user=user, reason="Down 4 kg", by=user)
    plan.refresh_from_db()
    assert plan.is_locked
    assert plan.recalculation_reason == "Down 4 kg"
    assert plan.recalculated_by == user
    assert plan.last_recalculated_at is not None
    assert plan.weight_at_calculation_kg == Decimal("76.0")
    log = AuditLog.objects.filter(entity_id=str(plan.pk), new_values__event="meal_plan_recalculate").get()
    assert log.new_values["reason"] == "Down 4 kg" and log.actor_id == user.pk


def test_recalculation_needs_a_reason():
    user = UserFactory()
    _plan(user)
    with pytest.raises(ValidationError):
        services.meal_plan_recalculate(user=user, reason="  ", by=user)


def test_recalculation_is_suggested_after_more_than_2_kg():
    user = UserFactory()
    _plan(user)
    assert not services.recalculation_suggested(user=user)
    body_metric_record(user=user, metric_type="weight", value=Decimal(82))  # same day: replaces, +2 kg exactly
    assert not services.recalculation_suggested(user=user)
    body_metric_record(user=user, metric_type="weight", value=Decimal("82.1"))
    assert services.recalculation_suggested(user=user)


@pytest.mark.parametrize(
    "changes",
    [
        {"meals_per_day": 1},
        {"energy_target_kcal": 900, "energy_min_kcal": 800},
        {"energy_min_kcal": 5000},
        {"protein_g": 0},
        {"protein_pct": Decimal(50)},
    ],
)
def test_the_database_refuses_bad_plans(changes):
    user = UserFactory()
    plan = _plan(user)
    with pytest.raises(IntegrityError), transaction.atomic():
        MealPlan.objects.filter(pk=plan.pk).update(**changes)


def _meal(number, name, at, early, late, **kw):
    return {"meal_number": number, "name": name, "scheduled_time": at, "earliest_time": early,
            "latest_time": late, **kw}  # fmt: skip


def test_it_saves_a_schedule():
    user = UserFactory()
    _plan(user)
    rows = services.meal_schedule_set(
        user=user,
        meals=[_meal(1, "Breakfast", T(8), T(7), T(9)), _meal(2, "Lunch", T(12, 30), T(12), T(13))],
    )
    assert [r.name for r in rows] == ["Breakfast", "Lunch"]
    services.meal_schedule_set(user=user, meals=[_meal(1, "Breakfast", T(8), T(7), T(9))])
    assert MealSchedule.objects.filter(user=user).count() == 1


def test_it_refuses_overlapping_windows_naming_the_other_meal():
    user = UserFactory()
    _plan(user)
    with pytest.raises(ValidationError) as error:
        services.meal_schedule_set(
            user=user,
            meals=[_meal(1, "Breakfast", T(8), T(7), T(10)), _meal(2, "Brunch", T(10), T(9, 30), T(11))],
        )
    assert "Brunch's window (09:30–11:00) overlaps Breakfast's (07:00–10:00)" in error.value.messages[0]


def test_inactive_meals_may_overlap():
    user = UserFactory()
    _plan(user)
    services.meal_schedule_set(
        user=user,
        meals=[_meal(1, "Breakfast", T(8), T(7), T(10)), _meal(2, "Brunch", T(10), T(9, 30), T(11), is_active=False)],
    )


def test_it_refuses_a_time_outside_its_window():
    user = UserFactory()
    _plan(user)
    with pytest.raises(ValidationError, match="inside its window"):
        services.meal_schedule_set(user=user, meals=[_meal(1, "Breakfast", T(6), T(7), T(9))])


def test_the_database_refuses_overlapping_windows():
    user = UserFactory()
    plan = _plan(user)
    MealSchedule.objects.create(user=user, meal_plan=plan, meal_number=1, name="A", scheduled_time=T(8),
                                earliest_time=T(7), latest_time=T(9))  # fmt: skip
    with pytest.raises(IntegrityError, match="nutrition_mealschedule_no_overlap"), transaction.atomic():
        MealSchedule.objects.create(user=user, meal_plan=plan, meal_number=2, name="B", scheduled_time=T(9),
                                    earliest_time=T(8, 30), latest_time=T(10))  # fmt: skip


def test_the_schedule_needs_a_plan():
    user = UserFactory()
    with pytest.raises(ValidationError, match="meal plan first"):
        services.meal_schedule_set(user=user, meals=[_meal(1, "Breakfast", T(8), T(7), T(9))])


@pytest.mark.parametrize("meals", [2, 3, 4, 5, 6, 7, 8])
def test_suggested_schedules_are_valid(meals):
    user = UserFactory()
    _plan(user)
    services.meal_schedule_set(user=user, meals=services.meal_schedule_suggestion(meals_per_day=meals))
