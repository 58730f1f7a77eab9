"""The intake API: read the state, save a step (validated like the pages), confirm; and /api/v1/me/'s intake
section."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Profile, User
from accounts.tests.factories import UserFactory
from coaching.models import OnboardingState, Step
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import MealPlan

from .intake_kit import answer_steps

pytestmark = pytest.mark.django_db

STATE = "/api/v1/intake/"
CONFIRM = "/api/v1/intake/confirm/"
ME = "/api/v1/me/"

# Every step's answers as JSON, SI units.
BODIES: dict[int, dict[str, Any]] = {
    0: {"unit_system": "metric", "timezone": "Europe/Lisbon"},
    1: {"fitness_level": "intermediate", "activity_level": "lightly_active"},
    2: {"primary_goal": "muscle_gain", "secondary_goal": "strength", "target_weight_kg": "82.5"},
    3: {"birth_date": "1988-11-02", "gender": "male", "height_m": "1.820", "weight_kg": "79.20"},
    4: {
        "injuries": [{"area": "back", "severity": "moderate", "description": "Disc"}],
        "equipment": ["barbell"],
        "workout_location": "gym",
        "max_workout_minutes": 90,
    },
    5: {"diet_type": "omnivore", "allergies": ["shellfish"]},
    6: {"meals_per_day": 4},
    7: {
        "meals": [
            {
                "meal_number": 1,
                "name": "Breakfast",
                "scheduled_time": "07:00",
                "earliest_time": "06:30",
                "latest_time": "08:00",
            },
            {
                "meal_number": 2,
                "name": "Lunch",
                "scheduled_time": "12:30",
                "earliest_time": "12:00",
                "latest_time": "13:30",
            },
        ]
    },  # fmt: skip
    8: {"days": ["tuesday", "thursday", "saturday"], "preferred_time": "06:30", "preferred_duration_minutes": 90},
    9: {"daily_target_ml": 3000},
    10: {"energy_level": "high", "stress_level": "low", "sleep_quality": "good", "sleep_hours": "7.5"},
}


def _step(step: int) -> str:
    return f"/api/v1/intake/steps/{step}/"


@pytest.fixture
def newcomer():
    return UserFactory(intake_completed_at=None)


@pytest.fixture
def api(newcomer):
    client = APIClient()
    client.force_authenticate(newcomer)
    return client


def _errors(response) -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    return error["fields"]


def test_a_newcomer_starts_at_the_welcome(api):
    data = api.get(STATE).json()
    assert (data["current_step"], data["next_step"], data["is_complete"], data["completed_steps"]) == (0, 0, False, [])
    assert data["step_data"] == {} and data["flow_version"] == "1.0"
    assert [step["name"] for step in data["steps"]][:3] == ["Welcome", "Fitness level", "Goals"]
    assert [step["available"] for step in data["steps"]] == [True] + [False] * 11


def test_the_whole_intake_through_the_api(api, newcomer):
    for step, body in BODIES.items():
        response = api.post(_step(step), body, format="json")
        assert response.status_code == 200, (step, response.json())
        assert response.json()["next_step"] == step + 1
    data = api.get(STATE).json()
    assert data["step_data"]["step_3"]["height_m"] == "1.820"
    assert data["step_data"]["step_6"]["meals_per_day"] == 4
    response = api.post(CONFIRM)
    assert response.status_code == 200
    data = response.json()
    assert data["is_complete"] and data["next_step"] is None and data["completed_at"]
    assert User.objects.get(pk=newcomer.pk).intake_completed_at is not None
    assert MealPlan.objects.get(user=newcomer).meals_per_day == 4
    assert Profile.objects.get(user=newcomer).primary_goal == "muscle_gain"
    # Confirming again is harmless.
    assert api.post(CONFIRM).status_code == 200


def test_put_saves_a_step_too(api, newcomer):
    assert api.put(_step(0), BODIES[0], format="json").status_code == 200
    assert OnboardingState.objects.get(user=newcomer).step_data["step_0"]["timezone"] == "Europe/Lisbon"


def test_an_incompatible_goal_pair_is_a_400_on_the_step_and_nothing_is_saved(api, newcomer):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    fields = _errors(api.post(_step(2), {"primary_goal": "fat_loss", "secondary_goal": "muscle_gain"}, format="json"))
    assert "cannot be paired" in fields["secondary_goal"][0]
    assert "step_2" not in OnboardingState.objects.get(user=newcomer).step_data


def test_overlapping_meal_windows_are_a_400(api, newcomer):
    answer_steps(newcomer, Step.MEAL_PLAN)
    body = {"meals": [dict(row) for row in BODIES[7]["meals"]]}
    body["meals"][1].update({"earliest_time": "07:30", "scheduled_time": "09:00"})
    fields = _errors(api.post(_step(7), body, format="json"))
    assert "overlaps" in fields["meals"][0]
    assert "step_7" not in OnboardingState.objects.get(user=newcomer).step_data


def test_a_workout_week_without_a_day_is_a_400(api, newcomer):
    answer_steps(newcomer, Step.MEAL_SCHEDULE)
    fields = _errors(api.post(_step(8), {**BODIES[8], "days": []}, format="json"))
    assert fields == {"days": ["Pick at least one workout day."]}


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        (0, {"unit_system": "metric", "timezone": "UTC", "extra": 1}, "extra"),
        (0, {"unit_system": "metric"}, "timezone"),
        (3, {**BODIES[3], "weight_kg": "0"}, "weight_kg"),
        (3, {**BODIES[3], "birth_date": "yesterday"}, "birth_date"),
        (4, {**BODIES[4], "max_workout_minutes": 200}, "max_workout_minutes"),
        (4, {**BODIES[4], "injuries": [{"area": "knee"}]}, "injuries[0].severity"),
        (8, {**BODIES[8], "preferred_duration_minutes": 10}, "preferred_duration_minutes"),
        (8, {**BODIES[8], "days": ["funday"]}, "days"),
    ],
)
def test_bad_answers_are_400s_with_field_errors(api, newcomer, step, body, field):
    answer_steps(newcomer, step - 1) if step else None
    before = OnboardingState.objects.filter(user=newcomer).values().first()
    assert field in _errors(api.post(_step(step), body, format="json"))
    assert OnboardingState.objects.filter(user=newcomer).values().first() == before


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b'{"unit_system": "\\u0000"}'])
def test_malformed_bodies_are_4xx(api, raw):
    response = api.generic("POST", _step(0), raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_steps_cannot_be_skipped(api, newcomer):
    answer_steps(newcomer, Step.WELCOME)
    fields = _errors(api.post(_step(3), BODIES[3], format="json"))
    assert fields == {"step": ["Answer “Fitness level” first."]}


def test_the_review_is_confirmed_not_saved_and_other_steps_do_not_exist(api, newcomer):
    answer_steps(newcomer)
    assert "step" in _errors(api.post(_step(11), {}, format="json"))
    assert api.post(_step(12), {}, format="json").status_code == 404


def test_confirming_early_lists_the_missing_steps(api, newcomer):
    answer_steps(newcomer, Step.MEAL_SCHEDULE)
    fields = _errors(api.post(CONFIRM))
    assert fields["steps"] == [
        "Step 9 of 12 (Workout schedule) is not answered yet.",
        "Step 10 of 12 (Hydration) is not answered yet.",
        "Step 11 of 12 (Lifestyle) is not answered yet.",
    ]


def test_a_completed_intake_takes_no_more_steps(api, newcomer):
    answer_steps(newcomer)
    assert api.post(CONFIRM).status_code == 200
    assert "step" in _errors(api.post(_step(0), BODIES[0], format="json"))


def test_each_person_reads_and_writes_only_their_own_intake(newcomer):
    answer_steps(newcomer, Step.BODY)
    other = UserFactory(intake_completed_at=None)
    client = APIClient()
    client.force_authenticate(other)
    assert client.get(STATE).json()["step_data"] == {}
    assert client.post(_step(0), BODIES[0], format="json").status_code == 200
    assert OnboardingState.objects.get(user=newcomer).step_data["step_0"]["timezone"] == "Europe/Berlin"
    assert OnboardingState.objects.get(user=other).completed_steps == [0]


def test_access(personas):
    User.objects.filter(pk=personas.owner.pk).update(intake_completed_at=None)
    personas.owner.refresh_from_db()
    client = APIClient()
    everyone = {"owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(STATE), {"anonymous": 401, **everyone})
    # Only the owner is still in the intake; the others completed theirs, so saving a step is refused.
    completed = {"other_member": 400, "trainer": 400, "staff": 400}
    assert_access(
        client,
        personas,
        lambda c: c.post(_step(0), BODIES[0], format="json"),
        {"anonymous": 401, "owner": 200, **completed},
    )
    assert_access(
        client,
        personas,
        lambda c: c.put(_step(0), BODIES[0], format="json"),
        {"anonymous": 401, "owner": 200, **completed},
    )
    # The owner has steps to answer first; for the others confirming again is harmless.
    assert_access(
        client,
        personas,
        lambda c: c.post(CONFIRM),
        {"anonymous": 401, "owner": 400, "other_member": 200, "trainer": 200, "staff": 200},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(CONFIRM),
        {"anonymous": 401, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405},
    )
    assert list(OnboardingState.objects.values_list("user_id", flat=True)) == [personas.owner.pk]


def test_the_api_stays_usable_before_the_intake(newcomer):
    client = APIClient()
    client.force_authenticate(newcomer)
    assert client.get("/api/v1/meals/").status_code == 200


def test_saving_a_step_costs_at_most_12_queries(token_client, member):
    User.objects.filter(pk=member.pk).update(intake_completed_at=None)
    member.refresh_from_db()
    answer_steps(member, Step.GOALS)
    with assert_max_queries(12):
        response = token_client.post(_step(3), BODIES[3], format="json")
    assert response.status_code == 200
    with assert_max_queries(12):
        response = token_client.post(_step(4), BODIES[4], format="json")
    assert response.status_code == 200


# --- /api/v1/me/ -------------------------------------------------------------------------------------


def test_me_says_where_a_newcomer_continues(api, newcomer):
    assert api.get(ME).json()["intake"] == {"complete": False, "next_step": 0, "next_url": "/intake/0/"}
    answer_steps(newcomer, Step.GOALS)
    with assert_max_queries(1):
        intake = api.get(ME).json()["intake"]
    assert intake == {"complete": False, "next_step": 3, "next_url": "/intake/3/"}


def test_me_says_the_intake_is_complete_without_a_query(member):
    client = APIClient()
    client.force_authenticate(member)
    with assert_max_queries(0):
        data = client.get(ME).json()
    assert data["intake"] == {"complete": True, "next_step": None, "next_url": None}


def test_me_refuses_writing_the_intake_section(api):
    response = api.patch(ME, {"intake": {"complete": True}}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["intake"] == ["This field is read-only."]


def test_the_schema_describes_the_intake(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert {"/api/v1/intake/", "/api/v1/intake/steps/{step}/", "/api/v1/intake/confirm/"} <= set(schema["paths"])
    me = schema["components"]["schemas"]["Me"]["properties"]["intake"]
    assert me["allOf"][0]["$ref"].endswith("/IntakeMe") if "allOf" in me else me["$ref"].endswith("/IntakeMe")
    assert set(schema["components"]["schemas"]["IntakeMe"]["properties"]) == {"complete", "next_step", "next_url"}
