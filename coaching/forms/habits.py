"""Forms of the habits pages: validation only; the writes are coaching.services.habits'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ..models import Frequency, Habit, HabitCategory, HabitTemplate, TrackingType
from ..models.habits import MAX_VALUE
from ..services.habits import HABIT_FIELDS
from .base import DATE, TIME

WEEKDAYS = [(1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun")]
TRUE, FALSE = {"true", "on", "1", "yes"}, {"false", "off", "0", "no"}


class HabitForm(forms.Form):
    """A habit's fields, exactly the service's (coaching.services.habits.HABIT_FIELDS); `is_active` only when
    editing (a new habit is active)."""

    field_order = HABIT_FIELDS
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(choices=HabitCategory.choices, initial=HabitCategory.CUSTOM)
    tracking_type = forms.ChoiceField(
        label="How you track it",
        choices=TrackingType.choices,
        initial=TrackingType.BOOLEAN,
        widget=forms.RadioSelect,
    )
    unit = forms.CharField(
        required=False, max_length=20, help_text="For a number or duration, e.g. glasses, steps, minutes, hours."
    )
    target_value = forms.DecimalField(
        label="Target",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_VALUE,
        help_text="A number or duration habit is done when you reach it; done-or-not habits need none.",
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.DAILY)
    weekdays = forms.TypedMultipleChoiceField(
        label="On these weekdays",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only for “On chosen weekdays”.",
    )
    reminder_time = forms.TimeField(
        label="Reminder", required=False, widget=TIME, help_text="Your local time; empty for no reminder."
    )
    start_date = forms.DateField(widget=DATE)
    end_date = forms.DateField(required=False, widget=DATE, help_text="Empty to keep it going.")
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Pause a habit to hide it from the daily check-in."
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]

    @classmethod
    def initial_from_habit(cls, habit: Habit) -> dict[str, Any]:
        return {name: getattr(habit, name) for name in HABIT_FIELDS}

    @classmethod
    def initial_from_template(cls, template: HabitTemplate) -> dict[str, Any]:
        return {
            "name": template.name,
            "description": template.description,
            "category": template.category,
            "tracking_type": template.tracking_type,
            "unit": template.unit,
            "target_value": template.default_target if template.tracking_type != TrackingType.BOOLEAN else None,
            "frequency": template.frequency,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # A done-or-not habit has no target: a number left in the field from switching is dropped.
        if data.get("tracking_type") == TrackingType.BOOLEAN:
            data["target_value"] = None
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as the service takes them."""
        return {name: self.cleaned_data[name] for name in HABIT_FIELDS if name in self.fields}


class HabitLogForm(forms.Form):
    """A check-in: `completed` for done-or-not habits (missing: toggle), `value` for the others."""

    log_date = forms.DateField(required=False, widget=DATE)
    completed = forms.CharField(required=False, max_length=5)
    value = forms.DecimalField(required=False, max_digits=8, decimal_places=2, min_value=0, max_value=MAX_VALUE)
    notes = forms.CharField(required=False, max_length=1000)

    def clean_completed(self) -> bool | None:
        """ "true"/"on"/"1" or "false"/"off"/"0"; empty means "not said" (a one-tap toggle)."""
        raw = self.cleaned_data["completed"].strip().lower()
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        if raw:
            raise forms.ValidationError("Say true or false.")
        return None


class LogDeleteForm(forms.Form):
    log_date = forms.DateField()
