"""Every training page that shows a weight, a volume or a distance, walked as a metric and as an imperial
person: each sees their own units (kg and km, or lb and mi), and what they type is stored in kg and
metres. The API keeps SI values and echoes the units where it shows a value as text (records)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import NotificationType
from accounts.tests.factories import UserFactory
from training import presenters
from training.models import ActivityType, RecordType, SessionMetric, Set
from training.services import sessions as services
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# (unit system, what 100 kg reads as, the 5 × 100 kg session volume, 5 km of distance, the unit words)
PEOPLE = {
    "metric": ("100 kg", "500 kg", "5 km", ("kg", "km")),
    "imperial": ("220.5 lb", "1,102 lb", "3.11 mi", ("lb", "mi")),
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lifted(user, *, finished=True):
    """A session with one exercise: five reps at 100 kg, and one set of 5 km."""
    session = services.session_start(
        user=user, activity_type=ActivityTypeFactory(), started_at=timezone.now() - dt.timedelta(hours=2)
    )
    se = services.exercise_add(user=user, session=session, exercise=ExerciseFactory(name="Unit Squat"))
    services.set_add(user=user, session_exercise=se, reps=5, weight_kg=Decimal("100"))
    services.set_add(user=user, session_exercise=se, duration_seconds=1500, distance_m=Decimal("5000"))
    if finished:
        session = services.session_finish(user=user, session=session, ended_at=timezone.now() - dt.timedelta(hours=1))
    return session


@pytest.mark.parametrize("system", PEOPLE)
def test_the_logger_shows_sets_volume_and_last_time_in_the_persons_units(system):
    weight, volume, distance, (weight_unit, distance_unit) = PEOPLE[system]
    user = UserFactory(unit_system=system)
    done = _lifted(user)
    exercise = done.exercises.get().exercise
    current = services.session_start(user=user, activity_type=ActivityTypeFactory())
    services.exercise_add(user=user, session=current, exercise=exercise)
    client = _client(user)

    page = client.get(reverse("training:session", args=[done.pk])).content.decode()
    assert f"5 reps @ {weight}" in page and distance in page
    assert f'data-testid="session-volume">{volume}</strong>' in page
    assert f"Weight ({weight_unit})" not in page  # a finished session reads as a record until Edit
    page = client.get(reverse("training:session", args=[done.pk]) + "?edit=1").content.decode()
    assert f"Weight ({weight_unit})" in page and f"Distance ({distance_unit})" in page
    page = client.get(reverse("training:session", args=[current.pk])).content.decode()
    assert f"Last time: 1 × 5 @ {weight}" in page


@pytest.mark.parametrize("system", PEOPLE)
def test_the_set_edit_form_shows_the_stored_set_in_the_persons_units(system):
    user = UserFactory(unit_system=system)
    _lifted(user, finished=False)
    lift, run = Set.objects.order_by("number")
    page = _client(user).get(reverse("training:set-edit", args=[lift.pk])).content.decode()
    assert f'value="{"220.5" if system == "imperial" else "100.00"}"' in page
    page = _client(user).get(reverse("training:set-edit", args=[run.pk])).content.decode()
    assert f'value="{"3.107" if system == "imperial" else "5.000"}"' in page


def test_a_set_typed_in_miles_is_stored_in_metres(client):
    user = UserFactory(unit_system="imperial")
    session = _lifted(user, finished=False)
    se = session.exercises.get()
    client.force_login(user)
    response = client.post(
        reverse("training:set-add", args=[se.pk]), {"distance": "3.1", "duration_seconds": 1500, "is_completed": "on"}
    )
    assert response.status_code == 302
    assert Set.objects.filter(session_exercise=se).order_by("number").last().distance_m == Decimal("4988.97")


@pytest.mark.parametrize("system", PEOPLE)
def test_the_history_list_shows_volume_in_the_persons_units(system):
    _, volume, _, _ = PEOPLE[system]
    user = UserFactory(unit_system=system)
    _lifted(user)
    page = _client(user).get(reverse("training:history")).content.decode()
    assert f"<td>{volume}</td>" in page


@pytest.mark.parametrize("system", PEOPLE)
def test_the_exercise_page_shows_sets_and_records_in_the_persons_units(system):
    weight, _, distance, _ = PEOPLE[system]
    user = UserFactory(unit_system=system)
    session = _lifted(user)
    exercise = session.exercises.get().exercise
    page = _client(user).get(reverse("training:exercise-detail", args=[exercise.pk])).content.decode()
    assert f"<td>{weight}</td>" in page and f"<td>{distance}</td>" in page
    # Records: the heaviest weight and the longest distance, and the pace per km or per mile.
    assert "5:00 /km" in page if system == "metric" else "8:03 /mi" in page
    assert " kg" not in page if system == "imperial" else " lb" not in page


@pytest.mark.parametrize("system", PEOPLE)
def test_the_record_notification_is_in_the_persons_units(system):
    weight, _, _, _ = PEOPLE[system]
    user = UserFactory(unit_system=system)
    _lifted(user)
    note = user.notifications.get(type=NotificationType.ACHIEVEMENT)
    assert f"Unit Squat: Heaviest weight {weight}" in note.message


def test_an_imperial_person_enters_the_run_distance_in_miles(client):
    user = UserFactory(unit_system="imperial")
    session = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="running"))
    client.force_login(user)
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Distance (mi)" in page and "Distance (m)" not in page
    response = client.post(reverse("training:session-metrics", args=[session.pk]), {"distance": "3.1"}, **HTMX)
    assert response.status_code == 200
    assert SessionMetric.objects.get(session=session, name="distance").value_numeric == Decimal("4988.97")
    services.session_finish(user=user, session=session)
    page = client.get(reverse("training:session", args=[session.pk]) + "?edit=1").content.decode()
    assert "<dd>3.1 mi</dd>" in page and 'value="3.1"' in page


def test_a_metric_person_enters_the_run_distance_in_kilometres(client):
    """Not in metres, and never shown as "5000.000" (issue 14, points 1 and 4)."""
    user = UserFactory(unit_system="metric")
    session = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="running"))
    client.force_login(user)
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Distance (km)" in page and "Distance (m)" not in page
    client.post(reverse("training:session-metrics", args=[session.pk]), {"distance": "5"}, **HTMX)
    assert SessionMetric.objects.get(session=session, name="distance").value_numeric == Decimal("5000")
    services.session_finish(user=user, session=session)
    page = client.get(reverse("training:session", args=[session.pk]) + "?edit=1").content.decode()
    assert "<dd>5 km</dd>" in page and 'value="5"' in page and "5000.000" not in page


@pytest.mark.parametrize("system", PEOPLE)
def test_the_records_api_keeps_si_values_and_echoes_the_persons_units(system):
    weight, _, distance, _ = PEOPLE[system]
    user = UserFactory(unit_system=system)
    session = _lifted(user)
    client = APIClient()
    client.force_login(user)
    rows = {row["record_type"]: row for row in client.get("/api/v1/records/").json()["results"]}
    heaviest = rows[RecordType.MAX_WEIGHT]
    assert (heaviest["value"], heaviest["unit"], heaviest["value_display"]) == ("100.00", "kg", weight)
    assert heaviest["previous_value_display"] is None
    longest = rows[RecordType.LONGEST_DISTANCE]
    assert (longest["value"], longest["unit"], longest["value_display"]) == ("5000.00", "m", distance)
    assert rows[RecordType.BEST_PACE]["unit"] == "s/km"
    body = client.get(f"/api/v1/sessions/{session.pk}/").json()
    assert body["total_volume_kg"] == "500.00"  # sessions keep SI values, named by their unit


def test_presenters_keep_what_training_stores():
    assert presenters.weight_text(Decimal("61.25"), "metric") == "61.25 kg"
    assert presenters.weight_text(Decimal("61.23"), "imperial") == "135 lb"
    assert presenters.weight_text(Decimal("1400.00"), "metric") == "1400 kg"  # written plainly
    assert presenters.weight_text(None, "metric") == ""
    assert presenters.distance_text(Decimal("5123.45"), "metric") == "5.12 km"
    assert presenters.volume_text(Decimal("21787.5"), "metric") == "21,788 kg"
    assert presenters.volume_text(Decimal("500"), "imperial") == "1,102 lb"
    assert presenters.pace_text(Decimal("300"), "imperial") == "8:03 /mi"
    assert presenters.record_value_text(RecordType.MAX_REPS, Decimal("12.00"), "imperial") == "12 reps"
