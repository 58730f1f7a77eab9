from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from nutrition import reference
from nutrition.models import Food, Portion

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = StringIO()
    call_command("import_foods", stdout=out)
    return out.getvalue()


def test_the_test_database_holds_all_sr28_foods_and_portions():
    assert Food.objects.filter(ndb_no__isnull=False).count() == 8789
    assert Portion.objects.filter(food__ndb_no__isnull=False).count() == 15438


def test_a_second_run_changes_nothing():
    ids = dict(Food.objects.values_list("ndb_no", "id"))
    updated = dict(Food.objects.values_list("ndb_no", "updated_at"))
    portions = set(Portion.objects.values_list("id", "food_id", "seq", "gram_weight"))
    output = _run()
    assert "8789 foods (0 new, 0 updated, 8789 unchanged)" in output
    assert "15438 portions (0 new, 0 updated, 15438 unchanged)" in output
    assert dict(Food.objects.values_list("ndb_no", "id")) == ids
    assert dict(Food.objects.values_list("ndb_no", "updated_at")) == updated
    assert set(Portion.objects.values_list("id", "food_id", "seq", "gram_weight")) == portions


def test_it_restores_changed_and_missing_rows_in_place_and_keeps_ours():
    banana = Food.objects.get(ndb_no="09040")
    Food.objects.filter(pk=banana.pk).update(name="Changed", energy_kcal=1, is_verified=False, usage_count=5)
    Portion.objects.filter(food=banana, seq=1).delete()
    Portion.objects.filter(food=banana, seq=2).update(gram_weight=1)
    result = reference.usda_sr28_import()
    assert (result.foods_created, result.foods_updated) == (0, 1)
    assert (result.portions_created, result.portions_updated) == (1, 1)
    banana.refresh_from_db()
    assert (banana.name, banana.energy_kcal) == ("Bananas, raw", Decimal("89.000"))
    assert banana.usage_count == 5 and not banana.is_verified  # staff's and people's fields are kept
    assert banana.portions.count() == Portion.objects.filter(food=banana).count() >= 2


def test_values_are_per_100g_and_not_reported_stays_none():
    butter_oil = Food.objects.get(ndb_no="01003")  # trans fat and others blank in SR28
    assert butter_oil.energy_kcal == Decimal("876") and butter_oil.fat_g == Decimal("99.48")
    blanks = Food.objects.filter(ndb_no__isnull=False, fiber_g__isnull=True).count()
    assert blanks == 8789 - 8195  # blank cells in the CSV, never 0
    assert Food.objects.filter(ndb_no__isnull=False, sugars_g__isnull=True).count() == 8789 - 6957
    banana = Food.objects.get(ndb_no="09040")
    assert banana.name == "Bananas, raw" and banana.short_name == "BANANAS,RAW"
    assert banana.category == "Fruits and Fruit Juices" and banana.tags == ["fruit"]
    assert (banana.serving_size, banana.serving_unit) == (Decimal("100"), "g")
    assert banana.is_system and banana.is_verified and banana.owner is None
    assert [(p.amount, p.description, p.gram_weight) for p in banana.portions.order_by("seq")][:1] == [
        (Decimal("1.000"), "cup, mashed", Decimal("225.00"))
    ]


def test_pure_fats_keep_their_902_kcal():
    assert Food.objects.get(ndb_no="04002").energy_kcal == Decimal("902")  # lard, as SR28 reports it


@pytest.mark.parametrize(
    ("name", "group", "expected"),
    [
        ("Egg, whole, raw, fresh", "Dairy and Egg Products", ["egg"]),
        ("Cheese, blue", "Dairy and Egg Products", ["dairy"]),
        ("Pork, fresh, loin, whole, raw", "Pork Products", ["meat", "pork"]),
        ("Crustaceans, shrimp, raw", "Finfish and Shellfish Products", ["seafood", "shellfish"]),
        ("Fish, salmon, Atlantic, wild, raw", "Finfish and Shellfish Products", ["fish", "seafood"]),
        ("Alcoholic beverage, beer, regular, all", "Beverages", ["alcohol", "beverage"]),
        ("Soup, chicken noodle, canned", "Soups, Sauces, and Gravies", ["meat", "poultry", "soup"]),
        ("Peanut butter, smooth style, with salt", "Legumes and Legume Products", ["legume"]),
        ("Eggplant, raw", "Vegetables and Vegetable Products", ["vegetable"]),
    ],
)
def test_tags_come_from_the_food_group_and_plain_names(name, group, expected):
    assert reference.food_tags(name=name, group=group) == expected


def test_the_command_shows_progress_and_timing():
    output = _run()
    assert "USDA SR28" in output and "[##############################] 24227/24227" in output
    assert output.strip().endswith(" s")
