"""Forms of the plan and preferences pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from fitjourney import units

from ..calculations import validate_macros_match_energy
from ..models import DietType, PrepWillingness, ReminderTone, SkillLevel
from ..selectors.diary import DEFAULT_WATER_TARGET_ML
from ..services.hydration import DAILY_TARGET_MAX_ML, DAILY_TARGET_MIN_ML
from ..services.plans import ADJUSTABLE_FIELDS, MEAL_SCHEDULE_FIELDS
from ..services.preferences import (
    LIST_FIELDS,
    PREFERENCE_FIELDS,
    SUGGESTED_ALLERGIES,
    SUGGESTED_INTOLERANCES,
    SUGGESTED_RESTRICTIONS,
)

GRAM = Decimal("0.01")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MealsPerDayForm(forms.Form):
    meals_per_day = forms.IntegerField(label="Meals a day", min_value=2, max_value=8, initial=3)


# How the page asks for each of the plan's adjustable fields; which fields there are, and their order, is
# the service's (nutrition.services.plans.ADJUSTABLE_FIELDS).
ADJUST_INPUTS: dict[str, forms.Field] = {
    "meals_per_day": forms.IntegerField(label="Meals a day", min_value=2, max_value=8),
    "energy_target_kcal": forms.IntegerField(label="Target (kcal)", min_value=1000, max_value=5000),
    "energy_min_kcal": forms.IntegerField(label="Minimum (kcal)", min_value=1),
    "energy_max_kcal": forms.IntegerField(label="Maximum (kcal)", min_value=1),
    "protein_g": forms.DecimalField(label="Protein (g)", max_digits=6, decimal_places=2, min_value=GRAM),
    "carbohydrate_g": forms.DecimalField(label="Carbohydrate (g)", max_digits=6, decimal_places=2, min_value=GRAM),
    "fat_g": forms.DecimalField(label="Fat (g)", max_digits=6, decimal_places=2, min_value=GRAM),
    "fiber_g": forms.DecimalField(label="Fiber (g)", max_digits=6, decimal_places=2, min_value=0, required=False),
}


class PlanAdjustForm(forms.Form):
    """The plan's adjustable numbers: one field per name in ADJUSTABLE_FIELDS, in that order."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        needed = ("energy_target_kcal", "energy_min_kcal", "energy_max_kcal", "protein_g", "carbohydrate_g", "fat_g")
        if any(data.get(name) is None for name in needed):
            return data
        if not data["energy_min_kcal"] < data["energy_target_kcal"] < data["energy_max_kcal"]:
            self.add_error("energy_target_kcal", "The target must lie strictly between the minimum and the maximum.")
        validate_macros_match_energy(
            energy_kcal=data["energy_target_kcal"],
            protein_g=data["protein_g"],
            carbohydrate_g=data["carbohydrate_g"],
            fat_g=data["fat_g"],
        )
        return data


# Forms copy their base fields for each instance, so these are never shared between requests.
PlanAdjustForm.base_fields = PlanAdjustForm.declared_fields = {name: ADJUST_INPUTS[name] for name in ADJUSTABLE_FIELDS}


