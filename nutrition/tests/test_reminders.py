"""Meal reminders: at scheduled_time + offset in the person's local time, once a day per meal."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import Notification, User
from accounts.tests.factories import UserFactory
from nutrition.models import HydrationPreferences, MealSchedule
from nutrition.services import plans as services
from nutrition.tasks import send_meal_reminders

from .plans_helpers import complete_profile

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def person():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(timezone="Europe/Berlin")  # UTC+1 in January
    user.refresh_from_db()
    complete_profile(user)
    services.meal_plan_calculate(user=user)
    services.meal_schedule_set(
        user=user,
        meals=[
            {"meal_number": 1, "name": "Breakfast", "scheduled_time": dt.time(8), "earliest_time": dt.time(7),
             "latest_time": dt.time(9), "notification_offset_minutes": -15},
            {"meal_number": 2, "name": "Lunch", "scheduled_time": dt.time(12, 30), "earliest_time": dt.time(12),
             "latest_time": dt.time(13), "notification_offset_minutes": 0, "is_active": False},
        ],
    )  # fmt: skip
    return user


def _reminders(user):
    return list(Notification.objects.filter(user=user, type="reminder").order_by("created_at"))


def test_it_reminds_at_the_local_time_once(person):
    # Breakfast 08:00 Berlin − 15 min = 07:45 Berlin = 06:45 UTC.
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 6, 40, tzinfo=UTC)) == 0
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 6, 45, tzinfo=UTC)) == 1
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 6, 50, tzinfo=UTC)) == 0
    [note] = _reminders(person)
    assert note.title == "Breakfast at 08:00"
    assert "Have a glass of water" not in note.message
    assert MealSchedule.objects.get(user=person, meal_number=1).last_reminded_on == dt.date(2026, 1, 10)
    # The next day again.
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 11, 6, 46, tzinfo=UTC)) == 1


def test_it_does_not_send_late_reminders(person):
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 7, 20, tzinfo=UTC)) == 0


def test_it_skips_inactive_meals(person):
    # Lunch 12:30 Berlin = 11:30 UTC, inactive.
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 11, 30, tzinfo=UTC)) == 0


def test_it_adds_water_when_the_person_wants_it(person):
    HydrationPreferences.objects.create(user=person, remind_with_meals=True)
    services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 6, 45, tzinfo=UTC))
    assert "Have a glass of water" in _reminders(person)[0].message


def test_a_reminder_can_fall_on_the_day_before_the_meal(person):
    MealSchedule.objects.filter(user=person, meal_number=1).update(
        scheduled_time=dt.time(0, 30), earliest_time=dt.time(0, 10), latest_time=dt.time(1),
        notification_offset_minutes=-60,
    )  # fmt: skip
    # 00:30 Berlin on the 11th − 60 min = 23:30 Berlin on the 10th = 22:30 UTC.
    assert services.meal_reminders_send(now=dt.datetime(2026, 1, 10, 22, 31, tzinfo=UTC)) == 1
    assert MealSchedule.objects.get(user=person, meal_number=1).last_reminded_on == dt.date(2026, 1, 11)


def test_the_task_runs_the_service(person):
    # Whether breakfast's reminder is due depends on the clock; what the task reports must match what it sent,
    # and a second run the same day sends nothing more.
    sent = send_meal_reminders.apply().get()
    assert sent == Notification.objects.filter(user=person).count()
    assert send_meal_reminders.apply().get() == 0
