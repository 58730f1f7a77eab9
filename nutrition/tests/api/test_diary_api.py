from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from nutrition.models import Meal, MealItem, WaterLog
from nutrition.services import diary as services
from nutrition.tests.factories import FoodFactory, MealFactory, MealItemFactory, MealPlanFactory, PortionFactory

pytestmark = pytest.mark.django_db
DAY = "2026-03-10"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def banana():
    food = FoodFactory(name="Bananas", energy_kcal=89)
    PortionFactory(food=food, seq=1, description="medium", gram_weight=118)
    return food


def _payload(banana, **overrides):
    data = {
        "date": DAY,
        "meal_type": "breakfast",
        "eaten_at": "08:00",
        "name": "Oats and fruit",
        "items": [
            {"food": str(banana.pk), "quantity": "1", "unit": "portion", "portion": str(banana.portions.get().pk)},
            {"food": str(banana.pk), "quantity": "50", "unit": "g"},
        ],
    }
    data.update(overrides)
    return data


def test_nested_create(member, banana):
    response = _client(member).post("/api/v1/meals/", _payload(banana), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [i["energy_kcal"] for i in body["items"]] == ["105.02", "44.50"]
    assert body["totals"]["energy_kcal"] == "149.52" and body["eaten_at"] == "08:00"


def test_one_bad_item_stores_nothing(member, banana):
    payload = _payload(banana)
    payload["items"][1]["quantity"] = "6000"
    response = _client(member).post("/api/v1/meals/", payload, format="json")
    assert response.status_code == 400
    assert "items[1].quantity" in response.json()["error"]["fields"]
    assert not Meal.objects.exists() and not MealItem.objects.exists()


def test_portion_of_another_food_is_a_field_error(member, banana):
    payload = _payload(banana)
    payload["items"][0]["portion"] = str(PortionFactory().pk)
    response = _client(member).post("/api/v1/meals/", payload, format="json")
    assert response.status_code == 400 and "items[0].portion" in response.json()["error"]["fields"]
    assert not Meal.objects.exists()


def test_private_food_of_another_person_is_a_field_error(member, banana):
    payload = _payload(banana)
    payload["items"][0] = {"food": str(FoodFactory(owner=UserFactory()).pk), "quantity": "10"}
    response = _client(member).post("/api/v1/meals/", payload, format="json")
    assert response.status_code == 400 and "items[0].food" in response.json()["error"]["fields"]
    meal = MealFactory(user=member)
    response = _client(member).post(
        f"/api/v1/meals/{meal.pk}/items/", {"food": payload["items"][0]["food"], "quantity": "10"}, format="json"
    )
    assert response.status_code == 400 and "food" in response.json()["error"]["fields"]


def test_unknown_field_is_refused(member, banana):
    response = _client(member).post("/api/v1/meals/", _payload(banana, user=str(uuid.uuid4())), format="json")
    assert response.status_code == 400 and "user" in response.json()["error"]["fields"]


def test_idempotent_retry_returns_the_stored_response(member, banana):
    client = _client(member)
    first = client.post("/api/v1/meals/", _payload(banana), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/meals/", _payload(banana), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Meal.objects.count() == 1 and MealItem.objects.count() == 2
    other = client.post("/api/v1/meals/", _payload(banana, name="Else"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    # Keys are per person.
    third = _client(UserFactory()).post("/api/v1/meals/", _payload(banana), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert third.status_code == 201 and Meal.objects.count() == 2


def test_a_failed_request_does_not_burn_its_key(member, banana):
    client = _client(member)
    bad = _payload(banana)
    bad["items"][1]["quantity"] = "6000"
    assert client.post("/api/v1/meals/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 400
    assert client.post("/api/v1/meals/", _payload(banana), format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201


def test_conflicts_are_409_until_acknowledged(member, banana, monkeypatch):
    monkeypatch.setattr(services.preferences, "food_conflicts", lambda *, user, food: ["Contains banana — allergy."])
    client = _client(member)
    response = client.post("/api/v1/meals/", _payload(banana), format="json")
    assert response.status_code == 409
    assert response.json()["error"]["warnings"] == ["items[0]: Contains banana — allergy."] * 1 + [
        "items[1]: Contains banana — allergy."
    ]
    assert not Meal.objects.exists()
    response = client.post("/api/v1/meals/", _payload(banana, acknowledge_conflicts=True), format="json")
    assert response.status_code == 201
    meal_id = response.json()["id"]
    response = client.post(f"/api/v1/meals/{meal_id}/items/", {"food": str(banana.pk), "quantity": "10"}, format="json")
    assert response.status_code == 409 and MealItem.objects.count() == 2
    response = client.post(
        f"/api/v1/meals/{meal_id}/items/",
        {"food": str(banana.pk), "quantity": "10", "acknowledge_conflicts": True},
        format="json",
    )
    assert response.status_code == 201


def test_item_patch_and_delete(member, banana):
    item = MealItemFactory(meal=MealFactory(user=member), food=banana)
    client = _client(member)
    response = client.patch(
        f"/api/v1/meal-items/{item.pk}/",
        {"quantity": "2", "unit": "portion", "portion": str(banana.portions.get().pk)},
        format="json",
    )
    assert response.status_code == 200 and response.json()["grams"] == "236.00"
    assert client.patch(f"/api/v1/meal-items/{item.pk}/", {"quantity": "0"}, format="json").status_code == 400
    assert client.delete(f"/api/v1/meal-items/{item.pk}/").status_code == 204
    assert not MealItem.objects.exists()


def test_meal_list_by_date_patch_delete(member):
    meal = MealFactory(user=member, date=dt.date(2026, 3, 10))
    MealFactory(user=member, date=dt.date(2026, 3, 11))
    MealFactory(date=dt.date(2026, 3, 10))
    client = _client(member)
    body = client.get("/api/v1/meals/?date=2026-03-10").json()
    assert [m["id"] for m in body["results"]] == [str(meal.pk)]
    assert client.get("/api/v1/meals/?date=nope").status_code == 400
    response = client.patch(f"/api/v1/meals/{meal.pk}/", {"name": "Brunch", "eaten_at": "10:30"}, format="json")
    assert response.json()["name"] == "Brunch"
    assert client.delete(f"/api/v1/meals/{meal.pk}/").status_code == 204
    assert client.get(f"/api/v1/meals/{meal.pk}/").status_code == 404


def test_day_totals_equal_the_sum_of_items(member, banana):
    MealPlanFactory(user=member, fiber_g=None)
    client = _client(member)
    client.post("/api/v1/meals/", _payload(banana), format="json")
    client.post(
        "/api/v1/meals/",
        _payload(banana, meal_type="dinner", items=[{"food": str(FoodFactory(fiber_g=None).pk), "quantity": "33.3"}]),
        format="json",
    )
    client.post("/api/v1/water/", {"amount_ml": 500, "date": DAY}, format="json")
    body = client.get(f"/api/v1/days/{DAY}/").json()
    items = MealItem.objects.filter(meal__user=member)
    for name in ("energy_kcal", "protein_g", "carbohydrate_g", "fat_g", "fiber_g"):
        expected = sum((getattr(i, name) or Decimal(0)) for i in items)
        assert Decimal(body["totals"][name]) == expected
        assert sum(Decimal(m["totals"][name]) for m in body["meals"]) == expected
    assert body["totals"]["incomplete"] == ["fiber_g"]
    assert body["targets"]["energy_kcal"] == "2000" and body["targets"]["fiber_g"] is None
    assert body["water"] == {**body["water"], "total_ml": 500, "target_ml": 2000}


def test_water_list_create_delete(member):
    client = _client(member)
    response = client.post("/api/v1/water/", {"amount_ml": 250}, format="json")
    assert response.status_code == 201
    assert client.post("/api/v1/water/", {"amount_ml": 0}, format="json").status_code == 400
    body = client.get("/api/v1/water/").json()
    assert body["total_ml"] == 250 and len(body["logs"]) == 1
    assert client.delete(f"/api/v1/water/{response.json()['id']}/").status_code == 204
    assert not WaterLog.objects.exists()


def test_access_matrix(personas, banana):
    owner = personas.owner
    meal = MealFactory(user=owner, date=dt.date(2026, 3, 10))
    client = APIClient()

    def as_(c):
        return c

    everyone = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    created = {"anonymous": 401, "owner": 201, "other_member": 201, "trainer": 201, "staff": 201}
    theirs = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.get("/api/v1/meals/"), everyone)
    assert_access(client, personas, lambda c: c.get(f"/api/v1/days/{DAY}/"), everyone)
    assert_access(client, personas, lambda c: c.get("/api/v1/water/"), everyone)
    assert_access(client, personas, lambda c: c.post("/api/v1/meals/", _payload(banana), format="json"), created)
    assert_access(client, personas, lambda c: c.post("/api/v1/water/", {"amount_ml": 100}, format="json"), created)
    assert_access(client, personas, lambda c: c.get(f"/api/v1/meals/{meal.pk}/"), theirs)
    assert_access(
        client, personas, lambda c: c.patch(f"/api/v1/meals/{meal.pk}/", {"name": "x"}, format="json"), theirs
    )
    item_add = {**theirs, "owner": 201}
    assert_access(
        client,
        personas,
        lambda c: c.post(f"/api/v1/meals/{meal.pk}/items/", {"food": str(banana.pk), "quantity": "10"}, format="json"),
        item_add,
    )
    item = MealItem.objects.filter(meal=meal).first()
    assert_access(
        client, personas, lambda c: c.patch(f"/api/v1/meal-items/{item.pk}/", {"quantity": "5"}, format="json"), theirs
    )
    deleted = {**theirs, "owner": 204}
    log = WaterLog.objects.filter(user=owner).first()
    assert_access(client, personas, lambda c: c.delete(f"/api/v1/water/{log.pk}/"), {**deleted})
    assert_access(client, personas, lambda c: c.delete(f"/api/v1/meal-items/{item.pk}/"), {**deleted})
    assert_access(client, personas, lambda c: c.delete(f"/api/v1/meals/{meal.pk}/"), {**deleted})
    # Everyone's own creations stayed theirs.
    assert Meal.objects.filter(user=personas.other_member).count() == 1
    assert not as_(None)
