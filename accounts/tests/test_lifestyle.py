"""Lifestyle check-ins (seed 003 lifestyle_baselines): the record service, deletion, and the trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import LifestyleBaseline
from accounts.selectors import lifestyle as selectors
from accounts.services import lifestyle as services
from accounts.tests.factories import LifestyleBaselineFactory, UserFactory
from fitjourney.errors import NotFound
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db


def test_it_records_a_check_in_now():
    user = UserFactory()
    before = timezone.now()
    checkin = services.lifestyle_checkin_record(
        user=user, energy_level="high", stress_level="low", sleep_quality="good", sleep_hours="7.5", notes=" ok "
    )
    checkin.refresh_from_db()
    assert (checkin.energy_level, checkin.stress_level, checkin.sleep_quality) == ("high", "low", "good")
    assert checkin.sleep_hours == Decimal("7.5") and checkin.notes == "ok" and checkin.data_source == "user_input"
    assert checkin.recorded_at >= before


def test_the_intake_signature_with_a_past_moment_and_source():
    user = UserFactory()
    at = timezone.now() - dt.timedelta(days=2)
    checkin = services.lifestyle_checkin_record(
        user=user,
        energy_level="medium",
        stress_level="medium",
        sleep_quality="fair",
        sleep_hours=None,
        notes="",
        data_source="system",
        recorded_at=at,
    )
    assert checkin.recorded_at == at and checkin.data_source == "system" and checkin.sleep_hours is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"energy_level": "huge"}, "energy_level"),
        ({"stress_level": ""}, "stress_level"),
        ({"sleep_quality": "great"}, "sleep_quality"),
        ({"sleep_hours": 25}, "sleep_hours"),
        ({"sleep_hours": -1}, "sleep_hours"),
        ({"sleep_hours": "7.25"}, "sleep_hours"),
        ({"sleep_hours": "lots"}, "sleep_hours"),
        ({"sleep_hours": True}, "sleep_hours"),
        ({"notes": "x" * 2001}, "notes"),
        ({"data_source": "guess"}, "data_source"),
        ({"recorded_at": timezone.now() + dt.timedelta(hours=1)}, "recorded_at"),
    ],
)
def test_bad_check_ins_are_refused_and_save_nothing(fields, field):
    values = {"energy_level": "low", "stress_level": "high", "sleep_quality": "poor", **fields}
    with pytest.raises(ValidationError) as exc:
        services.lifestyle_checkin_record(user=UserFactory(), **values)
    assert field in exc.value.message_dict
    assert not LifestyleBaseline.objects.exists()


def test_only_the_owner_deletes():
    checkin = LifestyleBaselineFactory()
    with pytest.raises(NotFound):
        services.lifestyle_checkin_delete(user=UserFactory(), checkin=checkin)
    services.lifestyle_checkin_delete(user=checkin.user, checkin=checkin)
    assert not LifestyleBaseline.objects.exists()


def test_the_trend_of_the_last_30_days_in_one_query():
    user = UserFactory()
    now = timezone.now()
    LifestyleBaselineFactory(user=user, recorded_at=now - dt.timedelta(days=40), sleep_hours=3)  # too old
    LifestyleBaselineFactory(user=user, recorded_at=now - dt.timedelta(days=3), sleep_hours=6, energy_level="low")
    LifestyleBaselineFactory(user=user, recorded_at=now - dt.timedelta(days=1), sleep_hours=8, energy_level="high",
                             stress_level="low", sleep_quality="excellent")  # fmt: skip
    LifestyleBaselineFactory(recorded_at=now - dt.timedelta(days=1))  # somebody else's
    with assert_num_queries(1):
        trend = selectors.lifestyle_trend(user=user, now=now)
    assert trend.average_sleep_hours == Decimal("7.0") and trend.average_energy == 2.0
    assert trend.average_stress == 1.5 and trend.average_sleep_quality == 3.5
    chart = trend.levels_chart(user.zone)
    assert chart["series"][1]["values"] == [1, 3] and len(chart["labels"]) == 2
    assert trend.chart(user.zone)["series"][0]["values"] == [6.0, 8.0]


def test_recent_check_ins_newest_first():
    user = UserFactory()
    now = timezone.now()
    old = LifestyleBaselineFactory(user=user, recorded_at=now - dt.timedelta(days=2))
    new = LifestyleBaselineFactory(user=user, recorded_at=now - dt.timedelta(hours=1))
    assert list(selectors.lifestyle_checkins_for_user(user=user)) == [new, old]
    assert selectors.lifestyle_latest(user=user) == new
    with pytest.raises(NotFound):
        selectors.lifestyle_checkin_get_for_user(user=UserFactory(), checkin_id=new.pk)
