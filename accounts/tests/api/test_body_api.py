from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import BodyMetric
from accounts.services.body import body_metric_record
from accounts.tests.test_body_metrics import body_reference
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

LIST = "/api/v1/body-metrics/"
TYPES = "/api/v1/body-metric-types/"


@pytest.fixture
def body_types(db):
    return body_reference()


@pytest.fixture
def owner_client(member):
    client = APIClient()
    client.force_login(member)
    return client


def test_access_matrix(personas, body_types):
    metric = body_metric_record(user=personas.owner, metric_type="weight", value=Decimal("70"))
    client = APIClient()
    everyone = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(LIST), everyone)
    assert_access(client, personas, lambda c: c.get(TYPES), everyone)
    assert_access(
        client,
        personas,
        lambda c: c.post(LIST, {"metric_type": "waist", "value": "80", "unit": "cm"}, format="json"),
        {**everyone, "owner": 201, "other_member": 201, "trainer": 201, "staff": 201},
    )
    assert_access(
        client,
        personas,
        lambda c: c.delete(f"{LIST}{metric.pk}/"),
        {"anonymous": 401, "other_member": 404, "trainer": 404, "staff": 404, "owner": 204},
    )


def test_list_shows_only_the_caller_entries_filtered_by_type(personas, body_types):
    body_metric_record(user=personas.owner, metric_type="weight", value=Decimal("70"))
    body_metric_record(user=personas.owner, metric_type="waist", value=Decimal("80"), unit="cm")
    body_metric_record(user=personas.other_member, metric_type="weight", value=Decimal("99"))
    client = APIClient()
    client.force_login(personas.owner)
    rows = client.get(LIST).json()["results"]
    assert len(rows) == 2
    rows = client.get(LIST, {"type": "weight"}).json()["results"]
    assert [(r["metric_type"], r["value"]) for r in rows] == [("weight", "70.0000")]


def test_create_converts_and_replaces_the_day_weight(owner_client, body_types, member):
    response = owner_client.post(LIST, {"metric_type": "weight", "value": "220", "unit": "lb"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "99.7903" and response.json()["unit"] == "kg"
    again = owner_client.post(LIST, {"metric_type": "weight", "value": "79"}, format="json")
    assert again.status_code == 201
    assert again.json()["id"] == response.json()["id"]
    assert BodyMetric.objects.filter(user=member).count() == 1


def test_create_rejects_out_of_range_and_unknown_fields(owner_client, body_types):
    response = owner_client.post(LIST, {"metric_type": "weight", "value": "600"}, format="json")
    assert response.status_code == 400
    assert "Weight must be between" in str(response.json())
    assert (
        owner_client.post(LIST, {"metric_type": "weight", "value": "60", "user": "x"}, format="json").status_code == 400
    )
    assert owner_client.post(LIST, {"metric_type": "nope", "value": "60"}, format="json").status_code == 400


def test_types_list_has_base_units(owner_client, body_types):
    rows = {row["code"]: row for row in owner_client.get(TYPES).json()}
    assert rows["weight"]["unit_symbol"] == "kg"
    assert rows["waist"]["unit_symbol"] == "m"
