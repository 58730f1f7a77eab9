"""Nutrition's reference data: USDA SR28 (8,789 foods per 100 g, 15,438 household portions; public domain,
see nutrition/data/usda-sr28/SOURCE.md).

The import is an idempotent upsert keyed on the food's NDB number and the portion's (food, seq). It reads
what the database already holds first and writes only new or changed rows, in a few bulk statements, so a
second run (every deploy, every test session) touches nothing and ids never change. Fields that are ours
rather than the data set's (verification by staff, usage counts, soft deletion) are never overwritten.
A blank cell is "not reported" and stays None, never 0.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from fitjourney.hooks import reference

from .models import Food, Portion
from .ranking import food_commonness

DATA_DIR = Path(__file__).resolve().parent / "data" / "usda-sr28"
FOODS_CSV = DATA_DIR / "sr28_foods_per100g.csv"
PORTIONS_CSV = DATA_DIR / "sr28_portions.csv"
BATCH_SIZE = 2000

# CSV column -> Food field (both per 100 g).
NUTRIENT_COLUMNS = {
    "energy_kcal": "energy_kcal",
    "protein_g": "protein_g",
    "carbohydrate_g": "carbohydrate_g",
    "fat_g": "fat_g",
    "fiber_g": "fiber_g",
    "sugars_g": "sugars_g",
    "sodium_mg": "sodium_mg",
    "saturated_fat_g": "saturated_fat_g",
    "cholesterol_mg": "cholesterol_mg",
    "potassium_mg": "potassium_mg",
}
# What the data set owns on a food: written on insert and on update when it changed.
FOOD_FIELDS = ["name", "short_name", "category", "serving_size", "serving_unit", "tags", "is_system",
               *NUTRIENT_COLUMNS.values(), "commonness"]  # fmt: skip
PORTION_FIELDS = ["amount", "description", "gram_weight"]

# USDA food group -> tags the dietary-conflict checker reads (with the category and the name).
GROUP_TAGS: dict[str, tuple[str, ...]] = {
    "Dairy and Egg Products": ("dairy",),
    "Spices and Herbs": ("spice",),
    "Baby Foods": ("baby food",),
    "Fats and Oils": ("fat",),
    "Poultry Products": ("meat", "poultry"),
    "Soups, Sauces, and Gravies": ("soup",),
    "Sausages and Luncheon Meats": ("meat", "processed meat"),
    "Breakfast Cereals": ("grain", "cereal"),
    "Fruits and Fruit Juices": ("fruit",),
    "Pork Products": ("meat", "pork"),
    "Vegetables and Vegetable Products": ("vegetable",),
    "Nut and Seed Products": ("nuts",),
    "Beef Products": ("meat", "beef"),
    "Beverages": ("beverage",),
    "Finfish and Shellfish Products": ("seafood",),
    "Legumes and Legume Products": ("legume",),
    "Lamb, Veal, and Game Products": ("meat",),
    "Baked Products": ("baked", "grain"),
    "Sweets": ("sweets",),
    "Cereal Grains and Pasta": ("grain",),
    "Fast Foods": ("prepared",),
    "Meals, Entrees, and Side Dishes": ("prepared",),
    "Snacks": ("snack",),
    "American Indian/Alaska Native Foods": (),
    "Restaurant Foods": ("prepared",),
}
# Names that say what a food is made of, whatever its group ("Soup, chicken noodle", "Pizza, pepperoni").
# Words only: "Eggplant" is no egg, "Peanuts" no nut allergy tag from "nut" alone.
NAME_TAGS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), tags)
    for pattern, tags in (
        (r"\b(pork|ham|bacon|pepperoni|salami|prosciutto|chorizo)\b", ("meat", "pork")),
        (r"\b(beef|veal|steak|hamburger|cheeseburger)\b", ("meat", "beef")),
        (r"\b(lamb|mutton)\b", ("meat", "lamb")),
        (r"\b(chicken|turkey|duck|goose|poultry)\b", ("meat", "poultry")),
        (r"\b(fish|salmon|tuna|cod|trout|sardines?|anchov(y|ies)|herring|mackerel|tilapia|halibut)\b", ("fish",)),
        (
            r"\b(shrimp|crab|lobster|crayfish|crustaceans|mollusks|clams?|mussels?|oysters?|scallops?|squid)\b",
            ("shellfish",),
        ),
        (r"\beggs?\b", ("egg",)),
        (r"\b(milk|cheese|butter|cream|yogurt|whey)\b", ("dairy",)),
        (r"\b(alcoholic|beer|wine|liquor|vodka|whiskey|rum|gin)\b", ("alcohol",)),
        (r"\b(almonds?|walnuts?|pecans?|cashews?|hazelnuts?|pistachios?|macadamia|nuts?)\b", ("nuts",)),
        (r"\b(beans?|lentils?|chickpeas?|peas|soy|tofu|peanuts?)\b", ("legume",)),
        (r"\b(wheat|bread|pasta|rice|oats?|barley|flour)\b", ("grain",)),
    )
)
# Plant words that contain animal words ("Butternut squash", "Cocoa butter", "Peanut butter", "Coconut milk").
NOT_DAIRY = re.compile(r"\b(peanut|almond|cashew|cocoa|shea|coconut|soy|soymilk|rice|oat|apple)\s+(butter|milk|cream)",
                       re.IGNORECASE)  # fmt: skip


def food_tags(*, name: str, group: str) -> list[str]:
    """Tags from the food group and, where it plainly says so, the name. Sorted and unique."""
    tags = set(GROUP_TAGS.get(group, ()))
    if group == "Dairy and Egg Products" and re.match(r"egg", name, re.IGNORECASE):
        tags = {"egg"}  # "Egg, whole, raw, fresh" is in the dairy group but holds no milk
    if group == "Finfish and Shellfish Products":
        tags.add("shellfish" if re.match(r"(crustaceans|mollusks)", name, re.IGNORECASE) else "fish")
    if group == "Beverages" and re.match(r"alcoholic", name, re.IGNORECASE):
        tags.add("alcohol")
    for pattern, extra in NAME_TAGS:
        if pattern.search(name):
            tags.update(extra)
    if "dairy" in tags and group != "Dairy and Egg Products" and NOT_DAIRY.search(name):
        tags.discard("dairy")
    return sorted(tags)


def _decimal(value: str) -> Decimal | None:
    value = value.strip()
    return Decimal(value) if value else None


@dataclass
class ImportResult:
    foods_created: int = 0
    foods_updated: int = 0
    foods_unchanged: int = 0
    portions_created: int = 0
    portions_updated: int = 0
    portions_unchanged: int = 0

    @property
    def foods(self) -> int:
        return self.foods_created + self.foods_updated + self.foods_unchanged

    @property
    def portions(self) -> int:
        return self.portions_created + self.portions_updated + self.portions_unchanged

    def summary(self) -> str:
        return (
            f"USDA SR28: {self.foods} foods ({self.foods_created} new, {self.foods_updated} updated, "
            f"{self.foods_unchanged} unchanged), {self.portions} portions ({self.portions_created} new, "
            f"{self.portions_updated} updated, {self.portions_unchanged} unchanged)"
        )


def _food_values(row: dict[str, str]) -> tuple:
    """A food's FOOD_FIELDS values from a CSV row (a plain tuple: cheap to compare with the database's)."""
    nutrients = [_decimal(row[column]) for column in NUTRIENT_COLUMNS]
    name = row["description"].strip()
    group = row["food_group"].strip()
    return (name[:200], row["short_desc"].strip()[:100], group[:60], Decimal(100), "g",
            food_tags(name=name, group=group), True, *nutrients,
            food_commonness(name=name[:200], group=group[:60]))  # fmt: skip


def _tick(progress: reference.Progress | None, done: int, total: int, label: str) -> None:
    if progress:
        progress(done, total, label)


def usda_sr28_import(
    *, foods_path: Path = FOODS_CSV, portions_path: Path = PORTIONS_CSV, progress: reference.Progress | None = None
) -> ImportResult:
    """Upserts SR28 foods by ndb_no, then their portions by (food, seq): one read of what is there, then
    bulk INSERT … ON CONFLICT DO UPDATE of only the new or changed rows (model instances are built for
    those alone, which keeps an unchanged re-run well under a second)."""
    with open(foods_path, encoding="utf-8", newline="") as handle:
        foods = {row["ndb_no"].strip(): _food_values(row) for row in csv.DictReader(handle)}
    with open(portions_path, encoding="utf-8", newline="") as handle:
        portion_rows = [
            (
                row["ndb_no"].strip(),
                int(row["seq"]),
                Decimal(row["amount"]),
                row["measure_desc"].strip()[:120],
                Decimal(row["gram_weight"]),
            )  # fmt: skip
            for row in csv.DictReader(handle)
        ]
    total = len(foods) + len(portion_rows)
    result = ImportResult()

    with transaction.atomic():
        existing = {
            row[0]: row[1:] for row in Food.objects.filter(ndb_no__isnull=False).values_list("ndb_no", *FOOD_FIELDS)
        }
        changed = []
        for ndb_no, values in foods.items():
            before = existing.get(ndb_no)
            if before == values:
                result.foods_unchanged += 1
                continue
            if before is None:
                result.foods_created += 1
            else:
                result.foods_updated += 1
            changed.append(Food(ndb_no=ndb_no, is_verified=True, **dict(zip(FOOD_FIELDS, values, strict=True))))
        for start in range(0, len(changed), BATCH_SIZE):
            Food.objects.bulk_create(
                changed[start : start + BATCH_SIZE],
                update_conflicts=True,
                unique_fields=["ndb_no"],
                update_fields=[*FOOD_FIELDS, "updated_at"],
            )
            _tick(progress, min(start + BATCH_SIZE, len(changed)), total, "USDA SR28 foods")

        food_ids = dict(Food.objects.filter(ndb_no__isnull=False).values_list("ndb_no", "id"))
        existing_portions = {
            (food_id, seq): rest
            for food_id, seq, *rest in Portion.objects.filter(food__ndb_no__isnull=False).values_list(
                "food_id", "seq", *PORTION_FIELDS
            )
        }
        changed_portions = []
        for ndb_no, seq, *portion_values in portion_rows:
            food_id = food_ids[ndb_no]
            before = existing_portions.get((food_id, seq))
            if before == portion_values:
                result.portions_unchanged += 1
                continue
            if before is None:
                result.portions_created += 1
            else:
                result.portions_updated += 1
            changed_portions.append(
                Portion(food_id=food_id, seq=seq, **dict(zip(PORTION_FIELDS, portion_values, strict=True)))
            )
        for start in range(0, len(changed_portions), BATCH_SIZE):
            Portion.objects.bulk_create(
                changed_portions[start : start + BATCH_SIZE],
                update_conflicts=True,
                unique_fields=["food", "seq"],
                update_fields=PORTION_FIELDS,
            )
            done = len(foods) + min(start + BATCH_SIZE, len(changed_portions))
            if done < total:
                _tick(progress, done, total, "USDA SR28 portions")
    _tick(progress, total, total, "USDA SR28")
    return result


def usda_sr28_load(progress: reference.Progress | None = None) -> str:
    return usda_sr28_import(progress=progress).summary()


def register() -> None:
    # No dependency on other loaders; after training's (20-22) so the summaries read in app order.
    reference.register_loader("nutrition.usda_sr28", usda_sr28_load, order=30)
