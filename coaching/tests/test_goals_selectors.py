from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from coaching.models import GoalMetric
from coaching.selectors.goals import SERIES_WEEKS, goals_for_user, goals_progress
from training.models import RecordType, Session
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

from .factories import GoalFactory, HabitFactory
from .goals_kit import eat, record, tick, train, weigh

pytestmark = pytest.mark.django_db


def _all_kinds(user, *, extra_lifts=0):
    """One goal of every metric (and more lifts), with a log of each source."""
    run = ActivityTypeFactory()
    habit = HabitFactory(user=user)
    lifts = [ExerciseFactory() for _ in range(1 + extra_lifts)]
    goals = [
        GoalFactory(user=user, metric=GoalMetric.BODY_WEIGHT),
        GoalFactory(user=user, metric=GoalMetric.BODY_FAT, start_value=25, target_value=18),
        GoalFactory(
            user=user,
            metric=GoalMetric.SESSIONS_PER_WEEK,
            kind="frequency",
            direction="up",
            start_value=0,
            target_value=4,
        ),
        GoalFactory(
            user=user,
            metric=GoalMetric.DISTANCE_MONTH,
            kind="time_based",
            direction="up",
            activity_type=run,
            start_value=0,
            target_value=50000,
        ),
        GoalFactory(
            user=user,
            metric=GoalMetric.HABIT_COMPLETION,
            kind="habit",
            direction="up",
            habit=habit,
            start_value=0,
            target_value=80,
        ),
        GoalFactory(
            user=user, metric=GoalMetric.ENERGY_DAY, kind="habit", direction="down", start_value=None, target_value=2000
        ),
        GoalFactory(
            user=user, metric=GoalMetric.PROTEIN_DAY, kind="habit", direction="up", start_value=None, target_value=150
        ),
    ]
    goals.append(
        GoalFactory(
            user=user,
            metric=GoalMetric.EXERCISE_MAX_WEIGHT,
            kind="performance",
            direction="up",
            exercise=lifts[0],
            start_value=80,
            target_value=100,
        )
    )
    record(user, lifts[0], "90", record_type=RecordType.MAX_WEIGHT)
    for lift in lifts:
        goals.append(
            GoalFactory(
                user=user,
                metric=GoalMetric.EXERCISE_E1RM,
                kind="performance",
                direction="up",
                exercise=lift,
                start_value=100,
                target_value=120,
            )
        )
        record(user, lift, "110")
    weigh(user, 88)
    weigh(user, 24, metric_type="body_fat")
    train(user)
    tick(habit)
    eat(user, kcal=2400, protein=120)
    return goals


def _queries(user, goals):
    with CaptureQueriesContext(connection) as ctx:
        result = goals_progress(user=user, goals=goals)
    return len(ctx.captured_queries), result


def test_progress_costs_one_query_for_one_or_many_goals_of_every_kind(member):
    one = _all_kinds(member)[:1]
    many = _all_kinds(UserFactory(), extra_lifts=9)
    assert len(many) == 18 and len({g.metric for g in many}) == len(GoalMetric)
    one_count, one_result = _queries(member, one)
    many_count, many_result = _queries(many[0].user, many)
    assert one_count == many_count == 1
    assert len(one_result) == 1 and len(many_result) == 18


def test_current_values_of_each_source(member):
    goals = _all_kinds(member)
    progress = goals_progress(user=member, goals=goals)
    by_metric = {g.metric: progress[g.pk] for g in goals}
    assert by_metric["body_weight"].current == 88 and by_metric["body_weight"].percent == 20
    assert by_metric["body_fat"].current == 24
    assert by_metric["exercise_max_weight"].current == 90
    assert by_metric["exercise_e1rm"].current == 110 and by_metric["exercise_e1rm"].percent == 50
    assert by_metric["habit_completion"].current == Decimal("3.6")  # 1 of 28 days
    assert by_metric["energy_day"].current == 2400 and by_metric["protein_day"].current == 120
    assert by_metric["energy_day"].percent == 83  # 2000 / 2400, going down
    monday = member.local_today() - dt.timedelta(days=member.local_today().weekday())
    assert by_metric["sessions_per_week"].current == Session.objects.filter(user=member, local_date__gte=monday).count()
    assert by_metric["distance_month"].current == 0  # the session was of another activity


def test_no_data_means_no_current_value_and_no_projection(member):
    goal = GoalFactory(user=member)
    progress = goals_progress(user=member, goals=[goal])[goal.pk]
    assert progress.current is None and progress.percent == 0 and progress.projection is None


def test_projection_at_the_4_week_rate(member):
    # 0.5 kg a week down for five weeks: 90 → 87.5; 7.5 kg to go at 0.5 a week is 15 weeks.
    for week in range(6):
        weigh(member, Decimal(90) - Decimal("0.5") * (5 - week), days_ago=7 * week)
    goal = GoalFactory(user=member, start_value=90, target_value=80)
    progress = goals_progress(user=member, goals=[goal])[goal.pk]
    assert progress.current == Decimal("87.5")
    assert progress.rate_per_week == Decimal("-0.50")
    assert progress.projection == member.local_today() + dt.timedelta(weeks=15)


def test_projection_is_none_when_moving_away(member):
    weigh(member, 85, days_ago=21)
    weigh(member, 88, days_ago=0)
    goal = GoalFactory(user=member, start_value=85, target_value=80)
    progress = goals_progress(user=member, goals=[goal])[goal.pk]
    assert progress.projection is None and progress.percent == 0


def test_the_chart_series_is_weekly_and_bounded(member):
    for day in range(0, 400, 3):
        weigh(member, 90 - day / 100, days_ago=day)
    goal = GoalFactory(user=member)
    series = goals_progress(user=member, goals=[goal])[goal.pk].series
    assert 20 <= len(series) <= SERIES_WEEKS
    assert all(day.weekday() == 0 for day, _ in series)
    assert series == sorted(series)


def test_sessions_count_per_activity_or_all(member):
    run = ActivityTypeFactory()
    today = member.local_today()
    days = today.weekday()  # sessions earlier this week (none when today is Monday)
    for n in range(days):
        train(member, days_ago=n + 1, activity_type=run)
    train(member, days_ago=0)
    any_kind = GoalFactory(
        user=member,
        metric=GoalMetric.SESSIONS_PER_WEEK,
        kind="frequency",
        direction="up",
        start_value=0,
        target_value=3,
    )
    runs = GoalFactory(
        user=member,
        metric=GoalMetric.SESSIONS_PER_WEEK,
        kind="frequency",
        direction="up",
        start_value=0,
        target_value=3,
        activity_type=run,
    )
    progress = goals_progress(user=member, goals=[any_kind, runs])
    assert progress[any_kind.pk].current == days + 1
    assert progress[runs.pk].current == days


def test_the_goals_list_loads_subjects_and_milestones_up_front(member, django_assert_num_queries):
    for _ in range(3):
        GoalFactory(
            user=member,
            metric=GoalMetric.EXERCISE_E1RM,
            kind="performance",
            direction="up",
            exercise=ExerciseFactory(),
            start_value=100,
            target_value=120,
        )
    with django_assert_num_queries(2):
        goals = list(goals_for_user(user=member))
    with django_assert_num_queries(0):
        assert [str(g.exercise) for g in goals] and [list(g.milestones.all()) for g in goals]
