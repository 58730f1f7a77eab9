from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nutrition.models import Food
from nutrition.services.foods import food_create, foods_verify, per_100g
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

LABEL = {"energy_kcal": Decimal("120"), "protein_g": Decimal("6"), "carbohydrate_g": Decimal("15"),
         "fat_g": Decimal("4"), "sugars_g": Decimal("5")}  # fmt: skip


def test_a_private_food_per_100g_with_unreported_values_left_none(member):
    food = food_create(owner=member, name="  Oat   bar ", nutrients=LABEL)
    assert food.name == "Oat bar" and food.owner == member and not food.is_system and not food.is_verified
    assert food.energy_kcal == Decimal("120") and food.fiber_g is None and food.sodium_mg is None


def test_values_per_serving_are_converted_to_per_100g(member):
    food = food_create(owner=member, name="Protein bar", nutrients=LABEL, serving_grams=Decimal("40"))
    assert food.energy_kcal == Decimal("300.000") and food.protein_g == Decimal("15.000")
    assert food.fiber_g is None
    assert per_100g(Decimal("1"), serving_grams=Decimal("3")) == Decimal("33.333")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": " "}, "name", "Give the food a name."),
        ({"nutrients": {**LABEL, "fat_g": Decimal("-1")}}, "fat_g", "Fat cannot be negative."),
        ({"nutrients": {**LABEL, "energy_kcal": Decimal("950")}}, "energy_kcal", "at most 902 kcal per 100 g"),
        ({"nutrients": {**LABEL, "sugars_g": Decimal("20")}}, "sugars_g", "Sugars cannot be more than carbohydrate."),
        ({"serving_grams": Decimal("0")}, "serving_grams", "more than 0 g"),
        ({"serving_grams": Decimal("10")}, "energy_kcal", "that is 1200 kcal per 100 g"),
        ({"nutrients": {"protein_g": Decimal("60"), "fat_g": Decimal("50")}}, "__all__", "together cannot weigh"),
        ({"nutrients": {"vitamin_q": Decimal("1")}}, "nutrients", "Unknown nutrient: vitamin_q."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(member, kwargs, field, message):
    before = Food.objects.count()
    with pytest.raises(ValidationError) as error:
        food_create(owner=member, **{"name": "Bar", "nutrients": LABEL, **kwargs})
    assert any(message in text for text in error.value.message_dict[field])
    assert Food.objects.count() == before


def test_verify_marks_only_unverified_foods(member):
    foods = [FoodFactory(owner=member) for _ in range(2)]
    assert foods_verify(foods=Food.objects.filter(pk__in=[f.pk for f in foods])) == 2
    assert foods_verify(foods=Food.objects.filter(pk__in=[f.pk for f in foods])) == 0
