"""Calories burned (issue 14, point 2): the weight nearest the session, a weight arriving later fills the
calories of sessions that had none, and METs from the 2024 Adult Compendium of Physical Activities by speed
or effort, with the code cited (training/data/compendium-2024/mets.csv).

Calories are gross: MET × kg × hours (the Compendium's convention, 1 MET = 1 kcal/kg/h)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.selectors.body import body_weight_nearest_kg
from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary
from coaching.services.summaries import summaries_refresh_pending
from training import compendium
from training.models import ActivityType, Session
from training.services import sessions as services

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def _at(user, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=user.zone)


def _log(user, slug: str, *, start: dt.datetime, minutes: int, metres: int | None = None, rpe: int | None = None):
    """A session logged afterwards, as people do: its type, start, time, distance (and effort), finished."""
    session = services.session_start(user=user, activity_type=ActivityType.objects.get(slug=slug), started_at=start)
    if metres is not None:
        services.metrics_save(user=user, session=session, values={"distance": str(metres)})
    if rpe is not None:
        services.session_update(user=user, session=session, perceived_exertion=rpe)
    return services.session_finish(user=user, session=session, ended_at=start + dt.timedelta(minutes=minutes))


def _weigh(user, kg: str, at: dt.datetime):
    return body_metric_record(user=user, metric_type="weight", value=Decimal(kg), measured_at=at)


def test_a_run_back_dated_before_the_days_weigh_in_counts_with_that_days_weight():
    """The issue's case: weighed at noon (the intake does it too), then the morning's run is logged."""
    user = UserFactory(timezone="Europe/Berlin")
    _weigh(user, "70", _at(user, DAY, 12))
    run = _log(user, "running", start=_at(user, DAY, 7), minutes=28, metres=5000)
    # Compendium 12060 (running, 10.8 km/h; 5 km in 28:00 is 10.7 km/h): 10.5 MET × 70 kg × 28/60 h.
    assert run.calories_kcal == Decimal("343.00")
    assert (run.met, run.met_code) == (Decimal("10.50"), "12060")


def test_the_nearest_weight_is_the_latest_on_or_before_the_day_else_the_first_after():
    user = UserFactory(timezone="Europe/Berlin")
    assert body_weight_nearest_kg(user=user, day=DAY) is None
    _weigh(user, "72", _at(user, DAY + dt.timedelta(days=3), 8))
    _weigh(user, "71", _at(user, DAY + dt.timedelta(days=1), 8))
    assert body_weight_nearest_kg(user=user, day=DAY) == Decimal("71")  # none before: the first after
    _weigh(user, "75", _at(user, DAY - dt.timedelta(days=5), 8))
    assert body_weight_nearest_kg(user=user, day=DAY) == Decimal("75")  # on or before wins over nearer after
    _weigh(user, "70", _at(user, DAY, 23, 30))
    assert body_weight_nearest_kg(user=user, day=DAY) == Decimal("70")  # the same day, even late at night
    # A walk before the first ever weigh-in counts with that first one (Compendium 17255, pace unknown).
    walk = _log(user, "walking", start=_at(user, DAY - dt.timedelta(days=9), 9), minutes=60)
    assert (walk.met_code, walk.calories_kcal) == ("17255", Decimal("300.00"))  # 4.0 × 75 kg × 1 h


def test_a_weight_recorded_later_fills_the_calories_and_the_days_summary(django_capture_on_commit_callbacks):
    user = UserFactory(timezone="Europe/Berlin")
    with django_capture_on_commit_callbacks(execute=True):
        run = _log(user, "running", start=_at(user, DAY, 7), minutes=28, metres=5000)
    assert run.calories_kcal is None and run.met == Decimal("10.50")  # the MET is known, the weight is not
    assert DailySummary.objects.get(user=user, date=DAY).calories_burned == 0
    with django_capture_on_commit_callbacks(execute=True):
        _weigh(user, "70", _at(user, DAY + dt.timedelta(days=2), 8))
    run.refresh_from_db()
    assert run.calories_kcal == Decimal("343.00")
    # The run's day was marked for a refresh (the eager test run already spent the debounce window's task).
    summaries_refresh_pending(user_id=user.pk)
    assert DailySummary.objects.get(user=user, date=DAY).calories_burned == 343


@pytest.mark.parametrize(
    ("slug", "metres", "minutes", "rpe", "code", "met"),
    [
        ("running", 5000, 28, None, "12060", "10.5"),  # 10.7 km/h, nearest 12060 (10.8 km/h)
        ("running", 10000, 60, None, "12050", "9.3"),  # 10.0 km/h, within 12050 (9.7-10.1 km/h)
        ("running", 3000, 30, None, "12026", "3.3"),  # 6.0 km/h, nearer 12026 (jogging 4.2-5.9) than 12028
        ("running", 3300, 30, None, "12028", "6.5"),  # 6.6 km/h, within 12028 (6.4-6.8 km/h)
        ("running", None, 30, None, "12150", "8.0"),  # no distance: 12150, pace unknown
        ("walking", 5000, 60, None, "17190", "3.8"),  # 5.0 km/h, within 17190 (4.5-5.5 km/h)
        ("walking", 3000, 60, None, "17151", "2.3"),  # 3.0 km/h, within 17151 (below 3.2 km/h)
        ("walking", 7500, 60, None, "17230", "7.0"),  # 7.5 km/h, within 17230 (7.2-7.9 km/h)
        ("cycling", 20000, 60, None, "01030", "8.0"),  # 20 km/h, within 01030 (19.3-22.4 km/h)
        ("cycling", 35000, 60, None, "01060", "16.8"),  # 35 km/h, 01060 (32.2 km/h and faster)
        ("cycling", None, 60, None, "01014", "7.0"),  # no distance: 01014, speed unknown
        ("swimming", 2000, 30, None, "18280", "10.5"),  # 67 m/min: crawl fast (about 70 m/min)
        ("swimming", 1500, 30, None, "18290", "8.0"),  # 50 m/min: crawl moderate (about 45 m/min)
        ("swimming", None, 30, 3, "18240", "5.8"),  # no distance, easy effort: freestyle easy
        ("swimming", None, 30, 9, "18280", "10.5"),  # no distance, hard effort: crawl fast
    ],
)
def test_the_met_follows_the_compendium_by_speed_or_effort(slug, metres, minutes, rpe, code, met):
    user = UserFactory(timezone="Europe/Berlin")
    _weigh(user, "70", _at(user, DAY, 6))
    session = _log(user, slug, start=_at(user, DAY, 7), minutes=minutes, metres=metres, rpe=rpe)
    assert (session.met_code, session.met) == (code, Decimal(met))
    assert compendium.row(code).met == Decimal(met)  # the value is the data set's
    expected = (Decimal(met) * 70 * Decimal(minutes) / 60).quantize(Decimal("0.01"))
    assert session.calories_kcal == expected


def test_a_distance_entered_after_finishing_recounts_the_met():
    user = UserFactory(timezone="Europe/Berlin")
    _weigh(user, "70", _at(user, DAY, 6))
    run = _log(user, "running", start=_at(user, DAY, 7), minutes=28)
    assert run.met_code == "12150"  # pace unknown until the distance is there
    services.metrics_save(user=user, session=run, values={"distance": "5000"})
    run.refresh_from_db()
    assert (run.met_code, run.calories_kcal) == ("12060", Decimal("343.00"))


def test_the_session_page_cites_the_compendium_and_painting_shows_no_calories(client):
    user = UserFactory(timezone="Europe/Berlin", unit_system="metric")
    _weigh(user, "70", _at(user, DAY, 6))
    run = _log(user, "running", start=_at(user, DAY, 7), minutes=28, metres=5000)
    painting = _log(user, "painting", start=_at(user, DAY, 15), minutes=90)
    client.force_login(user)
    page = client.get(reverse("training:session", args=[run.pk])).content.decode()
    assert "MET 10.5 (Compendium 12060, running 10.7 km/h)" in page
    assert painting.calories_kcal is None and painting.met is None
    page = client.get(reverse("training:session", args=[painting.pk])).content.decode()
    assert "Add your weight to see calories" not in page and 'data-testid="session-calories"' not in page


def test_recompute_calories_recounts_each_persons_old_sessions():
    user = UserFactory(timezone="Europe/Berlin")
    _weigh(user, "70", _at(user, DAY, 6))
    run = _log(user, "running", start=_at(user, DAY, 7), minutes=28, metres=5000)
    # As counted before: the type's one MET (8.0) for any pace.
    Session.objects.filter(pk=run.pk).update(calories_kcal=Decimal("261.33"), met=None, met_code="")
    other = UserFactory()
    call_command("recompute_calories")
    run.refresh_from_db()
    assert (run.calories_kcal, run.met_code) == (Decimal("343.00"), "12060")
    assert not Session.objects.filter(user=other).exists()
