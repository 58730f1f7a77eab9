from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.tests.factories import UserFactory
from fitjourney.errors import NotFound
from fitjourney.testing.queries import assert_num_queries
from nutrition.models import Food, FoodUsage, MealType
from nutrition.portions import default_amount
from nutrition.selectors.foods import food_get_visible, food_portions, foods_search
from nutrition.services import diary
from nutrition.tests.factories import FoodFactory

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
        ("avocado", "Avocados, raw, all commercial varieties"),  # not one state's crop
    ],
)
def test_common_generic_foods_come_first_and_typos_are_tolerated(member, q, expected_first):
    assert _names(member, q)[0] == expected_first


# Twenty-three everyday searches: the first result is the form a person means, and its default portion the
# household unit they would pick (a count over "cup, mashed"; the count kept in the label).
EVERYDAY = [
    ("banan", "Bananas, raw", "1 medium (118 g)"),  # not "cup, mashed (225 g)", no Shoshone Bannock elk
    ("rice", "Rice, white, long-grain, regular, enriched, cooked", "1 cup (158 g)"),  # not raw brown rice
    ("egg", "Egg, whole, raw, fresh", "1 medium (44 g)"),  # not the yolk
    ("coffee", "Beverages, coffee, brewed, breakfast blend", "1 cup (248 g)"),  # not coffeecake
    ("milk", "Milk, whole, 3.25% milkfat, with added vitamin D", "1 cup (244 g)"),
    ("apple", "Apples, raw, with skin", "1 medium (182 g)"),
    ("oats", "Oats", "1 cup (156 g)"),
    ("peanut butter", "Peanut butter, smooth style, with salt", "2 tbsp (32 g)"),  # not "1 cup (258 g)"
    ("broccoli", "Broccoli, raw", "1 spear (31 g)"),
    ("cheddar", "Cheese, cheddar", "1 slice (28 g)"),
    ("orange juice", "Orange juice, raw", "1 cup (248 g)"),  # not oranges (the category said "juices")
    ("olive oil", "Oil, olive, salad or cooking", None),
    ("avocado", "Avocados, raw, all commercial varieties", None),
    ("ground beef", "Beef, ground, unspecified fat content, cooked", "3 oz (85 g)"),  # the count kept
    ("butter", None, "1 tbsp (14.2 g)"),
    ("orange", "Oranges, raw, all commercial varieties", "1 large (184 g)"),
    ("strawberries", "Strawberries, raw", "1 medium (12 g)"),
    ("tuna", "Fish, tuna, fresh, bluefin, cooked, dry heat", "3 oz (85 g)"),
    ("chicken breast", "Chicken, broilers or fryers, breast, meat only, cooked, roasted", None),
    ("salmon", None, None),
    ("bread", "Bread, white, commercially prepared (includes soft bread crumbs)", "1 slice (29 g)"),  # not chapati
    ("pasta", "Pasta, cooked, enriched, with added salt", None),  # not the fresh-refrigerated specialty
    ("potato", None, "1 medium (213 g)"),
]


@pytest.mark.parametrize(("q", "first", "portion"), EVERYDAY, ids=[row[0] for row in EVERYDAY])
def test_everyday_searches_find_what_a_person_means_with_a_natural_portion(q, first, portion):
    row = foods_search(user=AnonymousUser(), q=q, limit=5)[0]
    if first is not None:
        assert row.name == first
    if portion is not None:
        assert default_amount(portions=row.portion_list, energy_kcal=row.energy_kcal).label == portion
    lowered = row.name.lower()
    assert not any(word in lowered for word in ("yolk", "flour", "dehydrated", "babyfood", "bannock", "cake"))
    if q == "chicken breast":  # roasted/cooked breast meat, not meat and skin, raw
        assert "breast, meat only, cooked" in lowered
    if q == "salmon":
        assert lowered.startswith("fish, salmon") and "cooked" in lowered
    if q == "potato":  # the whole potato (flesh and skin), not the flesh alone or hash browns
        assert lowered.startswith("potatoes, ") and "flesh and skin" in lowered
    if q == "butter":
        assert lowered.startswith("butter, ") and "whipped" not in lowered


