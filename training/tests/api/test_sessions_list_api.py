"""GET /api/v1/sessions/: the history page's filters, a whitelisted order, and a 400 for anything else
(issue 10, item 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from fitjourney.testing.queries import assert_max_queries, assert_num_queries
from training.models import SessionStatus
from training.tests.factories import ActivityTypeFactory, ExerciseFactory, SessionExerciseFactory, SessionFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def logged(member):
    """Four sessions of the member over a month, of two types, one with squats, one in progress."""
    today = member.local_today()
    run, lift = ActivityTypeFactory(), ActivityTypeFactory()
    squat = ExerciseFactory(name="Back Squat")

    def session(name, days_ago, activity_type, **fields):
        started = timezone.now() - dt.timedelta(days=days_ago)
        return SessionFactory(
            user=member,
            name=name,
            activity_type=activity_type,
            started_at=started,
            local_date=today - dt.timedelta(days=days_ago),
            **fields,
        )

    session("Old run", 30, run, notes="Felt strong on the hills")
    session("Mid run", 10, run)
    heavy = session("Heavy legs", 5, lift)
    SessionExerciseFactory(session=heavy, exercise=squat)
    SessionExerciseFactory(session=heavy, exercise=squat)  # twice: still one row
    session("Open lift", 0, lift, status=SessionStatus.IN_PROGRESS, ended_at=None)
    SessionFactory(user=member, name="Deleted", deleted_at=timezone.now())
    SessionFactory(name="Someone else's run", activity_type=run)
    return {"today": today, "run": run, "lift": lift, "squat": squat}


def test_list_is_newest_first_by_default(member, logged):
    assert _names(_api(member).get(SESSIONS)) == ["Open lift", "Heavy legs", "Mid run", "Old run"]


def test_from_and_to_are_inclusive_local_dates(member, logged):
    today = logged["today"]
    client = _api(member)
    since = {"from": str(today - dt.timedelta(days=10))}
    assert _names(client.get(SESSIONS, since)) == ["Open lift", "Heavy legs", "Mid run"]
    until = {"to": str(today - dt.timedelta(days=10))}
    assert _names(client.get(SESSIONS, until)) == ["Mid run", "Old run"]
    both = {"from": str(today - dt.timedelta(days=10)), "to": str(today - dt.timedelta(days=5))}
    assert _names(client.get(SESSIONS, both)) == ["Heavy legs", "Mid run"]


def test_type_exercise_text_and_status_filters(member, logged):
    client = _api(member)
    assert _names(client.get(SESSIONS, {"activity_type": str(logged["run"].pk)})) == ["Mid run", "Old run"]
    assert _names(client.get(SESSIONS, {"exercise": str(logged["squat"].pk)})) == ["Heavy legs"]
    assert _names(client.get(SESSIONS, {"q": "hill"})) == ["Old run"]  # full text: hills -> hill
    assert _names(client.get(SESSIONS, {"q": "run -old"})) == ["Mid run"]  # web-search syntax
    assert _names(client.get(SESSIONS, {"status": "in_progress"})) == ["Open lift"]
    combined = {"activity_type": str(logged["lift"].pk), "status": "finished", "exercise": str(logged["squat"].pk)}
    assert _names(client.get(SESSIONS, combined)) == ["Heavy legs"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-started_at", ["Open lift", "Heavy legs", "Mid run", "Old run"]),
        ("started_at", ["Old run", "Mid run", "Heavy legs", "Open lift"]),
        ("-local_date", ["Open lift", "Heavy legs", "Mid run", "Old run"]),
        ("local_date", ["Old run", "Mid run", "Heavy legs", "Open lift"]),
    ],
)
def test_ordering_whitelist(member, logged, ordering, expected):
    assert _names(_api(member).get(SESSIONS, {"ordering": ordering})) == expected


def test_api_and_history_page_list_the_same_sessions(member, logged):
    """One selector behind both: the same filters give the same rows."""
    today = logged["today"]
    page_client = Client()
    page_client.force_login(member)
    api_params = {"from": str(today - dt.timedelta(days=20)), "activity_type": str(logged["run"].pk), "q": "run"}
    page_params = {"from": api_params["from"], "type": api_params["activity_type"], "q": "run"}
    page = page_client.get("/train/history/", page_params)
    assert [s.name for s in page.context["sessions"]] == _names(_api(member).get(SESSIONS, api_params)) == ["Mid run"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"form": "2026-01-01"}, "form", "Unknown field."),
        ({"type": "running"}, "type", "Unknown field."),
        ({"from": "9999-12-01"}, "from", "Enter a date between 1900-01-01 and 2100-12-31."),
        ({"to": "0001-01-01"}, "to", "Enter a date between 1900-01-01 and 2100-12-31."),
        ({"from": "yesterday"}, "from", "Enter a date as YYYY-MM-DD."),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "from", "Choose a first day on or before the last day."),
        ({"ordering": "name"}, "ordering", '"name" is not a valid choice.'),
        ({"status": "paused"}, "status", '"paused" is not a valid choice.'),
        ({"activity_type": "running"}, "activity_type", "Must be a valid UUID."),
        ({"page_size": "1000"}, "page_size", "Ensure this value is less than or equal to 100."),
    ],
)
def test_unknown_or_bad_parameters_are_a_400_with_a_field_error(member, params, field, message):
    response = _api(member).get(SESSIONS, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["fields"] == {field: [message]}


def test_pagination_parameters_stay_allowed(member, logged):
    client = _api(member)
    first = client.get(SESSIONS, {"page_size": 3, "ordering": "started_at"}).json()
    assert first["count"] == 4 and [r["name"] for r in first["results"]] == ["Old run", "Mid run", "Heavy legs"]
    second = client.get(SESSIONS, {"page_size": 3, "page": 2, "ordering": "started_at"}).json()
    assert [r["name"] for r in second["results"]] == ["Open lift"]


def _filtered(logged) -> dict:
    today = logged["today"]
    return {
        "from": str(today - dt.timedelta(days=365)),
        "to": str(today),
        "activity_type": str(logged["lift"].pk),
        "exercise": str(logged["squat"].pk),
        "q": "legs",
        "status": "finished",
        "ordering": "-local_date",
        "page_size": 50,
    }


@pytest.mark.parametrize("filtered", [False, True], ids=["plain", "filtered"])
def test_query_count_is_pinned_and_independent_of_data_size(member, logged, filtered):
    client = _api(member)
    params = _filtered(logged) if filtered else {"page_size": 50}
    # The count and the page: two queries, whatever the filters (force_authenticate reads nothing).
    with assert_num_queries(2):
        few = client.get(SESSIONS, params)
    for day in range(60):
        session = SessionFactory(
            user=member,
            name="Heavy legs",
            activity_type=logged["lift"],
            local_date=logged["today"] - dt.timedelta(days=day),
        )
        SessionExerciseFactory(session=session, exercise=logged["squat"])
    with assert_max_queries(2):
        many = client.get(SESSIONS, params)
    assert few.json()["count"] < many.json()["count"]
    assert len(many.json()["results"]) == 50


def test_the_schema_documents_the_filters():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/sessions/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"from", "to", "activity_type", "exercise", "q", "status", "ordering", "page", "page_size"}
    by_name = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert by_name["from"]["schema"]["format"] == "date"
    assert set(by_name["ordering"]["schema"]["enum"]) == {"started_at", "-started_at", "local_date", "-local_date"}
