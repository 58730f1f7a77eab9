"""Issue 10's done-when in one place: the hostile inputs a tester sent (far dates, a one-year session, deep
JSON, a 10 MB body, a spoofed X-Forwarded-For, token minting) each get a clear 4xx in the one JSON error
format, never a 500, and nothing of them is saved. Each area's own tests go further
(tests/test_entry_dates.py, training/tests/test_session_dates_and_duration.py, tests/test_api_hardening.py,
accounts/tests/api/test_token_scopes.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services.tokens import api_token_create
from accounts.tests.factories import UserFactory
from coaching.models import PendingSummary
from nutrition.models import Meal, WaterLog
from training.models import ActivityType, Session

pytestmark = pytest.mark.django_db


def _assert_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["code"] and error["message"]
    return error


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def api(person) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=person, name='tester').raw}")
    return client


def test_far_dates(api):
    for day in ("9999-12-31", "0001-01-01"):
        for url, body in (
            ("/api/v1/meals/", {"date": day, "meal_type": "lunch"}),
            ("/api/v1/water/", {"amount_ml": 250, "date": day}),
            ("/api/v1/body-metrics/", {"metric_type": "weight", "value": "80", "measured_at": f"{day}T12:00:00Z"}),
        ):
            error = _assert_error(api.post(url, body, format="json"), 400)
            assert error["fields"], url
    _assert_error(api.get("/api/v1/summaries/weekly/", {"from": "9999-12-01", "to": "9999-12-31"}), 400)
    assert not Meal.objects.exists() and not WaterLog.objects.exists() and not PendingSummary.objects.exists()


def test_a_one_year_session_and_sessions_in_1900_or_9999(api):
    activity = ActivityType.objects.get(slug="running")
    start = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)
    body = {
        "activity_type": str(activity.pk),
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(days=365)).isoformat(),
        "finished": True,
    }
    assert "ended_at" in _assert_error(api.post("/api/v1/sessions/", body, format="json"), 400)["fields"]
    for moment in ("1899-06-01T08:00:00Z", "9999-12-31T08:00:00Z"):
        body = {"activity_type": str(activity.pk), "started_at": moment}
        assert "started_at" in _assert_error(api.post("/api/v1/sessions/", body, format="json"), 400)["fields"]
    assert not Session.objects.exists()


def test_json_nested_ten_thousand_levels_deep(api):
    deep = "[" * 10_000 + "]" * 10_000
    _assert_error(api.generic("POST", "/api/v1/water/", deep, content_type="application/json"), 400)


def test_a_ten_megabyte_body(api):
    body = json.dumps({"amount_ml": 250, "notes": "x" * (10 * 1024 * 1024)})
    _assert_error(api.generic("POST", "/api/v1/water/", body, content_type="application/json"), 413)
    assert not WaterLog.objects.exists()


def test_a_new_x_forwarded_for_per_request_does_not_escape_the_anonymous_throttle():
    client = APIClient()
    statuses = [client.get("/api/v1/docs/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(1, 70)]
    assert 429 in statuses
    _assert_error(client.get("/api/v1/docs/", HTTP_X_FORWARDED_FOR="198.51.100.1"), 429)
    body = {"email": "nobody@example.com", "password": "wrong", "name": "x"}
    token_statuses = [
        client.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(1, 15)
    ]
    assert 429 in token_statuses and 500 not in token_statuses


def test_a_token_cannot_mint_tokens_without_the_scope_and_revoking_takes_what_it_minted(person, api):
    _assert_error(api.post("/api/v1/tokens/", {"name": "minted"}, format="json"), 403)
    parent = api_token_create(user=person, name="manager", scopes=["read", "write", "tokens"])
    manager = APIClient()
    manager.credentials(HTTP_AUTHORIZATION=f"Bearer {parent.raw}")
    too_long = manager.post("/api/v1/tokens/", {"name": "child", "expires_in_days": 365}, format="json")
    assert "expires_in_days" in _assert_error(too_long, 400)["fields"]  # never outlives its parent (90 days)
    created = manager.post("/api/v1/tokens/", {"name": "child"}, format="json")
    assert created.status_code == 201, created.content[:300]
    child = ApiToken.objects.get(name="child")
    assert child.created_by_token_id == parent.token.pk and child.expires_at <= parent.token.expires_at
    manager.delete(f"/api/v1/tokens/{parent.token.pk}/")
    child.refresh_from_db()
    assert child.revoked_at is not None
    minted = APIClient()
    minted.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
    _assert_error(minted.get("/api/v1/me/"), 401)
