"""Goals API: owner-scoped CRUD, progress, milestones, abandon; SI in, SI and the person's units out."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from coaching.models import Goal, GoalStatus
from fitjourney.testing.access import assert_access

from .factories import GoalFactory
from .goals_kit import weigh

pytestmark = pytest.mark.django_db

OWNER_ONLY = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("suffix", ["", "progress/", "milestones/"])
def test_a_goal_is_the_owners_only(client, personas, suffix):
    goal = GoalFactory(user=personas.owner)
    assert_access(client, personas, lambda c: c.get(f"/api/v1/goals/{goal.pk}/{suffix}"), OWNER_ONLY)


def test_create_in_si_and_read_in_the_persons_units(personas):
    owner = personas.owner
    owner.unit_system = "imperial"
    owner.save(update_fields=["unit_system"])
    weigh(owner, 90)
    date = (owner.local_today() + dt.timedelta(weeks=8)).isoformat()
    api = _client(owner)
    response = api.post("/api/v1/goals/", {"metric": "body_weight", "change": "-5", "target_date": date}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["target_value"] == "85.000" and body["direction"] == "down" and body["unit"] == "kg"
    assert body["target_display"].endswith("lb") and len(body["milestones"]) == 4
    progress = api.get(f"/api/v1/goals/{body['id']}/progress/").json()
    assert progress["current"] == "90.000" and progress["percent"] == 0
    assert api.get("/api/v1/goals/").json()["results"][0]["id"] == body["id"]
    assert _client(personas.other_member).get("/api/v1/goals/").json()["results"] == []


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"metric": "body_weight", "target_value": "90"}, "target_value"),
        ({"metric": "nope", "target_value": "1"}, "metric"),
        ({"metric": "body_weight", "target_value": "80", "target_date": "2001-01-01"}, "target_date"),
        (
            {"metric": "exercise_e1rm", "target_value": "100", "exercise": "00000000-0000-0000-0000-000000000000"},
            "exercise",
        ),
        ({"metric": "body_weight", "target_value": "80", "bogus": 1}, "bogus"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(personas, payload, field):
    weigh(personas.owner, 90)
    response = _client(personas.owner).post("/api/v1/goals/", payload, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Goal.objects.exists()


def test_patch_abandon_delete(personas):
    goal = GoalFactory(user=personas.owner)
    api = _client(personas.owner)
    assert api.patch(f"/api/v1/goals/{goal.pk}/", {"title": "Lean"}, format="json").json()["title"] == "Lean"
    assert _client(personas.other_member).post(f"/api/v1/goals/{goal.pk}/abandon/").status_code == 404
    assert api.post(f"/api/v1/goals/{goal.pk}/abandon/").json()["status"] == GoalStatus.ABANDONED
    assert api.post(f"/api/v1/goals/{goal.pk}/abandon/").status_code == 400
    assert _client(personas.other_member).delete(f"/api/v1/goals/{goal.pk}/").status_code == 404
    assert api.delete(f"/api/v1/goals/{goal.pk}/").status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()
