"""`manage.py rebuild_summaries`: everybody or one person, from a date on, with a progress bar."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, WeeklySummary
from nutrition.models import WaterLog

pytestmark = pytest.mark.django_db


def _water(user, day: dt.date, ml: int) -> None:
    # Straight into the table, as a bulk import would: no announcement, so only a rebuild summarises it.
    WaterLog.objects.create(user=user, amount_ml=ml, date=day, logged_at=timezone.now())


def _run(*args) -> str:
    out = StringIO()
    call_command("rebuild_summaries", *args, stdout=out)
    return out.getvalue()


def test_it_rebuilds_everybody_and_reports_rows_and_speed():
    ann, bob = UserFactory(), UserFactory()
    day = dt.date(2026, 3, 10)  # a Tuesday
    _water(ann, day, 500)
    _water(ann, day, 250)
    _water(bob, day + dt.timedelta(days=7), 1000)
    DailySummary.objects.create(user=bob, date=day, water_ml=3, refreshed_at=timezone.now())  # no source

    output = _run()

    assert DailySummary.objects.get(user=ann).water_ml == 750
    assert list(DailySummary.objects.filter(user=bob).values_list("date", "water_ml")) == [
        (day + dt.timedelta(days=7), 1000)
    ]
    assert WeeklySummary.objects.count() == 2
    assert "people" in output and "] " in output  # the bar, drawn when done
    assert "4 rows (daily and weekly)" in output and "rows/s" in output


def test_one_person_from_a_date_on():
    ann, bob = UserFactory(), UserFactory()
    _water(ann, dt.date(2026, 3, 1), 100)
    _water(ann, dt.date(2026, 3, 20), 200)
    _water(bob, dt.date(2026, 3, 20), 300)

    output = _run("--user", ann.email.upper(), "--since", "2026-03-15")

    assert list(DailySummary.objects.values_list("user_id", "date")) == [(ann.pk, dt.date(2026, 3, 20))]
    assert "from 2026-03-15" in output


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError, match="nobody@example.com"):
        _run("--user", "nobody@example.com")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--since", "last week")
    assert not DailySummary.objects.exists()
