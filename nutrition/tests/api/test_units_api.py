"""The API keeps SI values (ml, kg) and echoes them in the caller's units in `*_display` fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from nutrition.services import plans as plan_services
from nutrition.tests.plans_helpers import complete_profile

pytestmark = pytest.mark.django_db
DAY = "2026-03-10"


def _client(unit_system):
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(unit_system=unit_system)
    user.refresh_from_db()
    client = APIClient()
    client.force_authenticate(user)
    return client, user


@pytest.mark.parametrize(
    ("unit_system", "amount", "total", "target"),
    [("imperial", "17 fl oz", "17 fl oz", "68 fl oz"), ("metric", "500 ml", "500 ml", "2,000 ml")],
)
def test_water_echoes_the_callers_unit(unit_system, amount, total, target):
    client, _ = _client(unit_system)
    log = client.post("/api/v1/water/", {"amount_ml": 500, "date": DAY}, format="json").json()
    assert (log["amount_ml"], log["amount_display"]) == (500, amount)
    water = client.get("/api/v1/water/", {"date": DAY}).json()
    assert (water["total_ml"], water["total_display"]) == (500, total)
    day = client.get(f"/api/v1/days/{DAY}/").json()["water"]
    assert (day["total_display"], day["target_ml"], day["target_display"]) == (total, 2000, target)
    assert day["logs"][0]["amount_display"] == amount


def test_hydration_target_and_plan_weight_echo_the_callers_unit():
    client, user = _client("imperial")
    body = client.get("/api/v1/hydration-preferences/").json()
    assert (body["daily_target_ml"], body["daily_target_display"]) == (2000, "68 fl oz")
    complete_profile(user, weight=Decimal(80))
    plan_services.meal_plan_calculate(user=user)
    plan = client.get("/api/v1/meal-plan/").json()
    assert (plan["weight_at_calculation_kg"], plan["weight_at_calculation_display"]) == ("80.00", "176.4 lb")
