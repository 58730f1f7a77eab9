"""Body measurements: the quick-entry form, one field per kind of measurement in the person's units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ..models import BodyMetricType, Unit


class BodyEntryForm(forms.Form):
    """One field per measurement type, each in the person's unit (selectors.body.display_units_for: kg or
    lb, cm or in; percentages as they are); every field is optional. The service converts to the type's
    base unit."""

    measured_on = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Today if empty."
    )

    def __init__(self, *args: Any, types: list[BodyMetricType], units: dict[str, Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = types
        self.field_units: dict[str, Unit] = {}
        for metric_type in types:
            unit = units.get(metric_type.unit.type, metric_type.unit)
            self.field_units[metric_type.code] = unit
            self.fields[metric_type.code] = forms.DecimalField(
                label=f"{metric_type.name} ({unit.symbol})",
                required=False,
                max_digits=10,
                decimal_places=2,
                min_value=0,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {}
        labels: dict[str, str] = {}
        for metric_type in self.types:
            grouped.setdefault(metric_type.category, []).append(self[metric_type.code])
            labels[metric_type.category] = metric_type.get_category_display()
        return [(labels[key], fields) for key, fields in grouped.items()]

    def values(self) -> dict[str, tuple[Decimal, Unit | str | None]]:
        """What the service takes: {type code: (value, unit)} for the fields filled in."""
        return {
            code: (self.cleaned_data[code], unit)
            for code, unit in self.field_units.items()
            if self.cleaned_data.get(code) is not None
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's errors, keyed by type code (and `measured_at`), beside the field to correct."""
        for code, messages in errors.items():
            name = "measured_on" if code == "measured_at" else code
            self.add_error(name if name in self.fields else None, messages)
