"""Done-when, through the API with a personal access token: a day of four meals logged from real USDA
foods (found with the search, portions from the food's detail), each meal with its items in one request,
one request retried with its Idempotency-Key (no duplicate); the day's and each meal's totals are the
sums of the items' stored values."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from nutrition.models import Meal, MealItem

pytestmark = pytest.mark.django_db

DAY = "2026-03-10"
FOODS = "/api/v1/foods/"
MEALS = "/api/v1/meals/"
SUMMED = ("energy_kcal", "protein_g", "carbohydrate_g", "fat_g", "fiber_g")


def _food(client, q: str, name: str) -> dict:
    """The food named `name` among the search results for `q`, with its portions (ids from the detail)."""
    response = client.get(FOODS, {"q": q})
    assert response.status_code == 200, response.content
    found = [f for f in response.json()["results"] if f["name"] == name]
    assert found, f"{name!r} not found searching {q!r}"
    detail = client.get(f"{FOODS}{found[0]['id']}/")
    assert detail.status_code == 200, detail.content
    return detail.json()


def _portion(food: dict, description: str) -> str:
    return next(p["id"] for p in food["portions"] if p["description"] == description)


def _by_portion(food: dict, description: str, quantity: str = "1") -> dict:
    return {"food": food["id"], "quantity": quantity, "unit": "portion", "portion": _portion(food, description)}


def _by_grams(food: dict, grams: str) -> dict:
    return {"food": food["id"], "quantity": grams, "unit": "g"}


def _sums(items) -> dict[str, Decimal]:
    sums = dict.fromkeys(SUMMED, Decimal(0))
    for item in items:
        for name in SUMMED:
            value = getattr(item, name)
            assert value is not None, f"{item.food.name} does not report {name}"
            sums[name] += value
    return sums


def _as_decimals(totals: dict) -> dict[str, Decimal]:
    return {name: Decimal(totals[name]) for name in SUMMED}


def test_a_day_of_meals_logged_through_the_api_adds_up(token_client, member):
    client = token_client
    banana = _food(client, "banan", "Bananas, raw")
    egg = _food(client, "egg whole", "Egg, whole, raw, fresh")
    chicken = _food(client, "chicken breast", "Chicken, broilers or fryers, breast, meat and skin, raw")
    rice = _food(client, "rice white cooked", "Rice, white, glutinous, unenriched, cooked")
    broccoli = _food(client, "broccoli", "Broccoli, raw")
    salmon = _food(client, "salmon", "Fish, salmon, sockeye, cooked, dry heat")
    apple = _food(client, "apple", "Apples, raw, with skin")
    yogurt = _food(client, "yogurt", "Yogurt, vanilla, non-fat")

    day = {
        "breakfast": [_by_portion(banana, 'medium (7" to 7-7/8" long)'), _by_portion(egg, "large", "2")],
        "lunch": [_by_grams(chicken, "150"), _by_portion(rice, "cup"), _by_grams(broccoli, "90")],
        "dinner": [_by_grams(salmon, "120"), _by_portion(broccoli, "cup chopped", "1.5")],
        "snack": [_by_portion(apple, 'large (3-1/4" dia)'), _by_portion(yogurt, "container (8 oz)")],
    }
    created = {}
    for meal_type, items in day.items():
        payload = {"date": DAY, "meal_type": meal_type, "items": items}
        key = str(uuid.uuid4())
        response = client.post(MEALS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["meal_type"] == meal_type and len(body["items"]) == len(items)
        created[meal_type] = body["id"]
        if meal_type == "lunch":
            # The client did not see the answer and retries: the same key replays it, no second lunch.
            retry = client.post(MEALS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
            assert retry.status_code == 201, retry.json()
            assert retry["Idempotent-Replayed"] == "true"
            assert retry.json() == body

    meals = Meal.objects.filter(user=member, date=DAY)
    assert meals.count() == 4
    assert sorted(str(pk) for pk in meals.values_list("pk", flat=True)) == sorted(created.values())
    assert MealItem.objects.filter(meal__user=member).count() == 9

    # The grams the portions stand for, and each item's stored values from its food.
    banana_item = MealItem.objects.get(meal_id=created["breakfast"], food_id=banana["id"])
    assert banana_item.grams == Decimal("118.00") and banana_item.energy_kcal == Decimal("105.02")
    assert MealItem.objects.get(meal_id=created["breakfast"], food_id=egg["id"]).grams == Decimal(2) * Decimal(
        next(p["gram_weight"] for p in egg["portions"] if p["description"] == "large")
    )

    response = client.get(f"/api/v1/days/{DAY}/")
    assert response.status_code == 200, response.content
    summary = response.json()
    assert summary["date"] == DAY
    all_items = MealItem.objects.filter(meal__user=member, meal__date=DAY).select_related("food")
    day_sums = _sums(all_items)
    assert _as_decimals(summary["totals"]) == day_sums
    assert summary["totals"]["item_count"] == 9 and summary["totals"]["incomplete"] == []
    assert day_sums["energy_kcal"] > Decimal(1000)

    assert sorted(m["meal_type"] for m in summary["meals"]) == sorted(day)
    per_meal = Decimal(0)
    for meal in summary["meals"]:
        stored = _sums(all_items.filter(meal_id=meal["id"]))
        assert _as_decimals(meal["totals"]) == stored, meal["meal_type"]
        assert meal["totals"]["item_count"] == len(day[meal["meal_type"]])
        # The items the day lists carry the same stored values.
        listed = dict.fromkeys(SUMMED, Decimal(0))
        for item in meal["items"]:
            for name in SUMMED:
                listed[name] += Decimal(item[name])
        assert listed == stored
        per_meal += stored["energy_kcal"]
    assert per_meal == day_sums["energy_kcal"]
