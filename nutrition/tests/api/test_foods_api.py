from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import Food
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

FOODS = "/api/v1/foods/"
OK = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
PAYLOAD = {"name": "Oat bar", "energy_kcal": "380", "protein_g": "8", "carbohydrate_g": "60", "fat_g": "12"}


@pytest.fixture
def api():
    return APIClient()


def test_access_matrix(api, personas):
    private = FoodFactory(owner=personas.owner)
    banana = Food.objects.get(ndb_no="09040")
    assert_access(api, personas, lambda c: c.get(FOODS, {"q": "banana"}), OK)
    assert_access(api, personas, lambda c: c.get(f"{FOODS}{banana.id}/"), OK)
    assert_access(
        api,
        personas,
        lambda c: c.get(f"{FOODS}{private.id}/"),
        {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(
        api, personas, lambda c: c.post(FOODS, PAYLOAD, format="json"),
        {"anonymous": 401, "owner": 201, "other_member": 201, "trainer": 201, "staff": 201},
    )  # fmt: skip
    for method in ("put", "patch", "delete"):
        assert_access(
            api,
            personas,
            lambda c, m=method: getattr(c, m)(f"{FOODS}{banana.id}/", {}, format="json"),
            {"anonymous": 401, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405},
        )


def test_search_is_paginated_with_portions_in_few_queries(api, member):
    api.force_authenticate(member)
    with assert_max_queries(3):  # count, page (portions inside)
        body = api.get(FOODS, {"q": "banan", "page_size": 5}).json()
    assert body["count"] > 5 and len(body["results"]) == 5
    first = body["results"][0]
    assert first["name"] == "Bananas, raw" and first["energy_kcal"] == "89.000" and first["fiber_g"] == "2.600"
    assert {k: v for k, v in first["portions"][0].items() if k != "id"} == {
        "amount": "1.000", "description": "cup, mashed", "gram_weight": "225.00", "label": "1 cup, mashed (225 g)"
    }  # fmt: skip
    medium = next(p for p in first["portions"] if p["description"].startswith("medium"))
    assert first["default_amount"] == {"quantity": "1.00", "unit": "portion", "portion": medium["id"],
                                "label": "1 medium (118 g)"}  # fmt: skip
    assert first["is_own"] is False and first["times_eaten"] == 0
    assert api.get(FOODS, {"q": "banan", "page": 2, "page_size": 5}).json()["results"][0]["name"] != "Bananas, raw"


def test_without_q_foods_are_browsed_by_category_page_by_page(api, personas):
    fruit = {"category": "Fruits and Fruit Juices", "page_size": 25}
    assert_access(api, personas, lambda c: c.get(FOODS, fruit), OK)
    api.force_authenticate(personas.owner)
    with assert_max_queries(3):  # count, page (portions and the caller's usage inside)
        body = api.get(FOODS, fruit).json()
    names = [f["name"] for f in body["results"]]
    assert body["count"] == Food.objects.filter(category="Fruits and Fruit Juices").count() > 300
    assert len(names) == 25 and names == sorted(names) and body["next"]
    page_2 = [f["name"] for f in api.get(FOODS, {**fruit, "page": 2}).json()["results"]]
    assert page_2 and page_2[0] > names[-1]
    assert api.get(FOODS).json()["count"] >= 8789  # no category: every food, no longer an empty list
    assert api.get(FOODS, {"category": "No such group"}).json()["count"] == 0
    mine = FoodFactory(owner=personas.owner, name="Aunt's apple mash", category="Fruits and Fruit Juices")
    assert mine.name in [f["name"] for f in api.get(FOODS, {**fruit, "page_size": 100}).json()["results"]]
    api.force_authenticate(personas.other_member)
    others = api.get(FOODS, {**fruit, "page_size": 100}).json()["results"]
    assert mine.name not in [f["name"] for f in others]


def test_detail_has_portions_and_null_for_not_reported(api, member):
    food = Food.objects.filter(ndb_no__isnull=False, fiber_g__isnull=True).first()
    api.force_authenticate(member)
    body = api.get(f"{FOODS}{food.id}/").json()
    assert body["fiber_g"] is None and body["ndb_no"] == food.ndb_no
    assert [p["seq"] for p in body["portions"]] == sorted(p["seq"] for p in body["portions"])


def test_create_converts_per_serving_and_is_private(api, member):
    api.force_authenticate(member)
    response = api.post(
        FOODS,
        {
            "name": "Oat bar",
            "serving_grams": "50",
            "energy_kcal": "190",
            "protein_g": "4",
            "carbohydrate_g": "30",
            "fat_g": "6",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (
        body["energy_kcal"] == "380.000"
        and body["carbohydrate_g"] == "60.000"
        and body["is_own"]
        and body["fiber_g"] is None
    )
    assert Food.objects.get(pk=body["id"]).owner == member


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**PAYLOAD, "owner": "someone"}, "owner"),  # strict: unknown fields are refused
        ({**PAYLOAD, "fat_g": "-1"}, "fat_g"),
        ({**PAYLOAD, "energy_kcal": "903"}, "energy_kcal"),
        ({**PAYLOAD, "name": ""}, "name"),
        ({**PAYLOAD, "sugars_g": "70"}, "sugars_g"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(api, member, payload, field):
    api.force_authenticate(member)
    response = api.post(FOODS, payload, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert not Food.objects.filter(owner=member).exists()
