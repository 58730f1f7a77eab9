"""The plan API: every operation for every persona, and the same rules as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from nutrition.models import MealPlan
from nutrition.services import plans as services

from ..plans_helpers import complete_profile

pytestmark = pytest.mark.django_db


def _matrix(personas, call, expected):
    failures = []
    for name, user in personas.items():
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        response = call(client, user)
        if response.status_code != expected[name]:
            failures.append(f"{name}: expected {expected[name]}, got {response.status_code} {response.content[:200]}")
    assert not failures, "\n".join(failures)


def own(status):
    return {"anonymous": 401, "owner": status, "other_member": status, "trainer": status, "staff": status}


@pytest.fixture
def everyone_planned(personas):
    for _, user in personas.items():
        if user is not None:
            complete_profile(user)
            services.meal_plan_calculate(user=user)
    return personas


MEAL = {"meal_number": 1, "name": "Breakfast", "scheduled_time": "08:00", "earliest_time": "07:00",
        "latest_time": "09:00", "notification_offset_minutes": -15, "is_active": True}  # fmt: skip


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("get", "/api/v1/meal-plan/", None, 200),
        ("post", "/api/v1/meal-plan/calculate/", {"meals_per_day": 4}, 200),
        ("post", "/api/v1/meal-plan/recalculate/", {"reason": "New scale"}, 200),
        ("post", "/api/v1/meal-plan/lock/", None, 200),
        ("post", "/api/v1/meal-plan/unlock/", None, 200),
        ("patch", "/api/v1/meal-plan/", {"meals_per_day": 5}, 200),
        ("get", "/api/v1/meal-schedule/", None, 200),
        ("put", "/api/v1/meal-schedule/", {"meals": [MEAL]}, 200),
        ("get", "/api/v1/dietary-preferences/", None, 200),
        ("put", "/api/v1/dietary-preferences/", {"diet_type": "vegan", "allergies": ["peanuts"]}, 200),
        ("get", "/api/v1/hydration-preferences/", None, 200),
        ("put", "/api/v1/hydration-preferences/", {"daily_target_ml": 2500}, 200),
    ],
)
def test_access_matrix(everyone_planned, method, url, body, status):
    def call(client, user):
        return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)

    _matrix(everyone_planned, call, own(status))


def test_each_person_reads_and_writes_only_their_own(everyone_planned):
    owner, other = everyone_planned.owner, everyone_planned.other_member
    client = APIClient()
    client.force_authenticate(other)
    client.patch("/api/v1/meal-plan/", {"meals_per_day": 6}, format="json")
    assert MealPlan.objects.get(user=owner).meals_per_day == 3
    assert MealPlan.objects.get(user=other).meals_per_day == 6


def test_get_without_a_plan_is_404(personas):
    client = APIClient()
    client.force_authenticate(personas.owner)
    assert client.get("/api/v1/meal-plan/").status_code == 404


def test_calculate_explains_missing_profile_data(personas):
    client = APIClient()
    client.force_authenticate(personas.owner)
    response = client.post("/api/v1/meal-plan/calculate/", {}, format="json")
    assert response.status_code == 400
    assert "birth date" in str(response.json())


def test_patch_applies_the_rules(everyone_planned):
    client = APIClient()
    client.force_authenticate(everyone_planned.owner)
    response = client.patch("/api/v1/meal-plan/", {"protein_g": "400"}, format="json")
    assert response.status_code == 400 and "±50 kcal" in str(response.json())
    response = client.patch(
        "/api/v1/meal-plan/",
        {"energy_target_kcal": 2200, "energy_min_kcal": 2000, "energy_max_kcal": 2400, "protein_g": "150",
         "carbohydrate_g": "250", "fat_g": "70"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert Decimal(data["protein_pct"]) + Decimal(data["carbohydrate_pct"]) + Decimal(data["fat_pct"]) == 100
    assert client.patch("/api/v1/meal-plan/", {"is_locked": True}, format="json").status_code == 400


def test_a_locked_plan_refuses_patch_but_recalculates(everyone_planned):
    client = APIClient()
    client.force_authenticate(everyone_planned.owner)
    client.post("/api/v1/meal-plan/lock/")
    assert client.patch("/api/v1/meal-plan/", {"meals_per_day": 4}, format="json").status_code == 400
    assert client.post("/api/v1/meal-plan/recalculate/", {}, format="json").status_code == 400
    response = client.post("/api/v1/meal-plan/recalculate/", {"reason": "Weighed again"}, format="json")
    assert response.status_code == 200
    assert response.json()["recalculation_reason"] == "Weighed again" and response.json()["is_locked"]


def test_schedule_overlap_is_refused(everyone_planned):
    client = APIClient()
    client.force_authenticate(everyone_planned.owner)
    second = {**MEAL, "meal_number": 2, "name": "Second breakfast", "scheduled_time": "09:00",
              "earliest_time": "08:30", "latest_time": "10:00"}  # fmt: skip
    response = client.put("/api/v1/meal-schedule/", {"meals": [MEAL, second]}, format="json")
    assert response.status_code == 400
    assert "overlaps Breakfast" in str(response.json())


def test_preferences_validation(everyone_planned):
    client = APIClient()
    client.force_authenticate(everyone_planned.owner)
    assert client.put("/api/v1/dietary-preferences/", {"diet_type": "other"}, format="json").status_code == 400
    assert client.put("/api/v1/hydration-preferences/", {"daily_target_ml": 20000}, format="json").status_code == 400
    assert client.put("/api/v1/hydration-preferences/", {"nonsense": 1}, format="json").status_code == 400
