from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from training.models import IdempotencyKey, Session, Set
from training.services import sessions as services
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_hooks(monkeypatch):
    monkeypatch.setattr(services.records_service, "records_detect", lambda *, session: [])
    monkeypatch.setattr(services.streaks_service, "streaks_refresh", lambda *, user: None)


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(exercise, activity_type, **overrides):
    data = {
        "activity_type": str(activity_type.pk),
        "name": "Push",
        "started_at": "2026-01-10T10:00:00Z",
        "ended_at": "2026-01-10T11:00:00Z",
        "rating": 8,
        "exercises": [
            {
                "exercise": str(exercise.pk),
                "order": 1,
                "sets": [{"reps": 8, "weight_kg": "60"}, {"reps": 6, "weight_kg": "70"}],
            }
        ],
        "finished": True,
    }
    data.update(overrides)
    return data


def test_nested_create_of_a_whole_session():
    user = UserFactory()
    exercise, activity = ExerciseFactory(), ActivityTypeFactory()
    response = _client(user).post("/api/v1/sessions/", _payload(exercise, activity), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "finished" and body["total_volume_kg"] == "900.00"
    assert body["duration_seconds"] == 3600 and len(body["exercises"][0]["sets"]) == 2


def test_one_bad_set_stores_nothing():
    user = UserFactory()
    payload = _payload(ExerciseFactory(), ActivityTypeFactory())
    payload["exercises"][0]["sets"][1]["rpe"] = 11
    response = _client(user).post("/api/v1/sessions/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert not Session.objects.exists() and not Set.objects.exists()


def test_invisible_exercise_is_a_field_error():
    user = UserFactory()
    payload = _payload(ExerciseFactory(owner=UserFactory()), ActivityTypeFactory())
    response = _client(user).post("/api/v1/sessions/", payload, format="json")
    assert response.status_code == 400
    assert "exercises[0].exercise" in response.json()["error"]["fields"]
    assert not Session.objects.exists()


def test_idempotent_retry_returns_the_stored_response():
    user = UserFactory()
    client = _client(user)
    payload = _payload(ExerciseFactory(), ActivityTypeFactory())
    first = client.post("/api/v1/sessions/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/api/v1/sessions/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Session.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    different = client.post(
        "/api/v1/sessions/", {**payload, "name": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert different.status_code == 422
    assert Session.objects.count() == 1


def test_crud_is_scoped_to_the_owner(personas):
    session = services.session_start(user=personas.owner, activity_type=ActivityTypeFactory())
    se = services.exercise_add(user=personas.owner, session=session, exercise=ExerciseFactory())
    s = services.set_add(user=personas.owner, session_exercise=se, reps=5, weight_kg=Decimal("50"))
    url = f"/api/v1/sessions/{session.pk}/"
    anonymous = APIClient()
    assert anonymous.get(url).status_code in (401, 403)
    for other in (personas.other_member, personas.trainer, personas.staff):
        client = _client(other)
        assert client.get(url).status_code == 404
        assert client.patch(url, {"rating": 5}, format="json").status_code == 404
        assert client.delete(url).status_code == 404
        assert client.post(f"/api/v1/session-exercises/{se.pk}/sets/", {"reps": 5}, format="json").status_code == 404
        assert client.patch(f"/api/v1/sets/{s.pk}/", {"reps": 1}, format="json").status_code == 404
        assert client.get(f"/api/v1/sessions/{session.pk}/exercises/").status_code == 404
        assert (
            client.post(f"/api/v1/sessions/{session.pk}/save-as-template/", {"name": "x"}, format="json").status_code
            == 404
        )
        assert client.get("/api/v1/sessions/").json()["count"] == 0
    owner = _client(personas.owner)
    assert owner.get("/api/v1/sessions/").json()["count"] == 1
    assert owner.patch(url, {"rating": 11}, format="json").status_code == 400
    assert owner.patch(url, {"rating": 7}, format="json").json()["rating"] == 7
    assert (
        owner.post(
            f"/api/v1/session-exercises/{se.pk}/sets/", {"reps": 5, "weight_kg": "-1"}, format="json"
        ).status_code
        == 400
    )
    assert owner.post(f"/api/v1/session-exercises/{se.pk}/sets/", {"reps": 5}, format="json").status_code == 201
    assert owner.delete(f"/api/v1/sets/{s.pk}/").status_code == 204
    template = owner.post(f"/api/v1/sessions/{session.pk}/save-as-template/", {"name": "Mine"}, format="json")
    assert template.status_code == 201
    assert [t["name"] for t in owner.get("/api/v1/templates/").json()] == ["Mine"]
    assert _client(personas.other_member).post(f"/api/v1/templates/{template.json()['id']}/start/").status_code == 404
    assert owner.post(f"/api/v1/templates/{template.json()['id']}/start/").status_code == 201
    assert owner.delete(url).status_code == 204