def test_typo_noise_below_the_similarity_threshold_is_cut(member):
    names = _names(member, "banan", limit=None)
    assert names[0] == "Bananas, raw"
    assert not [n for n in names if "Bannock" in n]  # "banan" ~ "bannock" is only word-similar, not strictly
    assert any("chicken" in n.lower() for n in _names(member, "chiken brest"))


def test_two_misspelled_words_find_chicken_breast(member):
    names = _names(member, "chiken brest")
    assert names and all("chicken" in n.lower() and "breast" in n.lower() for n in names[:10])
    assert "meat only, cooked" in names[0]  # the cooked meat, not meat and skin, raw


def test_egg_finds_eggs_before_eggplant(member):
    names = _names(member, "egg")
    assert names[0].startswith("Egg, ")
    assert names.index("Eggplant, raw") > names.index("Egg, whole, raw, fresh")


def test_nonsense_finds_nothing_and_punctuation_is_harmless(member):
    assert _names(member, "zzqxvv") == []
    assert _names(member, "'&|!:*()", category="none such") == []  # no words: browsing; no such category


def _eat(user, food, quantity=100, unit="g", portion=None):
    """Logs an item through the diary service, which keeps the person's FoodUsage."""
    meal = diary.meal_get_or_create(user=user, date=user.local_today(), meal_type=MealType.LUNCH)
    return diary.item_add(
        user=user, meal=meal, food=food, quantity=quantity, unit=unit, portion=portion, acknowledge_conflicts=True
    )


def test_the_persons_recent_and_frequent_foods_come_first(member):
    bread = Food.objects.get(ndb_no="18019")  # "Bread, banana, prepared from recipe, made with margarine"
    chips = Food.objects.get(name="Snacks, banana chips")
    assert _names(member, "banana")[0] == "Bananas, raw"
    for _ in range(3):
        _eat(member, bread)
    _eat(member, chips)
    results = list(foods_search(user=member, q="banana"))
    assert [r.name for r in results[:3]] == [bread.name, chips.name, "Bananas, raw"]
    assert (results[0].times_eaten, results[1].times_eaten, results[2].times_eaten) == (3, 1, 0)
    # Someone else's diary changes nothing for another person.
    assert _names(UserFactory(), "banana")[0] == "Bananas, raw"
    # Older than RECENT_DAYS: no longer "recent".
    FoodUsage.objects.filter(user=member).update(last_used_at=timezone.now() - dt.timedelta(days=120))
    assert _names(member, "banana")[0] == "Bananas, raw"


def test_the_default_is_the_persons_last_quantity_and_portion(member):
    banana = Food.objects.get(ndb_no="09040")
    row = foods_search(user=member, q="banana")[0]
    assert default_amount(portions=row.portion_list, energy_kcal=row.energy_kcal).label == "1 medium (118 g)"
    large = banana.portions.get(description__startswith="large")
    _eat(member, banana, quantity=2, unit="portion", portion=large)
    row = foods_search(user=member, q="banana")[0]
    default = default_amount(
        portions=row.portion_list, energy_kcal=row.energy_kcal, last_quantity=row.last_quantity,
        last_unit=row.last_unit, last_portion_id=row.last_portion_id,
    )  # fmt: skip
    assert (default.quantity, default.unit, default.label) == (2, "portion", "1 large (136 g)")
    usage = FoodUsage.objects.get(user=member, food=banana)
    assert usage.use_count == 1 and usage.last_portion == large
    assert not FoodUsage.objects.exclude(user=member).exists()  # one row per person, never shared


def test_eaten_foods_that_do_not_match_stay_out(member):
    _eat(member, Food.objects.get(name="Snacks, banana chips"))
    assert "Snacks, banana chips" not in _names(member, "broccoli", limit=None)


def test_an_empty_query_browses_every_food_the_persons_recent_first(member):
    mine = FoodFactory(owner=member, name="Grandma's granola")
    eaten = Food.objects.get(ndb_no="09040")
    _eat(member, eaten)
    names = _names(member, "", limit=None)
    assert names[0] == "Bananas, raw" and mine.name in names and len(names) > 8000
    assert mine.name not in _names(UserFactory(), "", limit=None)
    fruit = _names(AnonymousUser(), "", category="Fruits and Fruit Juices", limit=None)
    assert fruit == sorted(fruit) and "Bananas, raw" in fruit and "Broccoli, raw" not in fruit


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
    _eat(member, Food.objects.get(ndb_no="09040"))
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
