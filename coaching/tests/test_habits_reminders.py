"""Habit reminders: at the reminder time in the person's time zone, on due days, not when done, once a day."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Notification, User
from accounts.tests.factories import UserFactory
from coaching.models import Habit
from coaching.services import habits as services
from coaching.tasks.habits import send_habit_reminders
from coaching.tests.factories import HabitFactory, HabitLogFactory, NumericHabitFactory
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def berlin():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(timezone="Europe/Berlin")  # UTC+1 in January
    user.refresh_from_db()
    return user


def _reminders(user):
    return list(Notification.objects.filter(user=user, type="reminder").order_by("created_at"))


def _at(hour, minute, day=10):
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def test_it_reminds_at_the_local_time_once_a_day(berlin):
    habit = HabitFactory(user=berlin, name="Stretch", reminder_time=dt.time(20, 0), start_date=dt.date(2026, 1, 1))
    # 20:00 Berlin = 19:00 UTC.
    assert services.habit_reminders_send(now=_at(18, 58)) == 0
    assert services.habit_reminders_send(now=_at(19, 0)) == 1
    assert services.habit_reminders_send(now=_at(19, 5)) == 0  # the next beat: already reminded today
    [note] = _reminders(berlin)
    assert note.title == "Time for Stretch" and note.action_url == "/habits/"
    assert Habit.objects.get(pk=habit.pk).last_reminded_on == dt.date(2026, 1, 10)
    # The next day again.
    assert services.habit_reminders_send(now=_at(19, 3, day=11)) == 1


def test_a_late_beat_still_sends_within_ten_minutes_but_not_after(berlin):
    HabitFactory(user=berlin, reminder_time=dt.time(20, 0), start_date=dt.date(2026, 1, 1))
    assert services.habit_reminders_send(now=_at(19, 11)) == 0
    assert services.habit_reminders_send(now=_at(19, 9, day=11)) == 1


def test_not_when_already_done(berlin):
    habit = NumericHabitFactory(user=berlin, reminder_time=dt.time(8, 0), start_date=dt.date(2026, 1, 1))
    HabitLogFactory(habit=habit, log_date=dt.date(2026, 1, 10), completed=True, value=8)
    assert services.habit_reminders_send(now=_at(7, 1)) == 0
    # A started but unfinished day is reminded, with the target.
    HabitLogFactory(habit=habit, log_date=dt.date(2026, 1, 11), completed=False, value=3)
    assert services.habit_reminders_send(now=_at(7, 1, day=11)) == 1
    assert "target is 8 glasses" in _reminders(berlin)[0].message


def test_only_on_due_days(berlin):
    # Saturdays only; 10 January 2026 is a Saturday, the 12th a Monday.
    HabitFactory(
        user=berlin, frequency="custom", weekdays=[6], reminder_time=dt.time(9, 0), start_date=dt.date(2026, 1, 1)
    )
    assert services.habit_reminders_send(now=_at(8, 0, day=12)) == 0
    assert services.habit_reminders_send(now=_at(8, 0, day=10)) == 1


def test_weekly_habits_are_reminded_until_done_that_week(berlin):
    habit = HabitFactory(user=berlin, frequency="weekly", reminder_time=dt.time(9, 0), start_date=dt.date(2026, 1, 1))
    HabitLogFactory(habit=habit, log_date=dt.date(2026, 1, 5))  # Monday of the week of the 10th
    assert services.habit_reminders_send(now=_at(8, 0, day=10)) == 0
    assert services.habit_reminders_send(now=_at(8, 0, day=12)) == 1  # a new week


def test_time_zones_decide_the_day(berlin):
    # 00:05 Berlin on the 11th is 23:05 UTC on the 10th: the reminder is the 11th's.
    habit = HabitFactory(user=berlin, reminder_time=dt.time(0, 5), start_date=dt.date(2026, 1, 11))
    assert services.habit_reminders_send(now=_at(23, 5)) == 1
    assert Habit.objects.get(pk=habit.pk).last_reminded_on == dt.date(2026, 1, 11)


def test_a_reminder_just_before_midnight_is_sent_just_after(berlin):
    habit = HabitFactory(user=berlin, reminder_time=dt.time(23, 58), start_date=dt.date(2026, 1, 1))
    # 00:03 Berlin on the 11th (23:03 UTC on the 10th): the 10th's reminder, five minutes late.
    assert services.habit_reminders_send(now=_at(23, 3)) == 1
    assert Habit.objects.get(pk=habit.pk).last_reminded_on == dt.date(2026, 1, 10)


def test_paused_ended_deleted_and_erased_are_skipped(berlin):
    start = dt.date(2026, 1, 1)
    HabitFactory(user=berlin, reminder_time=dt.time(9, 0), start_date=start, is_active=False)
    HabitFactory(user=berlin, reminder_time=dt.time(9, 0), start_date=start, end_date=dt.date(2026, 1, 9))
    HabitFactory(user=berlin, reminder_time=dt.time(9, 0), start_date=start, deleted_at=_at(1, 0))
    erased = UserFactory()
    User.all_objects.filter(pk=erased.pk).update(deleted_at=_at(1, 0), account_status="deleted")
    HabitFactory(user=erased, reminder_time=dt.time(8, 0), start_date=start)
    assert services.habit_reminders_send(now=_at(8, 0)) == 0


def test_a_run_reads_in_a_few_queries_however_many_habits(berlin):
    for _ in range(5):
        HabitFactory(user=berlin, reminder_time=dt.time(6, 0), start_date=dt.date(2026, 1, 1))
    with assert_max_queries(2):
        assert services.habit_reminders_send(now=_at(12, 0)) == 0


def test_the_task_runs_the_service(berlin):
    assert send_habit_reminders.apply().get() == 0
