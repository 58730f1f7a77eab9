"""Household portions as a person meets them: the label ("1 medium (118 g)", "3 oz (85 g)"), the most
natural default of a food ("1 medium" banana, "1 cup" of milk, "1 slice" of bread rather than "cup,
mashed" or "oz"), and whether the food is a liquid whose millilitres we can weigh.

Works on plain (amount, description, grams) triples so the search rows (portions as JSON) and model
instances share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fitjourney import units

# Millilitres in one household volume measure (US customary, as SR28 uses them).
ML_PER = {
    "ml": Decimal(1),
    "fl oz": units.ML_PER_FL_OZ,
    "cup": Decimal("236.588"),
    "tbsp": Decimal("14.787"),
    "tsp": Decimal("4.929"),
    "liter": Decimal(1000),
    "l": Decimal(1000),
}
_VOLUME = re.compile(r"^(ml|millilit\w*|fl oz|cup|tbsp|tsp|liter|l)\b")
# Food groups and names of foods that are poured: only these offer millilitres.
LIQUID_GROUPS = frozenset({"Beverages", "Fats and Oils"})
_LIQUID_NAME = re.compile(
    r"\b(milk|juice|juices|oil|beverages?|drink|coffee|tea|water|soymilk|buttermilk|kefir|nectar|broth|"
    r"vinegar|wine|beer|liqueur|syrup|soda|smoothie|lemonade)\b",
    re.IGNORECASE,
)
_NOT_LIQUID = re.compile(r"\b(powder|dry|dried|solids|instant|mix|leaves|cheese|chocolate|bar)\b", re.IGNORECASE)
# How natural a portion is as the default, by its first words. A count of the whole thing first
# ("1 medium", "1 slice", "1 large"), then a plain cup, spoon or fluid ounce; cut-up measures
# ("cup, mashed"), weights ("oz", "lb") and packages last.
_NATURAL: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern), score)
    for pattern, score in (
        (r"^medium\b", 100),
        (r"^(large|extra large)\b", 90),
        (
            r"^(slice|piece|fruit(?! yields)|egg|patty|fillet|breast|half breast|link|bar|muffin|bagel|tortilla"
            r"|cookie)\b",
            85,
        ),
        (r"^(small|extra small|each|item|whole|serving|container|stalk|spear|floret)\b", 70),
        (r"^cup( \(8 fl oz\))?$", 75),
        (r"^(fl oz|cup \(8 fl oz\)|cup, \w+ \(8 fl oz\))", 72),
        (r"^tbsp$", 65),
        (r"^cup\b", 50),
        (r"^(tbsp|tsp)\b", 40),
        (r"^nlea serving\b", 35),
        (r"^oz\b", 30),
        (r"^(lb|package|can|pkg|recipe|yield|bottle|loaf|head|pie|cake)\b", 5),
    )
)
_CUT = re.compile(r"\b(mashed|chopped|diced|sliced|pureed|shredded|grated|crumbled|cubed|ground|pieces|halves)\b")
_DETAIL = re.compile(r"\s*\([^()]*\)\s*$")


def _fmt(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def portion_label(amount: Any, description: str, gram_weight: Any) -> str:
    """ "1 medium (118 g)", "3 oz (85 g)", "0.5 cup (61 g)": the count is kept, a size's detail in
    parentheses ('medium (7" to 7-7/8" long)') is dropped for the grams."""
    short = description.strip()
    while _DETAIL.search(short) and _DETAIL.sub("", short):
        short = _DETAIL.sub("", short)
    return f"{_fmt(Decimal(str(amount)))} {short} ({_fmt(Decimal(str(gram_weight)))} g)"


def _naturalness(description: str) -> int:
    text = description.strip().lower()
    score = 20
    for pattern, value in _NATURAL:
        if pattern.search(text):
            score = value
            break
    if _CUT.search(text):
        score -= 30
    return score


# A default that is a meal in itself is not a natural unit ("1 cup" of oil, butter or peanut butter).
MAX_DEFAULT_KCAL = 600


def natural_portion(portions: Sequence[Any], *, energy_kcal: Any = None) -> Any | None:
    """The most natural household portion of a list (model instances or dicts); ties keep SR28's order."""
    best, best_score = None, -1000
    for portion in portions:
        description = portion["description"] if isinstance(portion, dict) else portion.description
        score = _naturalness(description)
        grams = Decimal(str(portion["gram_weight"] if isinstance(portion, dict) else portion.gram_weight))
        if energy_kcal is not None and grams * Decimal(str(energy_kcal)) / 100 > MAX_DEFAULT_KCAL:
            score -= 60
        if score > best_score:
            best, best_score = portion, score
    return best


def is_liquid(*, name: str, category: str) -> bool:
    if _NOT_LIQUID.search(name):
        return False
    return category in LIQUID_GROUPS or bool(_LIQUID_NAME.search(name))


def millilitre_density(*, name: str, category: str, portions: Iterable[Any]) -> Decimal | None:
    """Grams per millilitre of a liquid, from its first volume portion ("1 cup" = 244 g of milk);
    None for a solid or a liquid with no volume portion: millilitres are not offered then."""
    if not is_liquid(name=name, category=category):
        return None
    for portion in portions:
        if isinstance(portion, dict):
            amount, description, grams = portion["amount"], portion["description"], portion["gram_weight"]
        else:
            amount, description, grams = portion.amount, portion.description, portion.gram_weight
        match = _VOLUME.match(description.strip().lower())
        if match is None:
            continue
        unit = match.group(1)
        per = ML_PER["ml"] if unit.startswith("millilit") else ML_PER[unit]
        amount, grams = Decimal(str(amount)), Decimal(str(grams))
        if amount > 0 and grams > 0:
            return grams / (amount * per)
    return None


@dataclass(frozen=True)
class DefaultAmount:
    """What the add form starts with: a quantity in `unit` ("g", "ml" or "portion"), of `portion`."""

    quantity: Decimal
    unit: str
    portion: Any = None  # a Portion or a search row's portion dict
    label: str = ""


def _get(portion: Any, key: str) -> Any:
    return portion[key] if isinstance(portion, dict) else getattr(portion, key)


def default_amount(*, portions: Sequence[Any], energy_kcal: Any = None, last_quantity: Any = None,
                   last_unit: str = "", last_portion_id: Any = None) -> DefaultAmount:  # fmt: skip
    """The person's last quantity and portion of this food when they have eaten it (and the portion
    still exists); else one of its most natural portion ("1 medium", quantity in the portion's own
    count: 3 of "3 oz"); else 100 g."""
    if last_quantity is not None and last_unit:
        quantity = Decimal(str(last_quantity))
        if last_unit == "portion":
            chosen = next((p for p in portions if str(_get(p, "id")) == str(last_portion_id)), None)
            if chosen is not None:
                label = portion_label(_get(chosen, "amount"), _get(chosen, "description"), _get(chosen, "gram_weight"))
                return DefaultAmount(quantity, "portion", chosen, label)
        else:
            return DefaultAmount(quantity, last_unit, None, f"{_fmt(quantity)} {last_unit}")
    natural = natural_portion(portions, energy_kcal=energy_kcal)
    if natural is None:
        return DefaultAmount(Decimal(100), "g", None, "100 g")
    amount = Decimal(str(_get(natural, "amount")))
    label = portion_label(amount, _get(natural, "description"), _get(natural, "gram_weight"))
    return DefaultAmount(amount, "portion", natural, label)
