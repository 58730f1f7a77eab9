from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coaching.models import Direction, Goal, GoalMetric, GoalMilestone, GoalStatus
from coaching.services.goals import goal_abandon, goal_create, goal_delete, goal_update
from training.models import RecordType
from training.tests.factories import ExerciseFactory

from .factories import GoalFactory, HabitFactory
from .goals_kit import record, weigh

pytestmark = pytest.mark.django_db


def _soon(user, weeks=12):
    return user.local_today() + dt.timedelta(weeks=weeks)


def test_lose_5_kg_is_stored_as_a_target_weight_going_down(member):
    weigh(member, "92.4")
    goal = goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, change="-5", target_date=_soon(member))
    assert goal.target_value == Decimal("87.4") and goal.start_value == Decimal("92.4")
    assert goal.direction == Direction.DOWN and goal.unit == "kg" and goal.kind == "body_composition"
    assert goal.category == "fat_loss" and goal.status == GoalStatus.ACTIVE


def test_milestones_are_rounded_to_whole_kg_with_proportional_dates(member):
    weigh(member, "92.4")
    goal = goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, target_value="80", target_date=_soon(member))
    milestones = list(goal.milestones.order_by("percent").values_list("percent", "value", "target_date"))
    start = member.local_today()
    assert [(p, v) for p, v, _ in milestones] == [(25, 89), (50, 86), (75, 83), (100, 80)]
    assert milestones[1][2] == start + dt.timedelta(days=42) and milestones[3][2] == _soon(member)


def test_lift_milestones_step_by_2_5_kg(member):
    bench = ExerciseFactory()
    record(member, bench, "100")
    goal = goal_create(user=member, metric=GoalMetric.EXERCISE_E1RM, exercise=bench.pk, target_value="110")
    assert goal.direction == Direction.UP and goal.target_date is None
    assert list(goal.milestones.values_list("value", flat=True)) == [
        Decimal("102.5"),
        Decimal(105),
        Decimal("107.5"),
        110,
    ]


def test_close_targets_get_fewer_milestones(member):
    weigh(member, "80")
    goal = goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, target_value="79")
    assert list(goal.milestones.values_list("percent", "value")) == [(100, Decimal(79))]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target_value": "90", "target_date": dt.date(2020, 1, 1)}, "target_date"),
        ({"target_value": "80"}, "target_value"),  # equal to the current weight
        ({"target_value": "600"}, "target_value"),
        ({"target_value": "abc"}, "target_value"),
        ({}, "target_value"),
        ({"target_value": "70", "change": "-5"}, "target_value"),
        ({"change": "0"}, "change"),
        ({"target_value": "85", "direction": "down"}, "target_value"),
    ],
)
def test_it_refuses_bad_targets(member, fields, field):
    weigh(member, "80")
    with pytest.raises(ValidationError) as error:
        goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, **fields)
    assert field in error.value.message_dict
    assert not Goal.objects.filter(user=member).exists()


def test_a_change_needs_a_current_value(member):
    with pytest.raises(ValidationError) as error:
        goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, change="-5")
    assert "change" in error.value.message_dict


def test_it_refuses_unknown_or_foreign_subjects(member):
    other_habit = HabitFactory()
    with pytest.raises(ValidationError) as error:
        goal_create(user=member, metric=GoalMetric.HABIT_COMPLETION, habit=other_habit.pk, target_value="80")
    assert error.value.message_dict == {"habit": ["No such habit."]}
    with pytest.raises(ValidationError) as error:
        goal_create(
            user=member,
            metric=GoalMetric.EXERCISE_E1RM,
            exercise="00000000-0000-0000-0000-000000000000",
            target_value="1",
        )
    assert error.value.message_dict == {"exercise": ["No such exercise."]}
    with pytest.raises(ValidationError) as error:
        goal_create(user=member, metric=GoalMetric.EXERCISE_E1RM, target_value="100")
    assert "exercise" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        goal_create(user=member, metric="bogus", target_value="100")
    assert "metric" in error.value.message_dict


def test_one_active_goal_per_measure_and_subject(member):
    weigh(member, "80")
    goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, target_value="75")
    with pytest.raises(ValidationError) as error:
        goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, target_value="70")
    assert "metric" in error.value.message_dict
    # Two lifts of different exercises are fine; the database refuses a second one of the same.
    a, b = ExerciseFactory(), ExerciseFactory()
    goal_create(user=member, metric=GoalMetric.EXERCISE_E1RM, exercise=a.pk, target_value="100")
    goal_create(user=member, metric=GoalMetric.EXERCISE_E1RM, exercise=b.pk, target_value="100")
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(
            user=member,
            metric=GoalMetric.EXERCISE_E1RM,
            kind="performance",
            exercise=a,
            direction="up",
            start_value=None,
            target_value=120,
        )


def test_the_database_refuses_a_target_date_before_the_start(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalFactory(user=member, target_date=member.local_today() - dt.timedelta(days=1))


def test_update_relays_open_milestones_and_keeps_achieved_ones(member):
    weigh(member, "90")
    goal = goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, target_value="80")
    GoalMilestone.objects.filter(goal=goal, percent=25).update(achieved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    goal = goal_update(goal=goal, changes={"target_value": "70", "title": "Lighter"})
    values = sorted(goal.milestones.values_list("value", flat=True))
    assert goal.title == "Lighter" and goal.target_value == 70
    assert Decimal(88) in values and Decimal(70) in values  # the achieved 25 % one (87.5 → 88) stays
    with pytest.raises(ValidationError):
        goal_update(goal=goal, changes={"target_value": "95"})  # would turn the goal around
    with pytest.raises(ValidationError):
        goal_update(goal=goal, changes={"metric": "body_fat"})


def test_abandon_and_delete(member):
    goal = GoalFactory(user=member)
    goal_abandon(goal=goal)
    assert goal.status == GoalStatus.ABANDONED
    with pytest.raises(ValidationError):
        goal_abandon(goal=goal)
    goal_delete(goal=goal)
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_max_weight_goals_read_the_heaviest_weight_record(member):
    squat = ExerciseFactory()
    record(member, squat, "140", record_type=RecordType.MAX_WEIGHT)
    record(member, squat, "150", record_type=RecordType.ONE_RM)
    goal = goal_create(user=member, metric=GoalMetric.EXERCISE_MAX_WEIGHT, exercise=squat.pk, target_value="150")
    assert goal.start_value == 140
