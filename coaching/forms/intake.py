"""Forms of the intake's steps: they check the shape of what was typed and convert the person's units to SI;
the rules are coaching.services.intake's (the same for the pages and the API).

Each step form is filled from that step's saved answers, gives `service_data()` (the service's field
names and units) and puts a service's refusal on the fields the person would correct
(`add_service_errors`). Steps with repeatable rows (injuries, meals) carry a `formset`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import (
    PRIMARY_GOALS,
    ActivityLevel,
    BodyArea,
    Equipment,
    FitnessLevel,
    Gender,
    Level,
    Severity,
    SleepQuality,
    UnitSystem,
    User,
    WorkoutLocation,
)
from accounts.models import Goal as GoalCategory
from fitjourney import units
from fitjourney.timezones import timezone_choices
from fitjourney.units import cm_from_metres, feet_inches_from_metres, metres_from_cm, metres_from_inches
from nutrition.forms import (
    SCHEDULE_FIELDS,
    DietaryPreferencesForm,
    HydrationPreferencesForm,
    MealScheduleRowForm,
)
from nutrition.selectors.diary import DEFAULT_WATER_TARGET_ML as DEFAULT_WATER_ML
from nutrition.services.plans import meal_schedule_suggestion
from training.models import RestDayPreference
from training.services.schedule import WEEKDAY_NAMES

from ..models import Step
from ..services.intake import STEP_FIELDS, step_key
from .base import DATE, TIME

REMINDER_CHOICES = [
    (0, "At the time"),
    (-10, "10 minutes before"),
    (-15, "15 minutes before"),
    (-30, "30 minutes before"),
    (-60, "1 hour before"),
    (-120, "2 hours before"),
]
ROW = re.compile(r"^(?P<list>\w+)\[(?P<index>\d+)\]\.(?P<field>\w+)$")


class StepForm(forms.Form):
    """What every step form shares: built from the saved answers, `service_data()`, `add_service_errors()`."""

    step: Step
    # Service field → form field, where they differ (units shown to the person, for example).
    field_map: dict[str, str] = {}
    formset: forms.BaseFormSet[forms.Form] | None = None

    def __init__(self, data: Any = None, *, user: User, answers: dict[str, Any], **kwargs: Any) -> None:
        self.user = user
        self.answers = answers
        self.saved = answers.get(step_key(self.step)) or {}
        self.imperial = units.is_imperial(user)
        kwargs.setdefault("initial", self.initial_values())
        super().__init__(data, **kwargs)

    def initial_values(self) -> dict[str, Any]:
        return dict(self.saved)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.formset is not None:
            valid = self.formset.is_valid() and valid
        return valid

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STEP_FIELDS[self.step] if name in self.cleaned_data}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            target = self.field_map.get(name, name)
            if target in self.fields:
                self.add_error(target, messages)
            elif not self.add_row_errors(name, messages):
                self.add_error(None, messages)

    def add_row_errors(self, name: str, messages: list[str]) -> bool:
        """Puts "rows[2].field" errors on that row of the formset; False when `name` is not one."""
        return False

    @property
    def has_errors(self) -> bool:
        if not self.is_bound:
            return False
        formset_errors = self.formset is not None and (any(self.formset.errors) or bool(self.formset.non_form_errors()))
        return bool(self.errors) or formset_errors


class WelcomeForm(StepForm):
    step = Step.WELCOME
    unit_system = forms.ChoiceField(label="Units", choices=UnitSystem.choices, widget=forms.RadioSelect)
    timezone = forms.ChoiceField(label="Time zone", help_text="Your days, reminders and streaks follow it.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timezone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = timezone_choices(current=self.user.timezone)
        if "timezone" not in self.saved:
            # Not chosen yet: the page pre-selects the browser's zone (static/js/app.js).
            field.widget.attrs["data-detect-timezone"] = ""

    def initial_values(self) -> dict[str, Any]:
        return {"unit_system": self.user.unit_system, "timezone": self.user.timezone, **self.saved}


class FitnessForm(StepForm):
    step = Step.FITNESS_LEVEL
    fitness_level = forms.ChoiceField(
        label="Your fitness level", choices=FitnessLevel.choices, widget=forms.RadioSelect
    )
    activity_level = forms.ChoiceField(
        label="How active are you on a usual week?", choices=ActivityLevel.choices, widget=forms.RadioSelect
    )


class GoalsForm(StepForm):
    step = Step.GOALS
    field_map = {"target_weight_kg": "target_weight"}
    primary_goal = forms.ChoiceField(
        label="Your main goal", choices=[(goal.value, goal.label) for goal in PRIMARY_GOALS], widget=forms.RadioSelect
    )
    secondary_goal = forms.ChoiceField(
        label="A second goal (optional)",
        choices=[("", "None"), *GoalCategory.choices],
        required=False,
        help_text="Fat loss and muscle gain cannot be paired.",
    )
    target_weight = forms.DecimalField(label="Target weight", required=False, max_digits=6, decimal_places=1)
    target_body_fat_pct = forms.DecimalField(
        label="Target body fat (%)", required=False, max_digits=4, decimal_places=1, help_text="3 to 50 %."
    )
    target_timeline_weeks = forms.IntegerField(
        label="In how many weeks?", required=False, help_text="1 to 260 weeks (five years)."
    )
    explanation = forms.CharField(
        label="Why this goal? (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_weight"].label = f"Target weight ({units.weight_unit(self.user)}, optional)"

    def initial_values(self) -> dict[str, Any]:
        return {**self.saved, "target_weight": units.weight_shown(self.saved.get("target_weight_kg"), self.user)}

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["target_weight_kg"] = units.weight_parse(data.pop("target_weight"), self.user)
        return data


class BodyForm(StepForm):
    step = Step.BODY
    birth_date = forms.DateField(label="Birth date", widget=DATE)
    gender = forms.ChoiceField(
        label="Sex",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        help_text="The energy equation differs for women and men; for the other answers we use the average of both.",
    )
    height_cm = forms.DecimalField(label="Height (cm)", max_digits=4, decimal_places=1)
    height_ft = forms.IntegerField(label="Height (feet)")
    height_in = forms.DecimalField(label="and inches", required=False, max_digits=3, decimal_places=1)
    weight = forms.DecimalField(label="Weight", max_digits=6, decimal_places=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("height_ft", "height_in") if not self.imperial else ("height_cm",):
            del self.fields[name]
        self.fields["weight"].label = f"Weight ({units.weight_unit(self.user)})"
        self.field_map = {"height_m": "height_ft" if self.imperial else "height_cm", "weight_kg": "weight"}

    def _height_shown(self, metres: Decimal | str | None) -> dict[str, Any]:
        if metres in (None, ""):
            return {}
        if self.imperial:
            feet, inches = feet_inches_from_metres(Decimal(metres))
            return {"height_ft": feet, "height_in": inches}
        return {"height_cm": cm_from_metres(Decimal(metres))}

    def initial_values(self) -> dict[str, Any]:
        return {
            "birth_date": self.saved.get("birth_date"),
            "gender": self.saved.get("gender"),
            "weight": units.weight_shown(self.saved.get("weight_kg"), self.user),
            **self._height_shown(self.saved.get("height_m")),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.imperial and data.get("height_in") is not None and data["height_in"] >= 12:
            self.add_error("height_in", "With feet given, inches must be below 12.")
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        initial = self._height_shown(self.saved.get("height_m"))
        if initial and all(data.get(name) == value for name, value in initial.items()):
            # Untouched: keep the saved millimetres (inches to one decimal do not round-trip exactly).
            height = Decimal(self.saved["height_m"])
        elif self.imperial:
            height = metres_from_inches(Decimal(data["height_ft"]) * 12 + (data.get("height_in") or 0))
        else:
            height = metres_from_cm(data["height_cm"])
        return {
            "birth_date": data["birth_date"],
            "gender": data["gender"],
            "height_m": height,
            "weight_kg": units.weight_parse(data["weight"], self.user),
        }


class InjuryForm(forms.Form):
    area = forms.ChoiceField(label="Where", choices=[("", "—"), *BodyArea.choices], required=False)
    severity = forms.ChoiceField(label="How severe", choices=[("", "—"), *Severity.choices], required=False)
    description = forms.CharField(label="Details (optional)", max_length=2000, required=False)


class NumberedRows(forms.BaseFormSet):
    """New rows come numbered after the others (a meal's number), so a new meal needs no typing there."""

    def set_non_form_errors(self, messages: list[str]) -> None:
        """A service's refusal about the rows as a whole, shown above them (after validation)."""
        self._non_form_errors = self.error_class(messages, error_class="nonform")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and "meal_number" in self.form.base_fields and index >= self.initial_form_count():
            kwargs["initial"] = {"meal_number": index + 1}
        return kwargs


def _row_formset(form_class: type[forms.Form], *, extra: int, max_num: int) -> type[forms.BaseFormSet[forms.Form]]:
    return forms.formset_factory(form_class, formset=NumberedRows, extra=extra, max_num=max_num, can_delete=True)


def typed_values(form: forms.Form) -> dict[str, Any]:
    """What the person typed into a posted form, to show it again unchanged."""
    return {name: form[name].value() for name in form.fields}


def rows_with_one_more(formset: forms.BaseFormSet[forms.Form]) -> tuple[list[dict[str, Any]], int]:
    """The rows of a posted formset as typed, without the removed ones, and how many blank rows to show
    after them: the blank ones there were, plus one."""
    rows, blanks = [], 1
    for form in formset.forms:
        values = {name: form[name].value() for name in form.fields if name != "DELETE"}
        if "DELETE" in form.fields and form["DELETE"].value():
            continue
        if form.has_changed() or formset.initial_form_count() > formset.forms.index(form):
            rows.append(values)
        else:
            blanks += 1
    return rows, blanks


class RowsMixin:
    """Steps with repeatable rows: `rows_name` is the service's list ("injuries"), shown as a formset."""

    rows_name = ""
    rows_max = 10
    row_form: type[forms.Form]
    formset: forms.BaseFormSet[forms.Form] | None

    def build_formset(self, data: Any, rows: list[dict[str, Any]], *, extra: int = 1) -> None:
        formset_class = _row_formset(self.row_form, extra=extra, max_num=self.rows_max)
        self.rows_formset = formset_class(data, initial=None if data is not None else rows, prefix=self.rows_name)
        self.formset = self.rows_formset
        self.row_forms: list[forms.Form] = []

    def filled_rows(self) -> list[forms.Form]:
        """The posted rows to save: not removed, and not a blank extra row."""
        rows = []
        for form in self.rows_formset.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            rows.append(form)
        self.row_forms = rows
        return rows

    def add_row_errors(self, name: str, messages: list[str]) -> bool:
        match = ROW.match(name)
        if not match or match["list"] != self.rows_name:
            return False
        index = int(match["index"])
        if index >= len(self.row_forms):
            return False
        form = self.row_forms[index]
        field = match["field"]
        form.add_error(field if field in form.fields else None, messages)
        return True


class ConstraintsForm(RowsMixin, StepForm):
    step = Step.CONSTRAINTS
    rows_name = "injuries"
    row_form = InjuryForm
    workout_location = forms.ChoiceField(
        label="Where do you train?", choices=WorkoutLocation.choices, widget=forms.RadioSelect
    )
    equipment = forms.MultipleChoiceField(
        label="Equipment you have",
        choices=Equipment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if you train with your body weight only.",
    )
    max_workout_minutes = forms.IntegerField(
        label="Longest workout you have time for (minutes)", help_text="15 to 180 minutes.", initial=60
    )
    limitations = forms.CharField(
        label="Other limitations (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example “no jumping” or “short of breath on stairs”.",
    )

    def __init__(
        self, data: Any = None, *, extra_rows: int = 1, rows: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.build_formset(data, rows if rows is not None else self.saved.get("injuries") or [], extra=extra_rows)

    def initial_values(self) -> dict[str, Any]:
        return {"max_workout_minutes": 60, **{k: v for k, v in self.saved.items() if k != "injuries"}}

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in STEP_FIELDS[self.step] if name != "injuries"}
        data["injuries"] = [
            {name: form.cleaned_data[name] for name in ("area", "severity", "description")}
            for form in self.filled_rows()
        ]
        return data


class DietForm(StepForm, DietaryPreferencesForm):
    step = Step.DIET

    def initial_values(self) -> dict[str, Any]:
        initial = {"diet_type": "omnivore", **self.saved}
        for name in ("allergies", "intolerances", "religious_restrictions", "dislikes", "preferred_cuisines"):
            if isinstance(initial.get(name), list):
                initial[name] = ", ".join(initial[name])
        return initial


class MealPlanForm(StepForm):
    step = Step.MEAL_PLAN
    meals_per_day = forms.IntegerField(label="Meals a day", help_text="2 to 8.")
    energy_target_kcal = forms.IntegerField(label="Daily energy target (kcal)", help_text="1,000 to 5,000 kcal.")
    energy_min_kcal = forms.IntegerField(label="Lowest on-track day (kcal)")
    energy_max_kcal = forms.IntegerField(label="Highest on-track day (kcal)")
    protein_g = forms.DecimalField(label="Protein (g)", max_digits=6, decimal_places=2)
    carbohydrate_g = forms.DecimalField(label="Carbohydrate (g)", max_digits=6, decimal_places=2)
    fat_g = forms.DecimalField(label="Fat (g)", max_digits=6, decimal_places=2)
    fiber_g = forms.DecimalField(label="Fiber (g, optional)", max_digits=6, decimal_places=2, required=False)

    def __init__(self, data: Any = None, *, defaults: dict[str, Any], **kwargs: Any) -> None:
        self.defaults = defaults
        super().__init__(data, **kwargs)

    def initial_values(self) -> dict[str, Any]:
        return dict(self.defaults)


class MealRowForm(MealScheduleRowForm):
    """Nutrition's schedule row, with labels a screen reader can announce in a table."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "meal_number": "Number",
            "name": "Meal",
            "scheduled_time": "Time",
            "earliest_time": "Earliest",
            "latest_time": "Latest",
            "notification_offset_minutes": "Reminder (minutes, −120 to 0)",
            "is_active": "Active",
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields["notification_offset_minutes"].help_text = ""


class MealScheduleForm(RowsMixin, StepForm):
    step = Step.MEAL_SCHEDULE
    rows_name = "meals"
    rows_max = 8
    row_form = MealRowForm

    def __init__(
        self,
        data: Any = None,
        *,
        meals_per_day: int = 3,
        extra_rows: int = 1,
        rows: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        if rows is None:
            rows = self.saved.get("meals") or meal_schedule_suggestion(meals_per_day=meals_per_day)
        self.build_formset(data, rows, extra=extra_rows)

    def service_data(self) -> dict[str, Any]:
        return {"meals": [{name: form.cleaned_data[name] for name in SCHEDULE_FIELDS} for form in self.filled_rows()]}

    def add_service_errors(self, error: ValidationError) -> None:
        """Nutrition's schedule messages name the meals, so they go above the table."""
        errors = error.message_dict if hasattr(error, "error_dict") else {"meals": error.messages}
        messages = [message for name, found in errors.items() for message in found if not ROW.match(name)]
        if isinstance(self.rows_formset, NumberedRows):
            self.rows_formset.set_non_form_errors(messages)
        for name, found in errors.items():
            if ROW.match(name):
                self.add_row_errors(name, found)


class WorkoutScheduleForm(StepForm):
    step = Step.WORKOUT_SCHEDULE
    days = forms.MultipleChoiceField(
        label="Workout days",
        choices=[(name, name.title()) for name in WEEKDAY_NAMES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="At least one.",
    )
    preferred_time = forms.TimeField(label="Preferred time", widget=TIME, required=False)
    preferred_duration_minutes = forms.IntegerField(
        label="Workout length (minutes)", required=False, help_text="15 to 180 minutes.", initial=60
    )
    reminder_enabled = forms.BooleanField(label="Remind me before each workout", required=False, initial=True)
    reminder_offset_minutes = forms.TypedChoiceField(
        label="When to remind me", choices=REMINDER_CHOICES, coerce=int, initial=-30
    )
    rest_day_preference = forms.ChoiceField(
        label="Rest days",
        choices=[("", "No preference"), *RestDayPreference.choices],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offset = self.saved.get("reminder_offset_minutes")
        if offset is not None and offset not in dict(REMINDER_CHOICES):
            # An offset set through the API: keep it choosable.
            field = self.fields["reminder_offset_minutes"]
            if isinstance(field, forms.ChoiceField):
                field.choices = [*REMINDER_CHOICES, (offset, f"{-offset} minutes before")]

    def initial_values(self) -> dict[str, Any]:
        return {
            "reminder_enabled": True,
            "reminder_offset_minutes": -30,
            "preferred_duration_minutes": self.answers.get(step_key(Step.CONSTRAINTS), {}).get("max_workout_minutes")
            or 60,
            **self.saved,
        }


class HydrationForm(StepForm, HydrationPreferencesForm):
    """Nutrition's water preferences; an imperial person gives the daily target in fluid ounces."""

    step = Step.HYDRATION

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.imperial:
            target = forms.IntegerField(label=f"Daily target ({units.water_unit(self.user)})", min_value=1)
            self.fields = {"daily_target": target, **{k: v for k, v in self.fields.items() if k != "daily_target_ml"}}
            self.field_map = {"daily_target_ml": "daily_target"}

    def initial_values(self) -> dict[str, Any]:
        initial = dict(self.saved)
        if self.imperial:
            initial["daily_target"] = units.water_shown(
                self.saved.get("daily_target_ml") or DEFAULT_WATER_ML, self.user
            )
        return initial

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if self.imperial:
            shown = self.cleaned_data["daily_target"]
            saved = self.saved.get("daily_target_ml")
            # Untouched: keep the saved millilitres (whole fluid ounces do not round-trip exactly).
            unchanged = saved is not None and shown == units.water_shown(saved, self.user)
            data["daily_target_ml"] = saved if unchanged else units.water_parse(shown, self.user)
        return data


class LifestyleForm(StepForm):
    step = Step.LIFESTYLE
    energy_level = forms.ChoiceField(label="Your energy lately", choices=Level.choices, widget=forms.RadioSelect)
    stress_level = forms.ChoiceField(label="Your stress lately", choices=Level.choices, widget=forms.RadioSelect)
    sleep_quality = forms.ChoiceField(
        label="How well you sleep", choices=SleepQuality.choices, widget=forms.RadioSelect
    )
    sleep_hours = forms.DecimalField(
        label="Hours of sleep last night (optional)", required=False, max_digits=3, decimal_places=1
    )
    notes = forms.CharField(
        label="Anything else? (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


FORMS: dict[int, type[StepForm]] = {
    Step.WELCOME: WelcomeForm,
    Step.FITNESS_LEVEL: FitnessForm,
    Step.GOALS: GoalsForm,
    Step.BODY: BodyForm,
    Step.CONSTRAINTS: ConstraintsForm,
    Step.DIET: DietForm,
    Step.MEAL_PLAN: MealPlanForm,
    Step.MEAL_SCHEDULE: MealScheduleForm,
    Step.WORKOUT_SCHEDULE: WorkoutScheduleForm,
    Step.HYDRATION: HydrationForm,
    Step.LIFESTYLE: LifestyleForm,
}

__all__ = ["FORMS", "StepForm", "rows_with_one_more", "typed_values"]
