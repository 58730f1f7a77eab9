"""Activities without sets take the logger's other shape (issue 14, point 1): a time as h:mm:ss, the
distance in km or mi, the pace (a run, a walk, a swim) or the speed (a ride), and no strength chrome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from training import presenters
from training.models import ActivityType, SessionMetric, SessionStatus
from training.services import sessions as services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_time_logged_right_after_the_run_ends_now_and_started_that_long_ago():
    user = UserFactory()
    run = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="running"))
    before = timezone.now()
    run = services.session_duration_set(user=user, session=run, seconds=28 * 60)
    assert before <= run.ended_at <= timezone.now()
    assert run.ended_at - run.started_at == dt.timedelta(minutes=28)
    assert run.status == SessionStatus.IN_PROGRESS
    finished = services.session_finish(user=user, session=run)
    assert finished.duration_seconds == 28 * 60  # finishing keeps the time entered


def test_a_time_after_an_earlier_start_keeps_the_start_and_a_day_long_time_is_refused():
    user = UserFactory()
    started = timezone.now() - dt.timedelta(hours=3)
    ride = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="cycling"), started_at=started)
    ride = services.session_duration_set(user=user, session=ride, seconds=90 * 60)
    assert (ride.started_at, ride.ended_at) == (started, started + dt.timedelta(minutes=90))
    with pytest.raises(ValidationError) as error:
        services.session_duration_set(user=user, session=ride, seconds=25 * 3600)
    assert "duration" in error.value.message_dict


@pytest.mark.parametrize(
    ("slug", "system", "metres", "seconds", "expected"),
    [
        ("running", "metric", 5000, 28 * 60, ("Pace", "5:36 /km")),
        ("running", "imperial", Decimal("4988.97"), 28 * 60, ("Pace", "9:02 /mi")),
        ("walking", "metric", 3000, 36 * 60, ("Pace", "12:00 /km")),
        ("cycling", "metric", 20000, 48 * 60, ("Speed", "25 km/h")),
        ("cycling", "imperial", Decimal("32186.88"), 3600, ("Speed", "20 mph")),
    ],
)
def test_pace_for_runs_and_walks_speed_for_rides(slug, system, metres, seconds, expected):
    shown = presenters.pace_or_speed(
        slug=slug, distance_m=metres, seconds=seconds, who=UserFactory.build(unit_system=system)
    )
    assert shown is not None and (shown.label, shown.text) == expected
    assert presenters.pace_or_speed(slug=slug, distance_m=None, seconds=seconds, who=UserFactory.build()) is None


def test_the_time_and_the_metrics_save_together_or_not_at_all(client):
    user = UserFactory(unit_system="metric")
    run = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="running"))
    client.force_login(user)
    url = reverse("training:session-metrics", args=[run.pk])
    response = client.post(url, {"duration": "28:75", "distance": "5"}, **HTMX)
    assert response.status_code == 400 and "h:mm:ss" in response.content.decode()
    assert not SessionMetric.objects.filter(session=run).exists()
    response = client.post(url, {"duration": "28:00", "distance": "5", "cadence": "172"}, **HTMX)
    assert response.status_code == 200
    run.refresh_from_db()
    assert run.ended_at - run.started_at == dt.timedelta(minutes=28)
    assert SessionMetric.objects.get(session=run, name="distance").value_numeric == Decimal("5000")
    page = client.get(reverse("training:session", args=[run.pk])).content.decode()
    assert "Cadence (spm)" in page and "Cadence (bpm)" not in page  # steps, not heartbeats


def test_a_painting_session_has_a_time_and_its_details_but_no_sets_or_photo_checks(client):
    user = UserFactory()
    painting = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="painting"))
    client.force_login(user)
    page = client.get(reverse("training:session", args=[painting.pk])).content.decode()
    assert "Time (h:mm:ss)" in page and "Pieces" in page
    for chrome in ("Add an exercise", "Log your sets", "Progress photo", "Form check", "rest-timer"):
        assert chrome not in page, chrome
    strength = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="weight-training"))
    page = client.get(reverse("training:session", args=[strength.pk])).content.decode()
    assert "Add an exercise" in page and "Time (h:mm:ss)" not in page and "Progress photo" in page


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (40, "40 s"),
        (89, "1 min"),
        (90, "2 min"),
        (28 * 60, "28 min"),
        (3899, "1 h 5 min"),
        (3600, "1 h"),
        (3629, "1 h"),
    ],
)
def test_a_sessions_length_is_written_one_way(seconds, text):
    """The session's page and History agree (issue 14, point 4: "0 min" on one, "1 min" on the other)."""
    assert presenters.duration_text(seconds) == text


def test_history_writes_the_length_as_the_session_page_does(client):
    user = UserFactory()
    started = timezone.now() - dt.timedelta(minutes=30)
    run = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="running"), started_at=started)
    services.session_finish(user=user, session=run, ended_at=started + dt.timedelta(seconds=40))
    client.force_login(user)
    assert "40 s" in client.get(reverse("training:session", args=[run.pk])).content.decode()
    assert "<td>40 s</td>" in client.get(reverse("training:history")).content.decode()
