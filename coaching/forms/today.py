"""The Today page's one-tap forms: validation only; the services of the owning apps decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from fitjourney import units
from fitjourney.units import UnitSystem


class WaterForm(forms.Form):
    amount_ml = forms.IntegerField(min_value=1, max_value=5000)


class WeightForm(forms.Form):
    """A weight in the person's unit (kg or lb); accounts' body metrics service stores it in kg."""

    value = forms.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0.01"))

    def __init__(self, *args: Any, who: UnitSystem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = units.weight_unit(who)
        self.fields["value"].label = f"Weight ({self.unit})"
        self.fields["value"].widget.attrs.update({"step": "0.1", "inputmode": "decimal"})


class HabitValueForm(forms.Form):
    value = forms.DecimalField(max_digits=8, decimal_places=2, min_value=0, max_value=999999)


def form_error(form: forms.Form) -> str:
    """Every message of a form in one line (the one-tap cards show a single line)."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


__all__ = ["HabitValueForm", "WaterForm", "WeightForm", "form_error"]
