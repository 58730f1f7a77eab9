"""Display shaping for nutrition's pages, shared by the views and the templates: the labels of the
nutrients, the rows of totals against targets, the diary's meal sections and water panel, and a food's
nutrient table. Water is shown in the person's unit through fitjourney.units; energy is kcal and food
quantities stay grams, millilitres and portions (what labels use)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fitjourney import units

from .models import NUTRIENTS, Food, Meal, MealItem, MealType
from .selectors.diary import DaySummary, Totals
from .services.diary import WATER_MAX_ML, WATER_MIN_ML

# A food's nutrients as the food database shows and asks for them (per 100 g).
NUTRIENT_LABELS = {
    "energy_kcal": "Energy (kcal)",
    "protein_g": "Protein (g)",
    "carbohydrate_g": "Carbohydrate (g)",
    "fat_g": "Fat (g)",
    "fiber_g": "Fiber (g)",
    "sugars_g": "Sugars (g)",
    "sodium_mg": "Sodium (mg)",
    "saturated_fat_g": "Saturated fat (g)",
    "cholesterol_mg": "Cholesterol (mg)",
    "potassium_mg": "Potassium (mg)",
}
# The diary's totals: (label, unit) of each summed nutrient.
TOTAL_LABELS = {
    "energy_kcal": ("Energy", "kcal"),
    "protein_g": ("Protein", "g"),
    "carbohydrate_g": ("Carbs", "g"),
    "fat_g": ("Fat", "g"),
    "fiber_g": ("Fibre", "g"),
}


@dataclass(frozen=True)
class NutrientRow:
    """One nutrient of a total: its value, the target and how far along it is (for a bar)."""

    name: str
    label: str
    unit: str
    value: Decimal
    target: Decimal | None
    percent: int | None
    over: bool
    incomplete: bool


@dataclass(frozen=True)
class MealCard:
    meal: Meal
    totals: Totals
    rows: list[NutrientRow]


@dataclass(frozen=True)
class MealSection:
    type: str
    label: str
    meals: list[MealCard]


@dataclass(frozen=True)
class WaterPanel:
    """The diary's water: how far along the day's target, the one-tap buttons (millilitres, label) and the
    largest amount one may type, all in the person's unit."""

    percent: int
    buttons: tuple[tuple[int, str], ...]
    unit: str
    min_amount: int
    max_amount: Decimal | None


def nutrient_rows(totals: Totals, targets: dict[str, Decimal | None] | None) -> list[NutrientRow]:
    rows = []
    for name, (label, unit) in TOTAL_LABELS.items():
        value = totals.values[name]
        target = targets.get(name) if targets else None
        percent = None if not target else int(min(Decimal(100), value * 100 / Decimal(target)))
        rows.append(
            NutrientRow(
                name=name,
                label=label,
                unit=unit,
                value=value,
                target=target,
                percent=percent,
                over=target is not None and target > 0 and value > target,
                incomplete=name in totals.incomplete,
            )
        )
    return rows


def meal_sections(summary: DaySummary) -> list[MealSection]:
    """The day's meals under each meal type (breakfast, lunch, dinner, snack), each with its totals."""
    by_type: dict[str, list[MealCard]] = {value: [] for value in MealType.values}
    for meal in summary.meals:
        totals = summary.meal_totals[meal.pk]
        by_type[meal.meal_type].append(MealCard(meal=meal, totals=totals, rows=nutrient_rows(totals, None)))
    return [MealSection(type=value, label=label, meals=by_type[value]) for value, label in MealType.choices]


def week_of(date: dt.date) -> list[dt.date]:
    """Monday to Sunday of the week holding `date`."""
    start = date - dt.timedelta(days=date.weekday())
    return [start + dt.timedelta(days=i) for i in range(7)]


def water_panel(summary: DaySummary, who: units.UnitSystem) -> WaterPanel:
    return WaterPanel(
        percent=min(100, summary.water_total_ml * 100 // summary.water_target_ml),
        buttons=units.water_quick_amounts(who),
        unit=units.water_unit(who),
        min_amount=WATER_MIN_ML,
        max_amount=units.water_shown(WATER_MAX_ML, who),
    )


def food_nutrients(food: Food) -> list[tuple[str, Any]]:
    """(label, value per 100 g) of every nutrient; None is "not reported"."""
    return [(NUTRIENT_LABELS[name], getattr(food, name)) for name in NUTRIENTS]


__all__ = [
    "NUTRIENT_LABELS",
    "TOTAL_LABELS",
    "MealCard",
    "MealSection",
    "NutrientRow",
    "WaterPanel",
    "food_nutrients",
    "meal_sections",
    "nutrient_rows",
    "water_panel",
    "week_of",
]


def item_added_text(item: MealItem, meal: Meal) -> str:
    """What the diary announces after an item is added: "Added Bananas, raw to lunch"."""
    return f"Added {item.food.name} to {meal.get_meal_type_display().lower()}"