class RecalculateForm(forms.Form):
    reason = forms.CharField(max_length=1000, widget=forms.TextInput())

    def __init__(self, *args: Any, unit_system: units.UnitSystem = units.METRIC, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        example = f"e.g. lost 3 {units.weight_unit(unit_system)} since the last plan"
        self.fields["reason"].widget.attrs["placeholder"] = example


class MealScheduleRowForm(forms.Form):
    meal_number = forms.IntegerField(min_value=1, max_value=8, widget=forms.NumberInput(attrs={"size": 2}))
    name = forms.CharField(max_length=50)
    scheduled_time = forms.TimeField(widget=TIME)
    earliest_time = forms.TimeField(widget=TIME)
    latest_time = forms.TimeField(widget=TIME)
    notification_offset_minutes = forms.IntegerField(
        min_value=-120, max_value=0, initial=-15, help_text="Minutes before (−120 to 0)."
    )
    is_active = forms.BooleanField(required=False, initial=True)

    LABELS = {
        "meal_number": "Meal number",
        "name": "Meal",
        "scheduled_time": "Time",
        "earliest_time": "Earliest",
        "latest_time": "Latest",
        "notification_offset_minutes": "Remind, minutes before",
        "is_active": "Active",
        "DELETE": "Remove",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The inputs sit in a table whose header names the column: each also names itself (screen readers
        # announce "Time, meal 2", not an unlabelled edit field).
        row = (self.prefix or "").rsplit("-", 1)[-1]
        where = f", meal {int(row) + 1}" if row.isdigit() else ""
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-label", f"{self.LABELS.get(name, field.label or name)}{where}")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        earliest, scheduled, latest = (data.get(n) for n in ("earliest_time", "scheduled_time", "latest_time"))
        if earliest and scheduled and latest and not earliest < scheduled < latest:
            raise ValidationError("The time must lie inside its window (earliest < time < latest).")
        return data


SCHEDULE_FIELDS = MEAL_SCHEDULE_FIELDS  # the service's, under the name coaching's intake imports


class BaseMealScheduleFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            where = f", meal {index + 1}" if index is not None else ""
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Remove{where}"

    def add_non_form_errors(self, messages: list[str]) -> None:
        """After validation: the service's refusals (they name the meals), shown above the table."""
        self._non_form_errors = self.error_class(messages)


# (formset_factory is typed as returning the base class; it returns a subclass of `formset`.)
MealScheduleFormSet = cast(
    type[BaseMealScheduleFormSet],
    forms.formset_factory(MealScheduleRowForm, formset=BaseMealScheduleFormSet, extra=1, max_num=8, can_delete=True),
)


def _csv_help(suggestions: tuple[str, ...]) -> str:
    return "Comma-separated, e.g. " + ", ".join(suggestions) + "."


class DietaryPreferencesForm(forms.Form):
    diet_type = forms.ChoiceField(choices=DietType.choices)
    diet_type_other = forms.CharField(label="Other diet (name it)", max_length=100, required=False)
    allergies = forms.CharField(required=False, max_length=2000, help_text=_csv_help(SUGGESTED_ALLERGIES))
    intolerances = forms.CharField(required=False, max_length=2000, help_text=_csv_help(SUGGESTED_INTOLERANCES))
    religious_restrictions = forms.CharField(
        label="Religious or ethical restrictions",
        required=False,
        max_length=2000,
        help_text=_csv_help(SUGGESTED_RESTRICTIONS),
    )
    dislikes = forms.CharField(required=False, max_length=2000, help_text="Comma-separated, e.g. mushrooms, olives.")
    preferred_cuisines = forms.CharField(
        required=False, max_length=2000, help_text="Comma-separated, e.g. italian, indian, mexican."
    )
    cooking_skill = forms.ChoiceField(choices=[("", "—"), *SkillLevel.choices], required=False)
    meal_prep_willingness = forms.ChoiceField(choices=[("", "—"), *PrepWillingness.choices], required=False)
    max_prep_minutes = forms.IntegerField(
        label="Longest prep time (minutes)", min_value=5, max_value=600, required=False
    )
    budget_per_day = forms.DecimalField(
        label="Budget a day (USD)", min_value=0, max_digits=6, decimal_places=2, required=False
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    @classmethod
    def initial_from(cls, prefs) -> dict:
        if prefs is None:
            return {"diet_type": DietType.OMNIVORE}
        initial = {name: getattr(prefs, name) for name in PREFERENCE_FIELDS}
        for name in LIST_FIELDS:
            initial[name] = ", ".join(initial[name])
        return initial


class HydrationPreferencesForm(forms.Form):
    """The daily target is asked for in the person's unit (ml or fl oz); cleaned_data["daily_target_ml"] is
    millilitres. A target left as shown keeps the stored millilitres (68 fl oz is not exactly 2,000 ml)."""

    daily_target_ml = forms.IntegerField()  # built in __init__, in the person's unit
    reminder_enabled = forms.BooleanField(label="Remind me", required=False, initial=True)
    reminder_every_minutes = forms.IntegerField(label="Every (minutes)", min_value=15, max_value=480, initial=60)
    reminder_start = forms.TimeField(label="From", widget=TIME, initial="08:00")
    reminder_end = forms.TimeField(label="Until", widget=TIME, initial="22:00")
    tone = forms.ChoiceField(choices=ReminderTone.choices, initial=ReminderTone.GENTLE)
    remind_with_meals = forms.BooleanField(label="Also with each meal reminder", required=False, initial=True)

    def __init__(self, *args: Any, unit_system: units.UnitSystem = units.METRIC, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_system = unit_system
        self.stored_target_ml = self.initial.get("daily_target_ml")
        self.fields["daily_target_ml"] = forms.IntegerField(
            label=f"Daily target ({units.water_unit(unit_system)})",
            min_value=int(units.water_shown(DAILY_TARGET_MIN_ML, unit_system) or 0),
            max_value=int(units.water_shown(DAILY_TARGET_MAX_ML, unit_system) or 0),
            initial=units.water_shown(DEFAULT_WATER_TARGET_ML, unit_system),
        )
        if self.stored_target_ml is not None:
            self.initial = {**self.initial, "daily_target_ml": units.water_shown(self.stored_target_ml, unit_system)}

    def clean_daily_target_ml(self) -> int | None:
        shown = self.cleaned_data["daily_target_ml"]
        stored = self.stored_target_ml
        if stored is not None and shown == units.water_shown(stored, self.unit_system):
            return int(stored)
        return units.water_parse(shown, self.unit_system)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reminder_start") and data.get("reminder_end") and data["reminder_start"] >= data["reminder_end"]:
            self.add_error("reminder_end", "The reminders must end after they start (within one day).")
        return data
