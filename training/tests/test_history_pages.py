from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.models import Exercise
from training.services.records import records_detect
from training.tests.factories import (
    ActivityTypeFactory,
    ExerciseFactory,
    SessionExerciseFactory,
    SessionFactory,
    SetFactory,
)

pytestmark = pytest.mark.django_db

HISTORY = "/train/history/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _names(response) -> str:
    return response.content.decode()


def test_history_access_matrix(personas):
    session = SessionFactory(user=personas.owner, name="Owner secret leg day")
    client = Client()
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(HISTORY), everyone)
    for user in (personas.other_member, personas.trainer, personas.staff):
        assert "Owner secret leg day" not in _names(_client(user).get(HISTORY))
    page = _names(_client(personas.owner).get(HISTORY))
    assert "Owner secret leg day" in page
    assert f"/train/sessions/{session.pk}/" in page


def test_history_hides_deleted_and_templates(member):
    SessionFactory(user=member, name="Visible one")
    SessionFactory(user=member, name="Deleted one", deleted_at=timezone.now())
    SessionFactory(user=member, name="Template one", is_template=True, template_name="Tpl")
    page = _names(_client(member).get(HISTORY))
    assert "Visible one" in page and "Deleted one" not in page and "Template one" not in page


def test_history_filters(member):
    today = timezone.localdate()
    run, lift = ActivityTypeFactory(name="Test running"), ActivityTypeFactory(name="Test lifting")
    squat = ExerciseFactory(name="Back Squat")
    old = SessionFactory(user=member, name="Old run", activity_type=run, local_date=today - dt.timedelta(days=40))
    recent = SessionFactory(user=member, name="Recent lift", activity_type=lift, local_date=today)
    SessionExerciseFactory(session=recent, exercise=squat)
    SessionExerciseFactory(session=recent, exercise=squat)  # twice: still one row
    client = _client(member)
    by_date = _names(client.get(HISTORY, {"from": (today - dt.timedelta(days=7)).isoformat()}))
    assert "Recent lift" in by_date and "Old run" not in by_date
    by_to = _names(client.get(HISTORY, {"to": (today - dt.timedelta(days=7)).isoformat()}))
    assert "Old run" in by_to and "Recent lift" not in by_to
    by_type = _names(client.get(HISTORY, {"type": str(run.pk)}))
    assert "Old run" in by_type and "Recent lift" not in by_type
    response = client.get(HISTORY, {"exercise": str(squat.pk)})
    assert "Recent lift" in _names(response) and "Old run" not in _names(response)
    assert response.context["page"].paginator.count == 1
    # Nonsense filters are shown as errors beside the list (never silently ignored, never a 500); the
    # valid ones still apply.
    response = client.get(HISTORY, {"from": "yesterday", "type": "x", "exercise": str(squat.pk)})
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD." in _names(response) and "Choose an activity." in _names(response)
    assert "Recent lift" in _names(response) and "Old run" not in _names(response)
    assert old.pk


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "0001-01-01"}, "from", "Enter a date between 1900-01-01 and 2100-12-31."),
        ({"to": "9999-12-31"}, "to", "Enter a date between 1900-01-01 and 2100-12-31."),
        ({"from": "2100-02-01", "to": "2100-01-01"}, "from", "Choose a first day on or before the last day."),
    ],
)
def test_history_refuses_dates_outside_the_range_with_a_field_error(member, params, field, message):
    SessionFactory(user=member, name="Still listed")
    for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "history-results"}):
        response = _client(member).get(HISTORY, params, **headers)
        assert response.status_code == 400
        assert response.context["form"].errors[field] == [message]
        assert message in _names(response) and "Still listed" in _names(response)


def test_history_full_text_and_fallback_search(member):
    SessionFactory(user=member, name="Morning run", notes="Felt strong on the hills")
    SessionFactory(user=member, name="Zumbatronic class", notes="")
    SessionFactory(user=member, name="Evening swim", notes="")
    client = _client(member)
    stemmed = _names(client.get(HISTORY, {"q": "hill"}))  # full text stems hills -> hill
    assert "Morning run" in stemmed and "Evening swim" not in stemmed
    websearch = _names(client.get(HISTORY, {"q": "run -swim"}))
    assert "Morning run" in websearch and "Evening swim" not in websearch
    partial = _names(client.get(HISTORY, {"q": "zumbatro"}))  # not a dictionary word: substring fallback
    assert "Zumbatronic class" in partial and "Morning run" not in partial


def test_history_paginates_50_and_query_count_is_pinned(member):
    kind = ActivityTypeFactory()
    client = _client(member)
    SessionFactory(user=member, activity_type=kind)
    with assert_max_queries(6) as few:
        client.get(HISTORY)
    for _ in range(60):
        session = SessionFactory(user=member, activity_type=ActivityTypeFactory())
        SessionExerciseFactory(session=session)
    with assert_max_queries(len(few)):
        response = client.get(HISTORY)
    assert len(response.context["sessions"]) == 50
    assert len(client.get(HISTORY, {"page": 2}).context["sessions"]) == 11


def test_history_htmx_returns_the_results_fragment(member):
    SessionFactory(user=member, name="Fragment session")
    response = _client(member).get(HISTORY, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="history-results")
    body = _names(response)
    assert "Fragment session" in body and "<html" not in body


# Exercise page


def _exercise_url(exercise) -> str:
    return f"/train/exercises/{exercise.pk}/"


def test_exercise_page_access_and_visibility(personas):
    system = ExerciseFactory(name="System Row", instructions=["Pull the bar to your belly."])
    private = ExerciseFactory(name="Owner private", owner=personas.owner, visibility="private")
    client = Client()
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(_exercise_url(system)), everyone)
    assert_access(
        client,
        personas,
        lambda c: c.get(_exercise_url(private)),
        {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    deleted = ExerciseFactory(deleted_at=timezone.now())
    assert _client(personas.owner).get(_exercise_url(deleted)).status_code == 404


def test_exercise_page_shows_only_my_history_and_records(personas):
    exercise = ExerciseFactory(name="Bench", instructions=["Lower to the chest."], primary_muscles=["chest"])
    mine = SessionFactory(user=personas.owner, name="My bench day")
    SetFactory(session_exercise=SessionExerciseFactory(session=mine, exercise=exercise), reps=5, weight_kg=100)
    records_detect(session=mine)
    theirs = SessionFactory(user=personas.other_member, name="Their bench day")
    SetFactory(session_exercise=SessionExerciseFactory(session=theirs, exercise=exercise), reps=3, weight_kg=140)
    records_detect(session=theirs)
    page = _names(_client(personas.owner).get(_exercise_url(exercise)))
    assert "Lower to the chest." in page and "chest" in page
    assert "My bench day" in page and "Their bench day" not in page
    assert "116.67 kg" in page and "140" not in page


def test_exercise_page_query_count_is_pinned(member):
    exercise = ExerciseFactory()
    client = _client(member)
    with assert_max_queries(8) as few:
        assert client.get(_exercise_url(exercise)).status_code == 200
    for _ in range(5):
        entry = SessionExerciseFactory(session=SessionFactory(user=member), exercise=exercise)
        for number in range(1, 4):
            SetFactory(session_exercise=entry, number=number)
    with assert_max_queries(len(few) + 1):  # + the prefetch of sets once there are entries
        client.get(_exercise_url(exercise))
    assert Exercise.objects.filter(pk=exercise.pk).exists()
