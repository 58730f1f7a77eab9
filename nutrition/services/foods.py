"""Writes for the food database: people add their own (private) foods; staff verify foods."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User

from ..models import NUTRIENTS, Food

# Grams a macronutrient can weigh at most in 100 g, and the energy of pure fat.
_MAX_PER_100G = {"protein_g": 100, "carbohydrate_g": 100, "fat_g": 100, "fiber_g": 100, "sugars_g": 100,
                 "saturated_fat_g": 100, "energy_kcal": 902, "sodium_mg": 100000, "cholesterol_mg": 100000,
                 "potassium_mg": 100000}  # fmt: skip
_LABELS = {
    "energy_kcal": "Energy",
    "protein_g": "Protein",
    "carbohydrate_g": "Carbohydrate",
    "fat_g": "Fat",
    "fiber_g": "Fiber",
    "sugars_g": "Sugars",
    "sodium_mg": "Sodium",
    "saturated_fat_g": "Saturated fat",
    "cholesterol_mg": "Cholesterol",
    "potassium_mg": "Potassium",
}
_PLACES = Decimal("0.001")


def per_100g(value: Decimal | None, *, serving_grams: Decimal) -> Decimal | None:
    """A value per serving of `serving_grams` g, as per 100 g (None stays None: "not reported")."""
    if value is None:
        return None
    return (Decimal(value) * 100 / Decimal(serving_grams)).quantize(_PLACES, rounding=ROUND_HALF_UP)


@transaction.atomic
def food_create(
    *,
    owner: User,
    name: str,
    nutrients: dict[str, Decimal | None],
    serving_grams: Decimal | None = None,
    brand: str = "",
    category: str = "",
    description: str = "",
) -> Food:
    """A person's own food, private to them. `nutrients` are per 100 g, or per serving of `serving_grams`
    g when given (converted to per 100 g here, so the page and the API agree). A nutrient left out or
    None is "not reported". Nothing is saved when any value is wrong; all errors are reported at once."""
    errors: dict[str, list[str]] = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = ["Give the food a name."]
    elif len(name) > 200:
        errors["name"] = ["Keep the name under 200 characters."]
    unknown = sorted(set(nutrients) - set(NUTRIENTS))
    if unknown:
        errors["nutrients"] = [f"Unknown nutrient: {', '.join(unknown)}."]
    if serving_grams is not None and (serving_grams <= 0 or serving_grams > 5000):
        errors["serving_grams"] = ["A serving weighs more than 0 g and at most 5,000 g."]
    if errors:
        raise ValidationError(errors)

    values: dict[str, Decimal | None] = {}
    for field in NUTRIENTS:
        value = nutrients.get(field)
        if value is not None and value < 0:
            errors[field] = [f"{_LABELS[field]} cannot be negative."]
            continue
        if serving_grams is not None:
            value = per_100g(value, serving_grams=serving_grams)
        if value is not None and value > _MAX_PER_100G[field]:
            unit = "kcal" if field == "energy_kcal" else field.rsplit("_", 1)[-1]
            basis = f" (that is {value.normalize():f} {unit} per 100 g)" if serving_grams is not None else ""
            errors[field] = [f"{_LABELS[field]} can be at most {_MAX_PER_100G[field]} {unit} per 100 g{basis}."]
        values[field] = value
    if not errors:
        macros = sum(values[f] or 0 for f in ("protein_g", "carbohydrate_g", "fat_g"))
        if macros > 100:
            errors["__all__"] = ["Protein, carbohydrate and fat together cannot weigh more than the food itself."]
        # Not fiber: European labels give carbohydrate without it, so fiber can exceed it (chia seeds).
        for part, whole in (("sugars_g", "carbohydrate_g"), ("saturated_fat_g", "fat_g")):
            part_value, whole_value = values[part], values[whole]
            if part_value is not None and whole_value is not None and part_value > whole_value:
                errors[part] = [f"{_LABELS[part]} cannot be more than {_LABELS[whole].lower()}."]
    if errors:
        raise ValidationError(errors)

    food = Food(
        owner=owner,
        name=name,
        brand=brand.strip()[:100],
        category=category.strip()[:60],
        description=description.strip(),
        serving_size=Decimal(100),
        serving_unit="g",
        is_system=False,
        is_verified=False,
        **values,
    )
    food.full_clean(exclude=["search_vector", "image"])
    food.save()
    return food


@transaction.atomic
def foods_verify(*, foods: QuerySet[Food]) -> int:
    """Marks the given foods verified (staff vouch for their values); returns how many changed."""
    return foods.filter(is_verified=False).update(is_verified=True)
