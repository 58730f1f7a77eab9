"""Habits API: access for every persona and operation, the check-in upsert (201 then 200), strictness,
bad input as 400 with field errors and nothing saved."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Habit, HabitLog, HabitTemplate
from coaching.tests.factories import HabitFactory, HabitLogFactory, NumericHabitFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

EVERYONE_OWN = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
OWNER_ONLY = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _today():
    return timezone.localdate()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def owned(personas):
    habit = NumericHabitFactory(user=personas.owner, name="Water")
    HabitLogFactory(habit=habit, log_date=_today(), value=8)
    return habit


def test_anonymous_is_refused_in_the_error_shape(api):
    response = api.get("/api/v1/habits/")
    assert response.status_code == 401 and response.json()["error"]["status"] == 401


@pytest.mark.parametrize("url", ["/api/v1/habits/", "/api/v1/habit-templates/"])
def test_lists_show_each_person_their_own(api, personas, owned, url):
    assert_access(api, personas, lambda c: c.get(url), EVERYONE_OWN)


def test_the_list_holds_only_the_callers_habits(personas, owned):
    HabitFactory(user=personas.other_member)
    body = _client(personas.owner).get("/api/v1/habits/").json()
    assert [h["name"] for h in body["results"]] == ["Water"]
    assert body["results"][0]["stats"]["current_streak"] == 1
    assert body["results"][0]["today_log"]["value"] == "8.00"


@pytest.mark.parametrize(
    ("method", "suffix", "data", "owner_status"),
    [
        ("get", "", None, 200),
        ("patch", "", {"name": "More water"}, 200),
        ("get", "logs/", None, 200),
        ("post", "logs/", {"log_date": None, "value": "5"}, 200),
        ("get", "logs/{today}/", None, 200),
        ("delete", "logs/{today}/", None, 204),
        ("delete", "", None, 204),
    ],
)
def test_a_habit_and_its_logs_are_the_owners_only(api, personas, owned, method, suffix, data, owner_status):
    url = f"/api/v1/habits/{owned.pk}/" + suffix.format(today=_today().isoformat())
    if data is not None and "log_date" in data:
        data = {**data, "log_date": _today().isoformat()}
    expected = {**OWNER_ONLY, "owner": owner_status}
    assert_access(api, personas, lambda c: getattr(c, method)(url, data, format="json"), expected)


def test_create_from_a_template_and_custom(personas):
    client = _client(personas.owner)
    water = HabitTemplate.objects.get(name="Drink Water", is_system=True)
    response = client.post("/api/v1/habits/", {"template": str(water.pk)}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["unit"], body["target_value"], body["template"]) == (
        "Drink Water",
        "glasses",
        "8.00",
        str(water.pk),
    )
    response = client.post(
        "/api/v1/habits/",
        {
            "name": "Stretch",
            "tracking_type": "boolean",
            "frequency": "custom",
            "weekdays": [1, 3],
            "reminder_time": "07:30",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["weekdays"] == [1, 3]
    assert Habit.objects.filter(user=personas.owner).count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Run", "tracking_type": "numeric"}, "target_value"),
        ({"name": "Run", "tracking_type": "boolean", "frequency": "custom"}, "weekdays"),
        ({"name": "Run", "tracking_type": "boolean", "weekdays": [9]}, "weekdays"),
        ({"name": "Run", "tracking_type": "sometimes"}, "tracking_type"),
        ({"name": "Run", "tracking_type": "boolean", "user": str(uuid.uuid4())}, "user"),
        ({"name": "Run", "tracking_type": "boolean", "id": str(uuid.uuid4())}, "id"),
        ({"template": str(uuid.uuid4())}, "template"),
        ({"name": "Run", "tracking_type": "numeric", "target_value": "abc"}, "target_value"),
        ({"name": "Run\x00", "tracking_type": "boolean"}, "name"),
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(personas, payload, field):
    response = _client(personas.owner).post("/api/v1/habits/", payload, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert not Habit.objects.exists()


def test_another_persons_template_is_a_400(personas):
    theirs = HabitTemplate.objects.create(name="Theirs", tracking_type="boolean", created_by=personas.other_member)
    response = _client(personas.owner).post("/api/v1/habits/", {"template": str(theirs.pk)}, format="json")
    assert response.status_code == 400 and "template" in response.json()["error"]["fields"]


def test_patch_and_bad_patch(personas, owned):
    client = _client(personas.owner)
    response = client.patch(f"/api/v1/habits/{owned.pk}/", {"target_value": "10", "is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["target_value"] == "10.00"
    response = client.patch(f"/api/v1/habits/{owned.pk}/", {"end_date": "2000-01-01", "name": "X"}, format="json")
    assert response.status_code == 400 and "end_date" in response.json()["error"]["fields"]
    owned.refresh_from_db()
    assert owned.name == "Water" and owned.target_value == 10 and not owned.is_active


def test_the_log_upsert_answers_201_then_200_and_never_duplicates(personas):
    habit = NumericHabitFactory(user=personas.owner)
    client = _client(personas.owner)
    url = f"/api/v1/habits/{habit.pk}/logs/"
    first = client.post(url, {"log_date": _today().isoformat(), "value": "3", "notes": "am"}, format="json")
    assert first.status_code == 201 and first.json()["completed"] is False
    second = client.post(url, {"log_date": _today().isoformat(), "value": "8"}, format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert second.json()["completed"] is True and second.json()["notes"] == "am"
    assert HabitLog.objects.filter(habit=habit).count() == 1


def test_done_or_not_logs(personas):
    habit = HabitFactory(user=personas.owner)
    client = _client(personas.owner)
    url = f"/api/v1/habits/{habit.pk}/logs/"
    assert client.post(url, {"log_date": _today().isoformat(), "completed": True}, format="json").status_code == 201
    response = client.post(url, {"log_date": _today().isoformat(), "value": "2"}, format="json")
    assert response.status_code == 400 and "value" in response.json()["error"]["fields"]
    assert HabitLog.objects.get(habit=habit).completed


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"log_date": "2999-01-01", "value": "3"}, "log_date"),
        ({"log_date": "2000-01-01", "value": "3"}, "log_date"),
        ({"log_date": "yesterday", "value": "3"}, "log_date"),
        ({"value": "3"}, "log_date"),
        ({"log_date": "TODAY", "value": "-3"}, "value"),
        ({"log_date": "TODAY"}, "value"),
        ({"log_date": "TODAY", "value": "3", "habit": str(uuid.uuid4())}, "habit"),
    ],
)
def test_bad_logs_are_400s_and_save_nothing(personas, payload, field):
    habit = NumericHabitFactory(user=personas.owner)
    payload = {k: (_today().isoformat() if v == "TODAY" else v) for k, v in payload.items()}
    response = _client(personas.owner).post(f"/api/v1/habits/{habit.pk}/logs/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert not HabitLog.objects.exists()


def test_logs_list_with_a_date_range(personas):
    habit = HabitFactory(user=personas.owner, start_date=_today() - dt.timedelta(days=30))
    for n in range(10):
        HabitLogFactory(habit=habit, log_date=_today() - dt.timedelta(days=n))
    client = _client(personas.owner)
    start, end = _today() - dt.timedelta(days=5), _today() - dt.timedelta(days=2)
    body = client.get(f"/api/v1/habits/{habit.pk}/logs/", {"from": start.isoformat(), "to": end.isoformat()}).json()
    assert [r["log_date"] for r in body["results"]] == [(end - dt.timedelta(days=n)).isoformat() for n in range(4)]
    response = client.get(f"/api/v1/habits/{habit.pk}/logs/", {"from": "soon"})
    assert response.status_code == 400 and "date_from" in response.json()["error"]["fields"]


def test_a_missing_day_or_a_bad_date_is_a_404(personas, owned):
    client = _client(personas.owner)
    yesterday = (_today() - dt.timedelta(days=1)).isoformat()
    assert client.get(f"/api/v1/habits/{owned.pk}/logs/{yesterday}/").status_code == 404
    assert client.delete(f"/api/v1/habits/{owned.pk}/logs/{yesterday}/").status_code == 404
    assert client.get(f"/api/v1/habits/{owned.pk}/logs/2026-02-30/").status_code == 404
    assert client.get(f"/api/v1/habits/{uuid.uuid4()}/").status_code == 404


def test_deleted_habits_are_gone(personas, owned):
    client = _client(personas.owner)
    assert client.delete(f"/api/v1/habits/{owned.pk}/").status_code == 204
    assert client.get(f"/api/v1/habits/{owned.pk}/").status_code == 404
    assert client.get("/api/v1/habits/").json()["results"] == []


def test_the_list_reads_in_a_few_queries_whatever_the_data(personas):
    for _ in range(6):
        habit = HabitFactory(user=personas.owner, start_date=_today() - dt.timedelta(days=60))
        for n in range(30):
            HabitLogFactory(habit=habit, log_date=_today() - dt.timedelta(days=n))
    client = _client(personas.owner)
    # Count, page of habits, their logs.
    with assert_max_queries(3):
        assert client.get("/api/v1/habits/").status_code == 200


def test_a_token_request_uses_the_callers_own_date(token_client, member):
    from zoneinfo import ZoneInfo

    from accounts.models import User

    # A zone whose date differs from UTC's right now (UTC+14 from 10:00 UTC, UTC-11 before 11:00 UTC).
    utc_today = timezone.now().date()
    zone = next(
        z for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago") if timezone.localdate(timezone=ZoneInfo(z)) != utc_today
    )
    User.objects.filter(pk=member.pk).update(timezone=zone)
    member.refresh_from_db()
    today = member.local_today()
    assert today != utc_today
    habit = HabitFactory(user=member, start_date=today - dt.timedelta(days=3))
    HabitLogFactory(habit=habit, log_date=today)
    body = token_client.get(f"/api/v1/habits/{habit.pk}/").json()
    assert body["today_log"]["log_date"] == today.isoformat() and body["stats"]["current_streak"] == 1
    response = token_client.post(
        f"/api/v1/habits/{habit.pk}/logs/", {"log_date": today.isoformat(), "completed": False}, format="json"
    )
    assert response.status_code == 200
