"""Forms of the food database: the search box and adding one's own food."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BoundField

from ..models import NUTRIENTS
from ..presenters import NUTRIENT_LABELS

PER_100G = "100g"
PER_SERVING = "serving"
REQUIRED = ("energy_kcal", "protein_g", "carbohydrate_g", "fat_g")


class FoodSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)

    def query(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("q") or ""


class FoodCreateForm(forms.Form):
    name = forms.CharField(max_length=200)
    brand = forms.CharField(max_length=100, required=False)
    basis = forms.ChoiceField(
        choices=[(PER_100G, "per 100 g"), (PER_SERVING, "per serving")],
        initial=PER_100G,
        widget=forms.RadioSelect,
        label="The values are",
    )
    serving_grams = forms.DecimalField(
        required=False,
        min_value=Decimal("0.1"),
        max_value=5000,
        decimal_places=2,
        label="Serving weight (g)",
        help_text="Only when the values are per serving, e.g. 30 for a 30 g bar.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in NUTRIENTS:
            self.fields[field] = forms.DecimalField(
                label=NUTRIENT_LABELS[field],
                required=field in REQUIRED,
                min_value=0,
                max_digits=10,
                decimal_places=3,
                help_text="" if field in REQUIRED else "Leave empty when not reported.",
            )

    def nutrient_fields(self) -> list[BoundField]:
        return [self[field] for field in NUTRIENTS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("basis") == PER_SERVING and not cleaned.get("serving_grams"):
            self.add_error("serving_grams", "Give the serving weight, so the values can be converted to per 100 g.")
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "brand": data.get("brand") or "",
            "serving_grams": data.get("serving_grams") if data.get("basis") == PER_SERVING else None,
            "nutrients": {field: data.get(field) for field in NUTRIENTS},
        }
