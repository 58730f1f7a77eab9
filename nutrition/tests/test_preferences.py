"""Dietary preferences and food_conflicts (the diary's warnings)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_num_queries
from nutrition.services.preferences import dietary_preferences_set, food_conflicts

from .factories import FoodFactory

pytestmark = pytest.mark.django_db


def _user(**prefs):
    user = UserFactory()
    if prefs:
        dietary_preferences_set(user=user, **prefs)
    return User.objects.get(pk=user.pk)  # a fresh instance: nothing cached


def food(name, category="", tags=()):
    return FoodFactory.build(name=name, category=category, tags=list(tags))


def test_peanut_butter_with_a_peanut_allergy():
    user = _user(allergies="peanuts")
    assert food_conflicts(user=user, food=food("Peanut butter, smooth style", "Legumes and Legume Products")) == [
        "Peanut butter, smooth style contains peanuts — you listed a peanut allergy."
    ]


def test_bacon_with_a_pork_restriction():
    user = _user(religious_restrictions=["pork"])
    [message] = food_conflicts(user=user, food=food("Pork, cured, bacon, cooked", "Pork Products"))
    assert message == "Pork, cured, bacon, cooked contains pork — you listed that you avoid pork."
    [message] = food_conflicts(user=user, food=food("Canadian bacon"))
    assert "pork" in message


def test_chicken_for_a_vegetarian():
    user = _user(diet_type="vegetarian")
    [message] = food_conflicts(user=user, food=food("Chicken, broilers or fryers, breast", "Poultry Products"))
    assert message.endswith("contains poultry — you follow a vegetarian diet.")


def test_cheese_for_a_vegan():
    user = _user(diet_type="vegan")
    [message] = food_conflicts(user=user, food=food("Cheese, cheddar", "Dairy and Egg Products"))
    assert message == "Cheese, cheddar contains dairy — you follow a vegan diet."


def test_no_warning_for_an_apple():
    user = _user(
        diet_type="vegan", allergies="peanuts, tree nuts, shellfish, fish, dairy, egg, soy, wheat, sesame",
        intolerances="lactose, gluten", religious_restrictions="pork, beef, alcohol", dislikes="mushrooms",
    )  # fmt: skip
    assert food_conflicts(user=user, food=food("Apples, raw, with skin", "Fruits and Fruit Juices")) == []


@pytest.mark.parametrize(
    ("prefs", "name", "category", "expected"),
    [
        ({"allergies": ["shellfish"]}, "Crustaceans, shrimp, raw", "Finfish and Shellfish Products", "shellfish"),
        ({"allergies": ["fish"]}, "Fish, salmon, Atlantic", "Finfish and Shellfish Products", "contains fish"),
        ({"allergies": ["tree nuts"]}, "Nuts, almonds", "Nut and Seed Products", "a tree nut allergy"),
        ({"allergies": ["egg"]}, "Egg, whole, raw, fresh", "Dairy and Egg Products", "an egg allergy"),
        ({"allergies": ["soy"]}, "Tofu, raw, firm", "Legumes and Legume Products", "contains soy"),
        ({"allergies": ["wheat"]}, "Bread, whole-wheat", "Baked Products", "contains wheat"),
        ({"allergies": ["sesame"]}, "Seeds, sesame butter, tahini", "Nut and Seed Products", "contains sesame"),
        ({"allergies": ["milk"]}, "Yogurt, plain, whole milk", "Dairy and Egg Products", "a milk allergy"),
        ({"intolerances": ["lactose"]}, "Milk, whole, 3.25% milkfat", "Dairy and Egg Products", "lactose intolerance"),
        ({"intolerances": ["gluten"]}, "Barley, pearled, cooked", "Cereal Grains and Pasta", "contains gluten"),
        ({"religious_restrictions": ["beef"]}, "Beef, ground, 85% lean", "Beef Products", "avoid beef"),
        ({"religious_restrictions": ["alcohol"]}, "Alcoholic beverage, wine, table, red", "Beverages", "alcohol"),
        ({"religious_restrictions": ["halal"]}, "Ham, sliced, regular", "Sausages and Luncheon Meats", "(halal)"),
        ({"diet_type": "pescatarian"}, "Beef, ground", "Beef Products", "pescatarian"),
        ({"diet_type": "vegan"}, "Honey", "Sweets", "contains honey"),
        ({"diet_type": "vegan"}, "Egg, whole, cooked, fried", "Dairy and Egg Products", "contains egg"),
        ({"diet_type": "vegetarian"}, "Fish, tuna, light, canned", "Finfish and Shellfish Products", "vegetarian"),
        ({"dislikes": ["mushrooms"]}, "Mushrooms, white, raw", "Vegetables and Vegetable Products", "dislike"),
    ],
)
def test_conflicts(prefs, name, category, expected):
    messages = food_conflicts(user=_user(**prefs), food=food(name, category))
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize(
    ("prefs", "name", "category"),
    [
        ({"allergies": ["dairy"]}, "Peanut butter, smooth style", "Legumes and Legume Products"),
        ({"allergies": ["dairy"]}, "Beverages, almond milk, unsweetened", "Beverages"),
        ({"allergies": ["egg"]}, "Eggplant, raw", "Vegetables and Vegetable Products"),
        ({"allergies": ["fish"]}, "Crustaceans, shrimp, raw", "Finfish and Shellfish Products"),
        ({"allergies": ["tree nuts"]}, "Seeds, sunflower seed kernels", "Nut and Seed Products"),
        ({"intolerances": ["lactose"]}, "Milk, lactose-free, reduced fat", "Dairy and Egg Products"),
        ({"diet_type": "pescatarian"}, "Fish, salmon", "Finfish and Shellfish Products"),
        ({"diet_type": "vegetarian"}, "Chickpeas, canned", "Legumes and Legume Products"),
        ({"religious_restrictions": ["alcohol"]}, "Vinegar, red wine", "Spices and Herbs"),
    ],
)
def test_no_false_alarms(prefs, name, category):
    assert food_conflicts(user=_user(**prefs), food=food(name, category)) == []


def test_tags_count():
    user = _user(allergies=["gluten"])
    assert food_conflicts(user=user, food=food("Mystery bar", tags=["gluten"]))
    assert food_conflicts(user=user, food=food("Mystery bar", tags=["gluten-free"])) == []


def test_one_query_then_none():
    user = _user(allergies=["peanuts"])
    peanut = food("Peanuts, all types, raw", "Legumes and Legume Products")
    with assert_num_queries(1):
        assert food_conflicts(user=user, food=peanut)
    with assert_num_queries(0):
        assert food_conflicts(user=user, food=peanut)


def test_one_query_when_the_person_has_no_preferences_and_none_after():
    user = _user()
    with assert_num_queries(1):
        assert food_conflicts(user=user, food=food("Peanut butter")) == []
    with assert_num_queries(0):
        assert food_conflicts(user=user, food=food("Peanut butter")) == []


def test_saving_preferences_normalises_lists():
    user = UserFactory()
    prefs = dietary_preferences_set(user=user, allergies=" Peanuts, ,shellfish,peanuts", diet_type="omnivore")
    assert prefs.allergies == ["peanuts", "shellfish"]
    assert food_conflicts(user=user, food=food("Peanut oil"))  # the cached row is the new one


def test_other_diet_needs_a_name():
    with pytest.raises(ValidationError) as error:
        dietary_preferences_set(user=UserFactory(), diet_type="other")
    assert "diet_type_other" in error.value.message_dict


def test_it_refuses_unknown_choices():
    with pytest.raises(ValidationError):
        dietary_preferences_set(user=UserFactory(), diet_type="carnivore")
    with pytest.raises(ValidationError):
        dietary_preferences_set(user=UserFactory(), max_prep_minutes=2)
