"""Hydration preferences and reminders: window, spacing, target met, tone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification, User
from accounts.tests.factories import UserFactory
from nutrition.models import WaterLog
from nutrition.services import hydration as services
from nutrition.tasks import send_hydration_reminders

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def person():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(timezone="America/New_York")  # UTC−5 in January
    user.refresh_from_db()
    services.hydration_preferences_set(
        user=user, daily_target_ml=2000, reminder_every_minutes=60, reminder_start=dt.time(8),
        reminder_end=dt.time(22), tone="minimal",
    )  # fmt: skip
    return user


def at(hour, minute=0, day=10):
    return dt.datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def test_it_reminds_inside_the_local_window_only(person):
    assert services.hydration_reminders_send(now=at(12, 50)) == 0  # 07:50 in New York
    assert services.hydration_reminders_send(now=at(13, 0)) == 1  # 08:00
    assert services.hydration_reminders_send(now=at(3, 0, day=11)) == 0  # 22:00 on the 10th: window closed


def test_it_spaces_reminders_by_the_frequency(person):
    assert services.hydration_reminders_send(now=at(13, 0)) == 1
    assert services.hydration_reminders_send(now=at(13, 15)) == 0
    assert services.hydration_reminders_send(now=at(13, 45)) == 0
    assert services.hydration_reminders_send(now=at(13, 59)) == 1  # within the 2-minute slack of 60
    assert Notification.objects.filter(user=person, type="reminder").count() == 2


def test_it_stops_when_the_days_target_is_met(person):
    WaterLog.objects.create(user=person, amount_ml=1500, logged_at=at(13), date=dt.date(2026, 1, 10))
    assert services.hydration_reminders_send(now=at(14)) == 1
    assert Notification.objects.get(user=person).message == "1,500/2,000 ml."
    WaterLog.objects.create(user=person, amount_ml=500, logged_at=at(14, 30), date=dt.date(2026, 1, 10))
    assert services.hydration_reminders_send(now=at(16)) == 0
    # Water of another local day does not count.
    assert services.hydration_reminders_send(now=at(14, day=11)) == 1


def test_disabled_reminders_are_not_sent(person):
    services.hydration_preferences_set(user=person, reminder_enabled=False)
    assert services.hydration_reminders_send(now=at(14)) == 0


def test_tones_have_different_wording():
    texts = {
        tone: services.hydration_reminder_text(tone=tone, drunk_ml=500, target_ml=2000)
        for tone in ("gentle", "motivational", "minimal")
    }
    assert len({message for _, message in texts.values()}) == 3
    assert "1,500 ml" in texts["motivational"][1]


@pytest.mark.parametrize(
    "changes",
    [
        {"daily_target_ml": 499},
        {"daily_target_ml": 10001},
        {"reminder_every_minutes": 14},
        {"reminder_every_minutes": 481},
        {"reminder_start": dt.time(22), "reminder_end": dt.time(8)},
        {"tone": "angry"},
    ],
)
def test_it_refuses_out_of_range_settings(person, changes):
    with pytest.raises(ValidationError):
        services.hydration_preferences_set(user=person, **changes)


def test_the_task_runs_the_service(person):
    assert send_hydration_reminders.apply().get() in (0, 1)
