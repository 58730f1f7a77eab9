"""How likely a food is the one a person means, from its name and food group: the "common form" prior
of the food search, computed at import (Food.commonness) so the search reads a column instead of
running these patterns on every candidate.

SR28 names a food as a head and descriptors ("Rice, white, long-grain, regular, enriched, cooked").
A person typing "rice" means the everyday form: cooked (grains, meat, fish, legumes), raw (fruit),
brewed (coffee, tea), the whole egg, meat without skin; not the flour, powder, yolk, baby food, an
organ, or a dish recorded for one community. Each rule below is a descriptor and its weight; a name's
prior is the sum of the rules it matches, clamped to [-3, 3]. No rule names a query.
"""

from __future__ import annotations

import re

# Groups whose foods are eaten cooked: "cooked"/"roasted" is the common form, "raw" is an ingredient.
COOKED_GROUPS = frozenset(
    {
        "Cereal Grains and Pasta",
        "Beef Products",
        "Pork Products",
        "Poultry Products",
        "Lamb, Veal, and Game Products",
        "Legumes and Legume Products",
        "Finfish and Shellfish Products",
    }
)
RAW_GROUPS = frozenset({"Fruits and Fruit Juices", "Nut and Seed Products"})
GROUP_WEIGHTS = {
    "Baby Foods": -1.5,
    "American Indian/Alaska Native Foods": -1.5,
    "Fast Foods": -0.6,
    "Restaurant Foods": -0.6,
    "Meals, Entrees, and Side Dishes": -0.4,
}
# (pattern on the lower-case name, weight). Words only, so "dry" is not "dry roasted" by accident.
_RULES: tuple[tuple[str, float], ...] = (
    # Forms people rarely mean by a plain word.
    (r"\b(dehydrated|powder(ed)?|flour|meal|concentrate|dry mix|mix)\b", -0.8),
    (r"\b(babyfood|baby food|toddler|infant formula)\b", -1.5),
    (r"\b(yolk|egg, white|whites)\b", -0.8),
    (r"\b(giblets|liver|heart|kidneys?|gizzard|neck|back|tongue|brain|lungs?|feet|tail|skin only)\b", -0.9),
    (r"(?<!flesh and )\bskin\b", -0.2),  # "with skin", "meat and skin"; a potato's "flesh and skin" is eaten
    (r"\bflesh and skin\b", 0.1),  # the whole baked or boiled potato, over the flesh alone
    (r"\b(refrigerated|fresh-refrigerated)\b", -0.2),  # the shop's chilled specialty, not the staple
    (r"\btoasted\b", -0.1),  # bread as bought before bread toasted
    (r"\b(chapati|roti|naan|pita|paratha|tortillas?)\b", -0.3),  # flatbreads after the everyday loaf
    (r"^game meat\b", -0.4),
    (r"\bfarmed\b", 0.1),  # the fish as usually sold
    (r"\bmeat and skin\b", -0.4),
    (r"\b(leaves|stalks|sprouted|seeds, dried|peel|bran|germ)\b", -0.5),
    (r"\b(canned|frozen|dried|smoked|pickled|cured|salted|breaded|fried)\b", -0.3),
    (r"\b(imitation|substitute|analog|replacement|low calorie)\b", -0.5),
    (r"\bprepared from recipe\b", -0.4),
    (r"\b(low sodium|reduced sodium|no salt|unsalted|low fat|lowfat|reduced fat|nonfat|fat free|light)\b", -0.2),
    (r"\b(fortified|protein fortified|with omega-3|added nonfat milk solids|vitamin and mineral)\b", -0.2),
    (r"\b(instant|sweetened|flavored|chocolate|with sugar|syrup|heavy syrup|light syrup)\b", -0.2),
    (r"\b(unenriched|not fortified)\b", -0.05),
    (r"\b(sheep|goat|buffalo|duck|goose|camel|human|buttermilk|whipped)\b", -0.4),
    (r"\bdry\b(?! heat| roasted)", -0.3),
    (r"\b(mashed|au gratin|scalloped|hash brown|french fried|home-prepared|candied)\b", -0.4),
    (r"\b(alaska native|shoshone|navajo|apache|hopi|northern plains indians|tohono|southwest)\b", -1.0),
    (r"\b(dressing|sauce|soup|salad|sandwich|cake|cookies?|pie|pudding|spread|oil)\b", -0.3),
    (r"\bready-to-eat\b", -0.2),
    # Everyday forms.
    (r"\bwhole(?![-\w]| grain| wheat| milk)", 0.3),  # the whole egg, whole milk; not "whole-wheat"
    (r"\bmeat only\b", 0.4),
    (r"\bbrewed\b", 0.7),
    (r"\bcommercially prepared\b", 0.3),
    (r"\b(plain|regular|all commercial varieties|year round average|all varieties|fluid)\b", 0.2),
    (r"\b(enriched)\b", 0.05),
    (r"\bsmooth style\b", 0.05),
    (r"\b(3\.25% milkfat|salad or cooking|salted)\b", 0.2),
    (r"\b(white)\b", 0.1),
)
_COMPILED = tuple((re.compile(pattern), weight) for pattern, weight in _RULES)
_COOKED = re.compile(r"\b(cooked|roasted|boiled|baked|grilled|broiled|braised|steamed|stewed|simmered|toasted)\b")
_RAW = re.compile(r"\braw\b")
_BRAND = re.compile(r"[A-Z]{3}")


def food_commonness(*, name: str, group: str) -> float:
    """The food's prior in the search (see the module docstring); 0 is neutral."""
    lowered = name.lower()
    score = GROUP_WEIGHTS.get(group, 0.0)
    if _BRAND.search(name):
        score -= 0.6  # "Cereals, QUAKER, …": branded entries after generic ones
    for pattern, weight in _COMPILED:
        if pattern.search(lowered):
            score += weight
    cooked, raw = bool(_COOKED.search(lowered)), bool(_RAW.search(lowered))
    if group in COOKED_GROUPS:
        score += 0.6 if cooked else 0.0
        score += 0.1 if "roasted" in lowered else 0.0  # roasted breast meat over stewed: the usual way
        score -= 0.3 if raw and not cooked else 0.0
    elif group in RAW_GROUPS:
        score += 0.5 if raw and not cooked else 0.0
    elif group == "Vegetables and Vegetable Products":
        score += 0.3 if cooked or raw else 0.0
    return round(max(-3.0, min(3.0, score)), 3)
