"""The form for a person's own activity type and its metrics (a formset of rows)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from accounts.models import Unit

from ..models import ActivityCategory, InputType

MAX_METRIC_ROWS = 6


class ActivityTypeForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. Bouldering, Guitar, Pottery.")
    category = forms.ModelChoiceField(queryset=ActivityCategory.objects.order_by("display_order", "name"))
    is_physical = forms.BooleanField(
        label="It is physical exercise",
        required=False,
        initial=True,
        help_text="Physical activities count as workouts, active minutes and calories burned.",
    )
    met = forms.DecimalField(
        label="MET (optional)",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(23),
        decimal_places=2,
        help_text="Its intensity in METs, for calories burned (bouldering is about 5.8). Leave empty if unsure.",
    )
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class MetricRowForm(forms.Form):
    label = forms.CharField(label="Metric", max_length=80, required=False)
    input_type = forms.ChoiceField(label="Kind", choices=InputType.choices, initial=InputType.NUMBER)
    unit = forms.ChoiceField(label="Unit", required=False)
    min_value = forms.DecimalField(label="Lowest", required=False, max_digits=12, decimal_places=3)
    max_value = forms.DecimalField(label="Highest", required=False, max_digits=12, decimal_places=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.order_by("type", "factor").values_list("code", "name")
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "No unit (a count, a grade, a note)"), *units]

    def spec(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("label"):
            return None
        return {key: data.get(key) for key in ("label", "input_type", "unit", "min_value", "max_value")}


MetricRowFormSet = forms.formset_factory(MetricRowForm, extra=3, max_num=MAX_METRIC_ROWS, validate_max=True)
