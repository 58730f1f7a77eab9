"""accounts' pages and API in the person's units: a metric person reads kg and cm, an imperial one lb and in
(fitjourney.units); the API keeps SI values and echoes them in the person's units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.selectors.profiles import profile_for_user
from accounts.services.body import body_metric_record
from accounts.services.profiles import profile_update
from accounts.tests.factories import UserFactory
from accounts.tests.test_body_metrics import PAGE, body_reference

pytestmark = pytest.mark.django_db

SHOWN = {
    "metric": {"weight": "80.5 kg", "waist": "82.5 cm", "height": "178 cm", "labels": ("Weight (kg)", "Waist (cm)")},
    "imperial": {
        "weight": "177.5 lb",
        "waist": "32.5 in",
        "height": "5 ft 10.1 in",
        "labels": ("Weight (lb)", "Waist (in)"),
    },
}


@pytest.fixture
def measured(db):
    """A person of each unit system with a weight, a waist and a body-fat entry and a height."""
    body_reference()
    people = {}
    for system in SHOWN:
        person = UserFactory(unit_system=system)
        body_metric_record(user=person, metric_type="weight", value=Decimal("80.5"))
        body_metric_record(user=person, metric_type="waist", value=Decimal("82.5"), unit="cm")
        body_metric_record(user=person, metric_type="body_fat", value=Decimal("18.5"))
        profile_update(
            profile=profile_for_user(user=person),
            changes={"height_m": Decimal("1.780")},
            changed_by="user",
            changed_by_user=person,
        )
        people[system] = person
    return people


@pytest.mark.parametrize("system", SHOWN)
def test_the_body_page_shows_and_asks_in_the_persons_units(measured, system):
    client = Client()
    client.force_login(measured[system])
    page = client.get(PAGE).content.decode()
    shown = SHOWN[system]
    assert all(label in page for label in shown["labels"])
    assert f"<td>{shown['weight']}</td>" in page and f"<td>{shown['waist']}</td>" in page
    assert "<td>18.5 %</td>" in page  # a percentage is the same for everybody
    other = SHOWN["imperial" if system == "metric" else "metric"]
    assert other["weight"] not in page and other["waist"] not in page


@pytest.mark.parametrize("system", SHOWN)
def test_the_api_keeps_si_values_and_echoes_the_persons_units(measured, system):
    client = APIClient()
    client.force_login(measured[system])
    rows = {row["metric_type"]: row for row in client.get("/api/v1/body-metrics/").json()["results"]}
    assert rows["weight"]["value"] == "80.5000" and rows["weight"]["unit"] == "kg"
    assert rows["weight"]["value_display"] == SHOWN[system]["weight"]
    assert rows["waist"]["value_display"] == SHOWN[system]["waist"]
    assert rows["body_fat"]["value_display"] == "18.5 %"
    profile = client.get("/api/v1/profile/").json()
    assert profile["height_m"] == "1.780" and profile["height_display"] == SHOWN[system]["height"]


def test_a_new_measurement_over_the_api_is_echoed_in_the_callers_units(measured):
    client = APIClient()
    client.force_login(measured["imperial"])
    response = client.post(
        "/api/v1/body-metrics/", {"metric_type": "chest", "value": "40", "unit": "in"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["value"] == "1.0160" and response.json()["value_display"] == "40 in"
