from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from training.models import Streak
from training.selectors.records import streaks_for_user
from training.services.streaks import streak_from_dates, streaks_refresh
from training.tests.factories import ActivityTypeFactory, SessionFactory

pytestmark = pytest.mark.django_db

D = dt.date


def test_islands_and_current_streak():
    dates = [D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3), D(2024, 1, 7), D(2024, 1, 8)]
    span = streak_from_dates(dates, today=D(2024, 1, 9))
    assert (span.current_length, span.longest_length, span.current_start, span.last_active_date) == (
        2,
        3,
        D(2024, 1, 7),
        D(2024, 1, 8),
    )
    assert streak_from_dates(dates, today=D(2024, 1, 10)).current_length == 0
    assert streak_from_dates(dates, today=D(2024, 1, 8)).current_length == 2
    assert streak_from_dates([], today=D(2024, 1, 1)).longest_length == 0


def _on(user, day, activity_type, **fields):
    start = dt.datetime.combine(day, dt.time(18), tzinfo=user.zone)
    return SessionFactory(user=user, activity_type=activity_type, started_at=start, local_date=day, **fields)


def test_refresh_overall_and_per_type_ignores_deleted_and_templates():
    person = UserFactory(timezone="Asia/Tokyo")
    today = timezone.localdate(timezone.now(), person.zone)
    lift, run = ActivityTypeFactory(), ActivityTypeFactory()
    _on(person, today, lift)
    _on(person, today - dt.timedelta(days=1), run)
    _on(person, today - dt.timedelta(days=2), lift)
    _on(person, today - dt.timedelta(days=3), lift, deleted_at=timezone.now())
    _on(person, today - dt.timedelta(days=3), lift, is_template=True, template_name="Push")
    streaks_refresh(user=person)
    rows = {s.activity_type_id: s for s in Streak.objects.filter(user=person)}
    assert (rows[None].current_length, rows[None].longest_length) == (3, 3)
    assert rows[None].current_start == today - dt.timedelta(days=2)
    assert (rows[lift.pk].current_length, rows[lift.pk].longest_length) == (1, 1)
    assert rows[run.pk].current_length == 1  # yesterday still counts
    # Refreshing again upserts, never duplicates.
    streaks_refresh(user=person)
    assert Streak.objects.filter(user=person).count() == 3


def test_local_dates_decide_across_time_zones():
    """Sessions on consecutive local days in the person's zone are a streak even if UTC dates repeat."""
    person = UserFactory(timezone="Pacific/Auckland")
    today = timezone.localdate(timezone.now(), person.zone)
    kind = ActivityTypeFactory()
    for back in range(4):
        _on(person, today - dt.timedelta(days=back), kind)
    streaks_refresh(user=person)
    assert Streak.objects.get(user=person, activity_type=None).current_length == 4


def test_a_gap_ends_the_current_streak_and_deletions_shorten_it():
    person = UserFactory()
    today = timezone.localdate(timezone.now(), person.zone)
    kind = ActivityTypeFactory()
    old = [_on(person, today - dt.timedelta(days=back), kind) for back in (10, 11, 12)]
    streaks_refresh(user=person)
    overall = Streak.objects.get(user=person, activity_type=None)
    assert (overall.current_length, overall.longest_length) == (0, 3)
    old[1].deleted_at = timezone.now()
    old[1].save()
    streaks_refresh(user=person)
    assert Streak.objects.get(user=person, activity_type=None).longest_length == 1
    for session in old:
        session.deleted_at = timezone.now()
        session.save()
    streaks_refresh(user=person)
    assert not Streak.objects.filter(user=person).exists()


def test_selector_reads_a_stale_current_streak_as_zero():
    person = UserFactory()
    today = timezone.localdate(timezone.now(), person.zone)
    Streak.objects.create(
        user=person, current_length=5, longest_length=5, last_active_date=today - dt.timedelta(days=3)
    )
    assert streaks_for_user(user=person)[0].current_length == 0
