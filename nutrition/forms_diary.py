"""Forms of the diary page: validation only; the services do the writes."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from fitjourney.images import ACCEPT

from .models import Food, MealType, QuantityUnit


def unit_choices(food: Food | None) -> list[tuple[str, str]]:
    """Grams, millilitres, then each of the food's portions as "portion:<id>" ("medium (118 g)")."""
    choices = [(QuantityUnit.GRAM.value, "g"), (QuantityUnit.MILLILITRE.value, "ml")]
    if food is not None:
        for portion in food.portions.all():
            choices.append((f"portion:{portion.pk}", f"{portion.description} ({portion.gram_weight.normalize():f} g)"))
    return choices


class ItemForm(forms.Form):
    """Adds (with `food`) or edits an item. `unit` is "g", "ml" or "portion:<id>" of the food."""

    food = forms.UUIDField(widget=forms.HiddenInput, required=False)
    quantity = forms.DecimalField(min_value=Decimal("0.01"), max_digits=8, decimal_places=2, label="Quantity")
    unit = forms.ChoiceField(choices=(), label="Unit")
    acknowledge_conflicts = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, food: Food | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.food = food
        if food is None and self.data.get(self.add_prefix("food")):
            try:
                self.food = (
                    Food.objects.visible_to(user)
                    .prefetch_related("portions")
                    .filter(pk=self.data[self.add_prefix("food")])
                    .first()
                )
            except (ValueError, TypeError, forms.ValidationError):
                self.food = None
        self.fields["unit"].choices = unit_choices(self.food)

    def clean_food(self):
        if self.food is None:
            raise forms.ValidationError("Choose a food from the search results.")
        return self.food

    def service_kwargs(self) -> dict:
        unit = self.cleaned_data["unit"]
        portion = None
        if unit.startswith("portion:"):
            portion_id = unit.split(":", 1)[1]
            portion = next((p for p in self.food.portions.all() if str(p.pk) == portion_id), None)
            unit = QuantityUnit.PORTION
        return {
            "food": self.food,
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
    amount_ml = forms.IntegerField(min_value=1, max_value=5000, label="Millilitres")
