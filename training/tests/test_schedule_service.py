"""The workout week: setting it (at least one day, 15–180 minutes, a reminder before a time) and the
reminders before each workout, in the person's time zone, once a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification, User
from accounts.tests.factories import UserFactory
from training.models import WorkoutSchedule
from training.services.schedule import workout_reminders_send, workout_schedule_set, workout_schedule_validate
from training.tasks import send_workout_reminders
from training.tests.factories import WorkoutScheduleFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_it_creates_the_schedule_from_day_names_or_numbers():
    user = UserFactory()
    schedule = workout_schedule_set(
        user=user, days=["monday", "Thursday", 7], preferred_time="06:45", preferred_duration_minutes=30
    )
    assert schedule.weekdays == [1, 4, 7]
    assert (schedule.preferred_time, schedule.preferred_duration_minutes) == (dt.time(6, 45), 30)
    assert (schedule.reminder_enabled, schedule.reminder_offset_minutes, schedule.is_locked) == (True, -30, True)


def test_it_updates_only_the_fields_given():
    user = UserFactory()
    WorkoutScheduleFactory(user=user)
    schedule = workout_schedule_set(user=user, preferred_duration_minutes=90)
    assert schedule.weekdays == [1, 3, 5] and schedule.preferred_duration_minutes == 90
    schedule = workout_schedule_set(user=user, days=["saturday"])
    assert schedule.weekdays == [6]
    assert WorkoutSchedule.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"days": []}, "days"),
        ({"days": ["caturday"]}, "days"),
        ({"days": [8]}, "days"),
        ({"days": "monday"}, "days"),
        ({"days": ["monday"], "preferred_duration_minutes": 14}, "preferred_duration_minutes"),
        ({"days": ["monday"], "preferred_duration_minutes": 181}, "preferred_duration_minutes"),
        ({"days": ["monday"], "reminder_offset_minutes": 5}, "reminder_offset_minutes"),
        ({"days": ["monday"], "reminder_offset_minutes": -721}, "reminder_offset_minutes"),
        ({"days": ["monday"], "preferred_time": "25:00"}, "preferred_time"),
        ({"days": ["monday"]}, "preferred_time"),  # reminders on, but when?
        ({"days": ["monday"], "rest_day_preference": "lazy"}, "rest_day_preference"),
        ({"days": ["monday"], "monday_workout": "yes"}, "monday_workout"),
        ({"days": ["monday"], "last_reminded_on": "2026-01-01"}, "last_reminded_on"),
    ],
)
def test_it_refuses_values_outside_the_rules(fields, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        workout_schedule_set(user=user, **fields)
    assert field in error.value.message_dict
    assert not WorkoutSchedule.objects.filter(user=user).exists()


def test_no_workout_day_is_refused_with_one_clear_message():
    with pytest.raises(ValidationError) as error:
        workout_schedule_validate(days=[], preferred_time="18:00")
    assert error.value.message_dict == {"days": ["Pick at least one workout day."]}


@pytest.mark.parametrize("minutes", [15, 180])
def test_durations_of_15_and_180_minutes_are_fine(minutes):
    values = workout_schedule_validate(days=["friday"], preferred_time="18:00", preferred_duration_minutes=minutes)
    assert values["preferred_duration_minutes"] == minutes and values["friday_workout"] is True


def test_moving_the_time_lets_todays_reminder_go_again():
    user = UserFactory()
    schedule = WorkoutScheduleFactory(user=user, last_reminded_on=dt.date(2026, 1, 12))
    workout_schedule_set(user=user, preferred_duration_minutes=45)
    schedule.refresh_from_db()
    assert schedule.last_reminded_on == dt.date(2026, 1, 12)
    workout_schedule_set(user=user, preferred_time=dt.time(20, 0))
    schedule.refresh_from_db()
    assert schedule.last_reminded_on is None


# --- Reminders ---------------------------------------------------------------------------------------


@pytest.fixture
def person():
    """Mondays, Wednesdays and Fridays at 18:00 Berlin (UTC+1 in January), reminded 30 minutes before."""
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(timezone="Europe/Berlin")
    user.refresh_from_db()
    WorkoutScheduleFactory(user=user)
    return user


def _reminders(user):
    return list(Notification.objects.filter(user=user, type="reminder").order_by("created_at"))


def test_it_reminds_before_the_workout_once(person):
    # Monday 12 January 2026: 18:00 Berlin − 30 min = 17:30 Berlin = 16:30 UTC.
    assert workout_reminders_send(now=dt.datetime(2026, 1, 12, 16, 25, tzinfo=UTC)) == 0
    assert workout_reminders_send(now=dt.datetime(2026, 1, 12, 16, 30, tzinfo=UTC)) == 1
    assert workout_reminders_send(now=dt.datetime(2026, 1, 12, 16, 35, tzinfo=UTC)) == 0
    [note] = _reminders(person)
    assert note.title == "Workout at 18:00"
    assert note.message == "Your workout is planned today at 18:00 for 60 minutes."
    assert note.action_url == "/train/"
    assert WorkoutSchedule.objects.get(user=person).last_reminded_on == dt.date(2026, 1, 12)


def test_it_skips_rest_days_and_late_runs(person):
    # Tuesday: no workout.
    assert workout_reminders_send(now=dt.datetime(2026, 1, 13, 16, 30, tzinfo=UTC)) == 0
    # Wednesday, but more than 30 minutes late.
    assert workout_reminders_send(now=dt.datetime(2026, 1, 14, 17, 1, tzinfo=UTC)) == 0
    assert _reminders(person) == []


def test_a_reminder_can_fall_on_the_evening_before(person):
    WorkoutSchedule.objects.filter(user=person).update(preferred_time=dt.time(0, 30), reminder_offset_minutes=-60)
    # Monday 00:30 Berlin − 60 min = Sunday 23:30 Berlin = 22:30 UTC on Sunday 11 January.
    assert workout_reminders_send(now=dt.datetime(2026, 1, 11, 22, 30, tzinfo=UTC)) == 1
    assert "tomorrow" in _reminders(person)[0].message
    assert WorkoutSchedule.objects.get(user=person).last_reminded_on == dt.date(2026, 1, 12)


def test_disabled_reminders_and_erased_people_get_none(person):
    WorkoutSchedule.objects.filter(user=person).update(reminder_enabled=False)
    other = UserFactory()
    WorkoutScheduleFactory(user=other)
    User.all_objects.filter(pk=other.pk).update(
        deleted_at=dt.datetime(2026, 1, 1, tzinfo=UTC), account_status="deleted"
    )
    assert workout_reminders_send(now=dt.datetime(2026, 1, 12, 16, 30, tzinfo=UTC)) == 0


def test_the_task_runs_the_service_and_is_safe_to_run_twice(person, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 1, 12, 16, 31, tzinfo=UTC))
    assert send_workout_reminders.apply().get() == 1
    assert send_workout_reminders.apply().get() == 0
    assert send_workout_reminders.name == "training.tasks.send_workout_reminders"


def test_the_run_costs_one_query_when_nothing_is_due(person):
    from fitjourney.testing.queries import assert_num_queries

    for _ in range(3):
        WorkoutScheduleFactory()
    with assert_num_queries(1):
        assert workout_reminders_send(now=dt.datetime(2026, 1, 13, 3, 0, tzinfo=UTC)) == 0


def test_one_persons_broken_time_zone_stops_nobody_elses_reminder(person, caplog):
    """A time zone name the system no longer knows (written before validation, or removed from tzdata)
    fails that person's reminder alone, with an alert naming them and their schedule."""
    import logging

    broken = UserFactory()
    WorkoutScheduleFactory(user=broken)
    User.objects.filter(pk=broken.pk).update(timezone="Mars/Olympus_Mons")
    with caplog.at_level(logging.ERROR):
        assert workout_reminders_send(now=dt.datetime(2026, 1, 12, 16, 30, tzinfo=UTC)) == 1
    assert len(_reminders(person)) == 1
    assert f"BATCH FAILURE in workout reminders for person {broken.pk}" in caplog.text
    assert "workout schedule" in caplog.text
