"""What counts as a workout (issue 14, point 3): sessions of non-physical types (painting, chess…) are logged
and keep their streak, but are no workouts, add no active minutes and no calories burned; Today says
"2 workouts, 1 other activity", and the summaries, their API, the review and the goals agree."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, GoalMetric, WeeklySummary
from coaching.presenters import sessions_count_text
from coaching.selectors.goals import goals_progress
from coaching.services.summaries import summaries_refresh_pending
from coaching.tests.factories import GoalFactory
from training.models import ActivityType
from training.services import sessions as training
from training.tests.factories import WorkoutScheduleFactory

pytestmark = pytest.mark.django_db

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _log(user, slug: str, day: dt.date, hour: int, minutes: int):
    start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=user.zone)
    session = training.session_start(user=user, activity_type=ActivityType.objects.get(slug=slug), started_at=start)
    return training.session_finish(user=user, session=session, ended_at=start + dt.timedelta(minutes=minutes))


@pytest.fixture
def painter():
    """Two runs and an afternoon of painting yesterday, a workout day of their plan, weighing 70 kg."""
    user = UserFactory(timezone="Europe/Berlin", unit_system="metric")
    day = user.local_today() - dt.timedelta(days=1)
    body_metric_record(
        user=user,
        metric_type="weight",
        value=Decimal(70),
        measured_at=dt.datetime(day.year, day.month, day.day, 6, tzinfo=user.zone),
    )
    WorkoutScheduleFactory(user=user, **{f"{name}_workout": WEEKDAYS[day.weekday()] == name for name in WEEKDAYS})
    _log(user, "running", day, 7, 30)  # no distance: Compendium 12150, 8.0 MET × 70 kg × 0.5 h = 280 kcal
    _log(user, "running", day, 18, 30)
    _log(user, "painting", day, 14, 89)
    summaries_refresh_pending(user_id=user.pk)
    return user, day


def test_painting_is_an_other_activity_not_a_workout_in_the_days_and_weeks_summary(painter):
    user, day = painter
    row = DailySummary.objects.get(user=user, date=day)
    assert (row.workouts, row.other_activities, row.active_minutes, row.calories_burned) == (2, 1, 60, 560)
    monday = day - dt.timedelta(days=day.weekday())
    week = WeeklySummary.objects.get(user=user, week_start=monday)
    assert (week.workouts, week.other_activities, week.active_minutes, week.calories_burned) == (2, 1, 60, 560)
    assert week.workout_days == 1


def test_today_says_two_workouts_one_other_activity_and_counts_only_their_minutes(painter):
    user, day = painter
    client = Client()
    client.force_login(user)
    text = _text(client.get(f"/today/{day.isoformat()}/"))
    assert "2 workouts, 1 other activity" in text
    assert "Done: 2 workouts" in text  # the planned workout card, not "3 sessions"
    assert "60 min" in text and "560 kcal" in text and "149 min" not in text
    # The API says the same as the page.
    body = client.get(f"/api/v1/summaries/daily/{day.isoformat()}/").json()
    assert (body["workouts"], body["other_activities"], body["active_minutes"], body["calories_burned"]) == (
        2,
        1,
        60,
        560,
    )
    monday = day - dt.timedelta(days=day.weekday())
    week = client.get(f"/api/v1/summaries/weekly/{monday.isoformat()}/").json()
    assert (week["workouts"], week["other_activities"], week["active_minutes"]) == (2, 1, 60)


def test_a_day_of_only_chess_is_logged_and_streaked_but_has_no_workout():
    user = UserFactory(timezone="Europe/Berlin")
    day = user.local_today() - dt.timedelta(days=1)
    chess = _log(user, "chess", day, 20, 45)
    summaries_refresh_pending(user_id=user.pk)
    assert chess.calories_kcal is None  # a non-physical activity burns no counted calories
    row = DailySummary.objects.get(user=user, date=day)
    assert (row.workouts, row.other_activities, row.active_minutes, row.calories_burned) == (0, 1, 0, 0)
    # Still streaked: the overall streak and chess's own (finishing refreshed them).
    assert user.streaks.filter(activity_type__isnull=True, last_active_date=day).exists()
    assert user.streaks.filter(activity_type__slug="chess", last_active_date=day).exists()
    client = Client()
    client.force_login(user)
    assert "No workouts, 1 other activity" in _text(client.get(f"/today/{day.isoformat()}/"))


@pytest.mark.parametrize(
    ("workouts", "others", "text"),
    [
        (1, 0, "1 workout"),
        (2, 1, "2 workouts, 1 other activity"),
        (1, 2, "1 workout, 2 other activities"),
        (0, 2, "No workouts, 2 other activities"),
    ],
)
def test_the_count_is_pluralised_and_omits_other_activities_when_there_are_none(workouts, others, text):
    assert sessions_count_text(workouts, others) == text


def test_a_goal_of_sessions_a_week_counts_workouts_unless_it_names_a_non_physical_type(painter):
    user, day = painter
    any_kind = GoalFactory(
        user=user, metric=GoalMetric.SESSIONS_PER_WEEK, kind="frequency", direction="up", start_value=0, target_value=3
    )
    painting = GoalFactory(
        user=user,
        metric=GoalMetric.SESSIONS_PER_WEEK,
        kind="frequency",
        direction="up",
        start_value=0,
        target_value=3,
        activity_type=ActivityType.objects.get(slug="painting"),
    )
    progress = goals_progress(user=user, goals=[any_kind, painting], today=day)
    assert progress[any_kind.pk].current == 2  # the runs, not the painting
    assert progress[painting.pk].current == 1
