"""Forms of the diary page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from fitjourney import units
from fitjourney.images import ACCEPT

from ..models import Food, MealType, QuantityUnit
from ..portions import default_amount, millilitre_density, portion_label
from ..services.diary import WATER_MAX_ML, WATER_MIN_ML


def _unit_choices(food: Food, portions: list[Any]) -> list[tuple[str, str]]:
    choices = [(QuantityUnit.GRAM.value, "g")]
    if millilitre_density(name=food.name, category=food.category, portions=portions) is not None:
        choices.append((QuantityUnit.MILLILITRE.value, "ml"))
    for portion in portions:
        amount, description, grams, pk = (
            (portion["amount"], portion["description"], portion["gram_weight"], portion["id"])
            if isinstance(portion, dict)
            else (portion.amount, portion.description, portion.gram_weight, portion.pk)
        )
        choices.append((f"portion:{pk}", portion_label(amount, description, grams)))
    return choices


def unit_choices(food: Food | None) -> list[tuple[str, str]]:
    """Grams, millilitres (liquids with a known density only), then each of the food's portions as
    "portion:<id>" with its count ("1 medium (118 g)", "3 oz (85 g)")."""
    if food is None:
        return [(QuantityUnit.GRAM.value, "g"), (QuantityUnit.MILLILITRE.value, "ml")]
    return _unit_choices(food, list(food.portions.all()))


def add_start(food: Food) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The add form's start and unit choices for a search row (its portions as `portion_list` JSON, the
    person's last amount as annotations: no further query): the person's last quantity, unit and
    portion of this food, else its most natural portion, else 100 g."""
    portions = list(getattr(food, "portion_list", None) or [])
    choices = _unit_choices(food, portions)
    default = default_amount(
        portions=portions,
        energy_kcal=food.energy_kcal,
        last_quantity=getattr(food, "last_quantity", None),
        last_unit=getattr(food, "last_unit", ""),
        last_portion_id=getattr(food, "last_portion_id", None),
    )
    unit = f"portion:{default.portion['id']}" if default.unit == QuantityUnit.PORTION else default.unit
    if unit not in dict(choices):  # e.g. ml last time, no longer offered
        return {"quantity": 100, "unit": QuantityUnit.GRAM.value}, choices
    return {"quantity": default.quantity.normalize(), "unit": unit}, choices


class ItemForm(forms.Form):
    """Adds (with `food`) or edits an item. `unit` is "g", "ml" or "portion:<id>" of the food; the food,
    given or posted (one the person may see), is `chosen_food`."""

    food = forms.UUIDField(widget=forms.HiddenInput, required=False)
    quantity = forms.DecimalField(min_value=Decimal("0.01"), max_digits=8, decimal_places=2, label="Quantity")
    unit = forms.ChoiceField(choices=(), label="Unit")
    acknowledge_conflicts = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User | AnonymousUser, food: Food | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.chosen_food = food
        if food is None and self.data.get(self.add_prefix("food")):
            try:
                self.chosen_food = (
                    Food.objects.visible_to(user)
                    .prefetch_related("portions")
                    .filter(pk=self.data[self.add_prefix("food")])
                    .first()
                )
            except (ValueError, TypeError, forms.ValidationError):
                self.chosen_food = None
        cast(forms.ChoiceField, self.fields["unit"]).choices = unit_choices(self.chosen_food)

    def clean_food(self) -> Food:
        if self.chosen_food is None:
            raise forms.ValidationError("Choose a food from the search results.")
        return self.chosen_food

    def service_kwargs(self) -> dict[str, Any]:
        food: Food = self.cleaned_data["food"]
        unit = self.cleaned_data["unit"]
        portion = None
        if unit.startswith("portion:"):
            portion_id = unit.split(":", 1)[1]
            portion = next((p for p in food.portions.all() if str(p.pk) == portion_id), None)
            unit = QuantityUnit.PORTION
        return {
            "food": food,
            "quantity": self.cleaned_data["quantity"],
            "unit": unit,
            "portion": portion,
            "acknowledge_conflicts": self.cleaned_data.get("acknowledge_conflicts", False),
        }


class MealFieldsForm(forms.Form):
    eaten_at = forms.TimeField(required=False, label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    name = forms.CharField(required=False, max_length=200)
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class MealPhotoForm(forms.Form):
    photo = forms.FileField(label="Photo", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class MealCopyForm(forms.Form):
    to_date = forms.DateField(label="Copy to", widget=forms.DateInput(attrs={"type": "date"}))
    to_meal_type = forms.ChoiceField(choices=[("", "Same meal"), *MealType.choices], required=False, label="As")


class DayCopyForm(forms.Form):
    from_date = forms.DateField(label="Copy the day of", widget=forms.DateInput(attrs={"type": "date"}))


class WaterForm(forms.Form):
    """A drink: `amount_ml` exactly (the one-tap buttons carry millilitres), or `amount` as the person typed
    it in their unit (ml or fl oz). Either way cleaned_data["amount_ml"] is whole millilitres."""

    amount_ml = forms.IntegerField(required=False, min_value=WATER_MIN_ML, max_value=WATER_MAX_ML)
    amount = forms.DecimalField(required=False, min_value=Decimal("0.1"), max_digits=7, decimal_places=1)

    def __init__(self, *args: Any, unit_system: units.UnitSystem = units.METRIC, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_system = unit_system
        self.fields["amount"].label = f"Other amount ({units.water_unit(unit_system)})"

    def range_message(self) -> str:
        largest = units.water_shown(WATER_MAX_ML, self.unit_system)
        return f"Enter {WATER_MIN_ML} to {largest} {units.water_unit(self.unit_system)}."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        amount_ml = data.get("amount_ml")
        if amount_ml is None:
            amount_ml = units.water_parse(data.get("amount"), self.unit_system)
        if amount_ml is None or not WATER_MIN_ML <= amount_ml <= WATER_MAX_ML:
            raise forms.ValidationError(self.range_message())
        data["amount_ml"] = amount_ml
        return data
