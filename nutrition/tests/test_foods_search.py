from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.tests.factories import UserFactory
from fitjourney.errors import NotFound
from fitjourney.testing.queries import assert_num_queries
from nutrition.models import Food
from nutrition.selectors.foods import food_get_visible, food_portions, foods_search
from nutrition.tests.factories import FoodFactory, MealFactory, MealItemFactory

pytestmark = pytest.mark.django_db


def _names(user, q, **kwargs) -> list[str]:
    return [food.name for food in foods_search(user=user, q=q, **kwargs)]


@pytest.mark.parametrize(
    ("q", "expected_first"),
    [
        ("banana", "Bananas, raw"),  # the generic raw food before banana chips and banana bread
        ("banan", "Bananas, raw"),  # still typing
        ("Bananas", "Bananas, raw"),
        ("brocoli", "Broccoli, raw"),  # missing letter
        ("strawbery", "Strawberries, raw"),
        ("oats", "Oats"),
        ("cheddar", "Cheese, cheddar"),
        ("avocado", "Avocados, raw, Florida"),
    ],
)
def test_common_generic_foods_come_first_and_typos_are_tolerated(member, q, expected_first):
    assert _names(member, q)[0] == expected_first


def test_two_misspelled_words_find_chicken_breast(member):
    names = _names(member, "chiken brest")
    assert names and all("chicken" in n.lower() and "breast" in n.lower() for n in names[:10])
    assert names[0].endswith(", raw")  # raw, whole forms before processed ones


def test_egg_finds_eggs_before_eggplant(member):
    names = _names(member, "egg")
    assert names[0].startswith("Egg, ")
    assert names.index("Eggplant, raw") > names.index("Egg, whole, raw, fresh")


def test_nonsense_finds_nothing_and_punctuation_is_harmless(member):
    assert _names(member, "zzqxvv") == []
    assert _names(member, "'&|!:*()") == []  # no words: the person's own and eaten foods (none)


def test_the_persons_recent_and_frequent_foods_come_first(member):
    old = MealItemFactory(meal=MealFactory(user=member, date=dt.date.today() - dt.timedelta(days=120)))
    assert old.food.name not in _names(member, "")  # older than RECENT_DAYS: no longer "recent"
    bread = Food.objects.get(ndb_no="18019")  # "Bread, banana, prepared from recipe, made with margarine"
    chips = Food.objects.get(name="Snacks, banana chips")
    assert _names(member, "banana")[0] == "Bananas, raw"
    for _ in range(3):
        MealItemFactory(meal=MealFactory(user=member), food=bread)
    MealItemFactory(meal=MealFactory(user=member), food=chips)
    results = list(foods_search(user=member, q="banana"))
    assert [r.name for r in results[:3]] == [bread.name, chips.name, "Bananas, raw"]
    assert (results[0].times_eaten, results[1].times_eaten, results[2].times_eaten) == (3, 1, 0)
    # Someone else's diary changes nothing for another person, and a deleted meal does not count.
    assert _names(UserFactory(), "banana")[0] == "Bananas, raw"
    MealItemFactory(meal=MealFactory(user=member, deleted_at=timezone.now()), food=chips)
    MealItemFactory(meal=MealFactory(user=member, deleted_at=timezone.now()), food=chips)
    MealItemFactory(meal=MealFactory(user=member, deleted_at=timezone.now()), food=chips)
    assert _names(member, "banana")[0] == bread.name


def test_eaten_foods_that_do_not_match_stay_out(member):
    MealItemFactory(meal=MealFactory(user=member), food=Food.objects.get(name="Snacks, banana chips"))
    assert "Snacks, banana chips" not in _names(member, "broccoli", limit=None)


def test_an_empty_query_lists_the_persons_eaten_and_own_foods(member):
    mine = FoodFactory(owner=member, name="Grandma's granola")
    eaten = Food.objects.get(ndb_no="09040")
    MealItemFactory(meal=MealFactory(user=member), food=eaten)
    assert _names(member, "") == ["Bananas, raw", "Grandma's granola"]
    assert mine.name not in _names(UserFactory(), "")
    assert _names(AnonymousUser(), "") == []


def test_another_persons_food_never_appears(member):
    stranger = UserFactory()
    FoodFactory(owner=stranger, name="Secret Zucchini Loaf")
    mine = FoodFactory(owner=member, name="My Zucchini Loaf")
    assert _names(member, "zucchini loaf")[0] == "My Zucchini Loaf"
    assert "Secret Zucchini Loaf" not in _names(member, "zucchini loaf", limit=None)
    assert mine.name not in _names(stranger, "zucchini loaf", limit=None)
    assert "Secret Zucchini Loaf" not in _names(AnonymousUser(), "zucchini loaf", limit=None)
    with pytest.raises(NotFound):
        food_get_visible(user=member, food_id=Food.objects.get(name="Secret Zucchini Loaf").pk)


def test_soft_deleted_foods_are_hidden(member):
    FoodFactory(owner=member, name="Gone Quinoa Bake", deleted_at=timezone.now())
    assert "Gone Quinoa Bake" not in _names(member, "quinoa bake", limit=None)


def test_search_is_one_query_with_portions_and_nothing_loads_later(member):
    MealItemFactory(meal=MealFactory(user=member), food=Food.objects.get(ndb_no="09040"))
    with assert_num_queries(1):
        results = list(foods_search(user=member, q="banana"))
    with assert_num_queries(0):
        banana = results[0]
        assert banana.portion_list[0]["description"] == "cup, mashed"
        assert [r.energy_kcal for r in results] and banana.times_eaten == 1


def test_get_visible_and_portions(member):
    banana = Food.objects.get(ndb_no="09040")
    with assert_num_queries(2):
        food = food_get_visible(user=member, food_id=banana.pk)
        portions = list(food.portions.all())
    assert [p.seq for p in portions] == sorted(p.seq for p in portions)
    assert list(food_portions(food=banana)) == list(banana.portions.order_by("seq"))
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            food_get_visible(user=member, food_id=bad)
