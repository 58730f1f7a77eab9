"""Dietary preferences: saving them, and `food_conflicts`, the agreed interface the diary calls before it
saves an item."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from ..models import DietaryPreferences, DietType, Food, PrepWillingness, SkillLevel
from ..selectors.plans import dietary_preferences_for_user

LIST_FIELDS = ("allergies", "intolerances", "dislikes", "religious_restrictions", "preferred_cuisines")
PREFERENCE_FIELDS = (
    "diet_type",
    "diet_type_other",
    *LIST_FIELDS,
    "cooking_skill",
    "meal_prep_willingness",
    "max_prep_minutes",
    "budget_per_day",
    "notes",
)

# USDA SR28 food group names (Food.category).
PORK, BEEF, POULTRY = "Pork Products", "Beef Products", "Poultry Products"
FISH_GROUP, DAIRY_EGG = "Finfish and Shellfish Products", "Dairy and Egg Products"
NUTS_SEEDS, SAUSAGES, LAMB_GAME = (
    "Nut and Seed Products",
    "Sausages and Luncheon Meats",
    "Lamb, Veal, and Game Products",
)


@dataclass(frozen=True)
class Rule:
    """What a food "contains": any of `words` in its name or tags (whole words, plurals too), or its USDA
    group in `groups` (unless `group_unless` words are in the name). `except_phrases` undo a match
    ("peanut butter" is not dairy); "<free>-free" in the name or tags clears it ("lactose-free milk")."""

    contains: str
    words: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    group_unless: tuple[str, ...] = ()
    except_phrases: tuple[str, ...] = ()
    free: tuple[str, ...] = ()
    cleared_by: tuple[str, ...] = ()  # any of these in the name/tags: no match at all ("red wine vinegar")


SHELLFISH_WORDS = (
    "shellfish", "shrimp", "prawn", "crab", "lobster", "crayfish", "crawfish", "clam", "mussel", "oyster",
    "scallop", "squid", "calamari", "octopus", "crustacean", "mollusk", "abalone", "whelk", "conch",
)  # fmt: skip
FISH_WORDS = (
    "fish", "salmon", "tuna", "cod", "trout", "sardine", "anchovy", "anchovies", "mackerel", "herring",
    "tilapia", "halibut", "haddock", "pollock", "bass", "catfish", "carp", "pike", "perch", "snapper",
    "sole", "flounder", "swordfish", "roe", "caviar", "surimi",
)  # fmt: skip
MEAT_WORDS = (
    "meat", "beef", "veal", "pork", "ham", "bacon", "lamb", "mutton", "goat", "venison", "bison", "rabbit",
    "sausage", "salami", "pepperoni", "chorizo", "prosciutto", "pastrami", "hot dog", "frankfurter",
    "bologna", "jerky", "gelatin", "lard", "steak", "hamburger", "meatball", "liver", "tripe",
)  # fmt: skip
POULTRY_WORDS = ("chicken", "turkey", "duck", "goose", "quail", "poultry", "pheasant", "hen")
DAIRY_WORDS = (
    "milk", "cheese", "butter", "cream", "yogurt", "yoghurt", "whey", "casein", "ghee", "kefir", "curd",
    "buttermilk", "custard", "ice cream", "mozzarella", "cheddar", "parmesan", "ricotta", "dairy",
)  # fmt: skip
NON_DAIRY = (
    "peanut butter", "almond butter", "nut butter", "cocoa butter", "apple butter", "sesame butter",
    "soy milk", "soymilk", "almond milk", "oat milk", "rice milk", "coconut milk", "coconut cream",
    "cashew milk", "cream of tartar", "butternut", "shea butter", "milkweed",
)  # fmt: skip
EGG_WORDS = ("egg", "eggs", "mayonnaise", "meringue", "albumen", "omelet", "omelette")
WHEAT_WORDS = (
    "wheat", "bread", "pasta", "spaghetti", "macaroni", "noodle", "couscous", "semolina", "bulgur", "durum",
    "spelt", "farina", "seitan", "cracker", "bagel", "croissant", "flour tortilla", "pretzel", "breadcrumb",
)  # fmt: skip
NON_WHEAT = ("rice noodle", "buckwheat", "rice bread", "corn bread", "rice pasta", "rice cracker")
GLUTEN_WORDS = (*WHEAT_WORDS, "gluten", "barley", "rye", "malt", "triticale")

RULES: dict[str, Rule] = {
    "peanut": Rule("peanuts", ("peanut", "groundnut"), free=("peanut", "nut")),
    "tree_nut": Rule(
        "tree nuts",
        (
            "almond",
            "walnut",
            "cashew",
            "pecan",
            "pistachio",
            "hazelnut",
            "filbert",
            "macadamia",
            "brazil nut",
            "pine nut",
            "praline",
            "marzipan",
            "nutella",
            "tree nut",
            "chestnut",
        ),  # fmt: skip
        groups=(NUTS_SEEDS,),
        group_unless=("seed", "sesame", "tahini", "coconut", "peanut"),
        free=("nut", "tree nut"),
    ),
    "shellfish": Rule("shellfish", SHELLFISH_WORDS, free=("shellfish",)),
    "fish": Rule(
        "fish", FISH_WORDS, groups=(FISH_GROUP,), group_unless=SHELLFISH_WORDS, except_phrases=("fish sauce free",)
    ),
    "dairy": Rule(
        "dairy",
        DAIRY_WORDS,
        groups=(DAIRY_EGG,),
        group_unless=EGG_WORDS,
        except_phrases=NON_DAIRY,
        free=("dairy", "milk"),
    ),
    "lactose": Rule(
        "lactose (dairy)",
        DAIRY_WORDS,
        groups=(DAIRY_EGG,),
        group_unless=EGG_WORDS,
        except_phrases=NON_DAIRY,
        free=("lactose", "dairy", "milk"),
    ),  # fmt: skip
    "egg": Rule("egg", EGG_WORDS, except_phrases=("eggplant", "egg-free"), free=("egg",)),
    "soy": Rule("soy", ("soy", "soya", "soybean", "tofu", "tempeh", "edamame", "miso", "soymilk"), free=("soy",)),
    "wheat": Rule("wheat", WHEAT_WORDS, except_phrases=NON_WHEAT, free=("wheat", "gluten")),
    "gluten": Rule("gluten", GLUTEN_WORDS, except_phrases=NON_WHEAT, free=("gluten",)),
    "sesame": Rule("sesame", ("sesame", "tahini", "halva", "halvah"), free=("sesame",)),
    "pork": Rule(
        "pork",
        (
            "pork",
            "ham",
            "bacon",
            "lard",
            "prosciutto",
            "pancetta",
            "pepperoni",
            "chorizo",
            "salami",
            "gelatin",
            "hog",
            "swine",
            "pig",
        ),  # fmt: skip
        groups=(PORK,),
        free=("pork",),
    ),
    "beef": Rule("beef", ("beef", "veal", "steak", "hamburger", "brisket", "corned beef", "pastrami"), groups=(BEEF,)),
    "alcohol": Rule(
        "alcohol",
        (
            "alcohol",
            "alcoholic",
            "beer",
            "wine",
            "vodka",
            "rum",
            "whiskey",
            "whisky",
            "gin",
            "liqueur",
            "brandy",
            "tequila",
            "sake",
            "cider",
            "champagne",
            "ale",
            "lager",
            "bourbon",
        ),  # fmt: skip
        except_phrases=("ginger",),
        cleared_by=("vinegar", "non-alcoholic", "nonalcoholic", "alcohol free", "alcohol-free"),
    ),
    "meat": Rule(
        "meat", MEAT_WORDS, groups=(PORK, BEEF, SAUSAGES, LAMB_GAME), except_phrases=("meatless", "coconut meat")
    ),
    "poultry": Rule("poultry", POULTRY_WORDS, groups=(POULTRY,), except_phrases=("chicken of the woods",)),
    "seafood": Rule("fish or shellfish", (*FISH_WORDS, *SHELLFISH_WORDS), groups=(FISH_GROUP,)),
    "honey": Rule("honey", ("honey",), except_phrases=("honeydew",)),
}

ALLERGY_ALIASES = {
    "peanut": "peanut", "peanuts": "peanut", "groundnut": "peanut",
    "tree nut": "tree_nut", "tree nuts": "tree_nut", "nuts": "tree_nut", "nut": "tree_nut",
    "shellfish": "shellfish", "crustaceans": "shellfish", "molluscs": "shellfish", "fish": "fish",
    "dairy": "dairy", "milk": "dairy", "egg": "egg", "eggs": "egg", "soy": "soy", "soya": "soy",
    "wheat": "wheat", "gluten": "gluten", "sesame": "sesame",
}  # fmt: skip
ALLERGY_NOUNS = {"peanut": "peanut", "tree_nut": "tree nut", "egg": "egg"}
INTOLERANCE_ALIASES = {"lactose": "lactose", "dairy": "lactose", "milk": "lactose", "gluten": "gluten",
                       "wheat": "wheat", "fructose": None}  # fmt: skip
RESTRICTION_ALIASES = {
    "pork": ("pork",), "beef": ("beef",), "alcohol": ("alcohol",),
    "halal": ("pork", "alcohol"), "kosher": ("pork", "shellfish"), "shellfish": ("shellfish",),
}  # fmt: skip
DIET_RULES: dict[str, tuple[str, ...]] = {
    DietType.VEGETARIAN: ("meat", "poultry", "seafood"),
    DietType.VEGAN: ("meat", "poultry", "seafood", "dairy", "egg", "honey"),
    DietType.PESCATARIAN: ("meat", "poultry"),
}
SUGGESTED_ALLERGIES = ("peanuts", "tree nuts", "shellfish", "fish", "dairy", "egg", "soy", "wheat", "gluten", "sesame")
SUGGESTED_INTOLERANCES = ("lactose", "gluten")
SUGGESTED_RESTRICTIONS = ("pork", "beef", "alcohol", "halal", "kosher")


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})(?:s|es)?\b")


_PATTERNS = {key: _pattern(rule.words) for key, rule in RULES.items() if rule.words}
_UNLESS = {key: _pattern(rule.group_unless) for key, rule in RULES.items() if rule.group_unless}


def _text_of(food: Food) -> str:
    return " ".join([food.name or "", *(food.tags or [])]).lower().replace("_", " ")


def _matches(key: str, food: Food, text: str) -> bool:
    rule = RULES[key]
    if any(re.search(rf"\b{re.escape(word)}[- ]free\b", text) for word in rule.free):
        return False
    if any(word in text for word in rule.cleared_by):
        return False
    cleaned = text
    for phrase in rule.except_phrases:
        cleaned = cleaned.replace(phrase, " ")
    if key in _PATTERNS and _PATTERNS[key].search(cleaned):
        return True
    if rule.groups and (food.category or "") in rule.groups:
        return not (key in _UNLESS and _UNLESS[key].search(cleaned))
    return False


def _norm(value: str) -> str:
    return " ".join(value.lower().replace("_", " ").replace("-", " ").split())


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def food_conflicts(*, user: User | AnonymousUser | None, food: Food) -> list[str]:
    """Plain-language warnings when `food` conflicts with the person's allergies, intolerances,
    religious restrictions, diet type or dislikes (e.g. "Peanut butter, smooth style contains peanuts — you
    listed a peanut allergy."). The diary shows them before an item is saved. Empty when there is no
    conflict. At most one query (the preferences row, cached on `user` for the rest of the request)."""
    if not isinstance(user, User):  # nobody signed in: no preferences
        return []
    prefs = dietary_preferences_for_user(user=user)
    if prefs is None:
        return []
    text = _text_of(food)
    name = food.name
    messages: list[str] = []

    def add(message: str) -> None:
        if message not in messages:
            messages.append(message)

    for allergy in prefs.allergies:
        key = ALLERGY_ALIASES.get(_norm(allergy))
        label = _norm(allergy)
        if key is None:
            if label and label in text:
                add(f"{name} contains {label} — you listed {_article(label)} {label} allergy.")
        elif _matches(key, food, text):
            noun = ALLERGY_NOUNS.get(key, label)
            add(f"{name} contains {RULES[key].contains} — you listed {_article(noun)} {noun} allergy.")
    for intolerance in prefs.intolerances:
        label = _norm(intolerance)
        key = INTOLERANCE_ALIASES.get(label, "")
        if key is None:
            continue
        if key == "":
            if label and label in text:
                add(f"{name} contains {label} — you listed {_article(label)} {label} intolerance.")
        elif _matches(key, food, text):
            add(f"{name} contains {RULES[key].contains} — you listed {_article(label)} {label} intolerance.")
    for restriction in prefs.religious_restrictions:
        label = _norm(restriction)
        for key in RESTRICTION_ALIASES.get(label, ()):
            if _matches(key, food, text):
                add(
                    f"{name} contains {RULES[key].contains} — you listed that you avoid {RULES[key].contains}"
                    + (f" ({label})" if label != key else "")
                    + "."
                )
        if label not in RESTRICTION_ALIASES and label and re.search(rf"\b{re.escape(label)}", text):
            add(f"{name} contains {label} — you listed that you avoid {label}.")
    for key in DIET_RULES.get(prefs.diet_type, ()):
        if _matches(key, food, text):
            diet = DietType(prefs.diet_type).label.lower()
            add(f"{name} contains {RULES[key].contains} — you follow {_article(diet)} {diet} diet.")
    for dislike in prefs.dislikes:
        label = _norm(dislike)
        if label and label in text:
            add(f"{name} contains {label} — you listed it as a dislike.")
    return messages


def _word_list(value: Any, *, field: str) -> list[str]:
    """A list or a comma-separated string → trimmed, lower-case, unique words of up to 60 characters."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    words: list[str] = []
    for item in items:
        word = " ".join(str(item).split()).lower()
        if not word:
            continue
        if len(word) > 60:
            raise ValidationError({field: f"“{word[:20]}…” is too long (60 characters at most)."})
        if word not in words:
            words.append(word)
    if len(words) > 50:
        raise ValidationError({field: "Fifty entries at most."})
    return words


def dietary_preferences_validate(*, current: DietaryPreferences | None = None, **changes: Any) -> dict[str, Any]:
    """The preferences `changes` would give (on top of `current`, or of the defaults), cleaned and checked,
    without saving anything: {field: value} for every preference field. Lists accept a list or a
    comma-separated string. Raises field errors."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    # An unattached copy: assigning a user here would replace `user.dietary_preferences` with it.
    prefs = copy.copy(current) if current is not None else DietaryPreferences()
    for name, value in changes.items():
        if name in LIST_FIELDS:
            value = _word_list(value, field=name)
        elif name in ("diet_type_other", "notes", "cooking_skill", "meal_prep_willingness"):
            value = (value or "").strip()
        setattr(prefs, name, value)
    errors: dict[str, str] = {}
    if prefs.diet_type not in DietType.values:
        errors["diet_type"] = "Choose a diet type from the list."
    if prefs.diet_type == DietType.OTHER and not prefs.diet_type_other:
        errors["diet_type_other"] = "Name your diet when you choose “Other”."
    if prefs.diet_type != DietType.OTHER:
        prefs.diet_type_other = ""
    if prefs.cooking_skill not in ["", *SkillLevel.values]:
        errors["cooking_skill"] = "Choose beginner, intermediate or advanced."
    if prefs.meal_prep_willingness not in ["", *PrepWillingness.values]:
        errors["meal_prep_willingness"] = "Choose none, minimal, moderate or extensive."
    try:
        if prefs.max_prep_minutes is not None and not 5 <= int(prefs.max_prep_minutes) <= 600:
            errors["max_prep_minutes"] = "Choose 5–600 minutes."
    except (TypeError, ValueError):
        errors["max_prep_minutes"] = "Enter a whole number of minutes."
    try:
        if prefs.budget_per_day is not None and Decimal(str(prefs.budget_per_day)) < 0:
            errors["budget_per_day"] = "The budget cannot be negative."
    except ArithmeticError:
        errors["budget_per_day"] = "Enter an amount."
    if errors:
        raise ValidationError(errors)
    # The column rules (lengths, decimal places) without the database round trips of full_clean.
    prefs.clean_fields(exclude=["user"])
    return {name: getattr(prefs, name) for name in PREFERENCE_FIELDS}


@transaction.atomic
def dietary_preferences_set(*, user: User, **changes: Any) -> DietaryPreferences:
    """Creates or updates the person's dietary preferences (only the fields given change). Lists accept
    a list or a comma-separated string."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    prefs = DietaryPreferences.objects.select_for_update().filter(user=user).first() or DietaryPreferences(user=user)
    for name, value in dietary_preferences_validate(current=prefs, **changes).items():
        setattr(prefs, name, value)
    prefs.full_clean(exclude=["user"], validate_unique=False)
    prefs.save()
    user.dietary_preferences = prefs  # later food_conflicts calls in this request see the new row
    return prefs
