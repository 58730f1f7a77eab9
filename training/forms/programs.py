"""Forms for the program pages: browse filters, the program's fields, a day and an exercise's targets.

They validate and convert at the edge (a target weight in kg or lb, a distance in km or mi, a rest as
"2:00", a time in minutes); the services hold the rules (training.services.programs)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from accounts.models import Goal as GoalCategory
from accounts.models import User
from fitjourney import units

from .. import presenters
from ..models import ActivityType, Difficulty, Program, ProgramExercise, ProgramSession, Visibility
from ..models.programs import MAX_PERCENT_1RM, MAX_PROGRAM_WEEKS, MAX_SESSIONS_PER_WEEK
from ..selectors.programs import LENGTHS

CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$|^\s*(\d+)\s*$")


def _list_text(values: list[str]) -> str:
    return ", ".join(values)


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


class ProgramBrowseForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    activity_type = forms.ModelChoiceField(queryset=ActivityType.objects.all(), required=False, to_field_name="pk")
    difficulty = forms.ChoiceField(choices=[("", "Any level"), *Difficulty.choices], required=False)
    length = forms.ChoiceField(
        choices=[("", "Any length"), *((k, label) for k, (label, _, _) in LENGTHS.items())], required=False
    )
    equipment = forms.CharField(required=False, max_length=40)
    tab = forms.ChoiceField(choices=[("browse", "Browse"), ("mine", "Mine")], required=False)

    def filters(self) -> dict[str, Any]:
        """What programs_browse takes; a bad value is dropped, never a 500."""
        if not self.is_valid():
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            data = self.cleaned_data
        activity_type = data.get("activity_type")
        return {
            "q": data.get("q") or "",
            "activity_type": activity_type.pk if activity_type else None,
            "difficulty": data.get("difficulty") or "",
            "length": data.get("length") or "",
            "equipment": data.get("equipment") or "",
            "mine": data.get("tab") == "mine",
        }


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    activity_types = forms.ModelMultipleChoiceField(
        queryset=ActivityType.objects.order_by("display_order", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    difficulty = forms.ChoiceField(choices=Difficulty.choices)
    duration_weeks = forms.IntegerField(label="Weeks", min_value=1, max_value=MAX_PROGRAM_WEEKS)
    sessions_per_week = forms.IntegerField(label="Sessions a week", min_value=1, max_value=MAX_SESSIONS_PER_WEEK)
    goals = forms.MultipleChoiceField(choices=GoalCategory.choices, required=False, widget=forms.CheckboxSelectMultiple)
    equipment = forms.CharField(required=False, max_length=500, help_text="Separate with commas: barbell, dumbbell")
    tags = forms.CharField(required=False, max_length=500, help_text="Separate with commas")
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PRIVATE)
    cover_image = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    def __init__(self, *args: Any, program: Program | None = None, **kwargs: Any) -> None:
        if program is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "name": program.name,
                    "description": program.description,
                    "activity_types": list(program.activity_types.all()),
                    "difficulty": program.difficulty,
                    "duration_weeks": program.duration_weeks,
                    "sessions_per_week": program.sessions_per_week,
                    "goals": program.goals,
                    "equipment": _list_text(program.equipment),
                    "tags": _list_text(program.tags),
                    "visibility": program.visibility,
                    "cover_image": program.cover_image,
                },
            )
        super().__init__(*args, **kwargs)
        if program is not None and program.is_official:
            del self.fields["visibility"]

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["equipment"] = _split(data["equipment"])
        data["tags"] = _split(data["tags"])
        data["activity_types"] = list(data["activity_types"])
        cover = data.pop("cover_image", None)
        if cover is False:
            data["cover_image"] = None  # "clear" ticked
        elif cover and hasattr(cover, "content_type"):
            data["cover_image"] = cover
        return data


def clock_seconds(text: str) -> int | None:
    """ "2:00" -> 120, "1:30:00" -> 5400, "90" -> 90."""
    if not text or not text.strip():
        return None
    match = CLOCK.match(text)
    if not match:
        raise forms.ValidationError("Write a time as m:ss, h:mm:ss or seconds.")
    hours, minutes, seconds, plain = match.groups()
    if plain is not None:
        return int(plain)
    if int(seconds) >= 60 or (hours and int(minutes) >= 60):
        raise forms.ValidationError("Write a time as m:ss, h:mm:ss or seconds.")
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


class ProgramDayForm(forms.Form):
    """A day of a week: its name, type and targets (a time in minutes, a distance in km or mi)."""

    week = forms.IntegerField(min_value=1, max_value=MAX_PROGRAM_WEEKS)
    day = forms.IntegerField(min_value=1, max_value=MAX_SESSIONS_PER_WEEK, required=False)
    name = forms.CharField(max_length=200, required=False)
    activity_type = forms.ModelChoiceField(queryset=ActivityType.objects.order_by("display_order", "name"))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    estimated_duration_minutes = forms.IntegerField(label="About (min)", min_value=1, max_value=24 * 60, required=False)
    target_minutes = forms.DecimalField(
        label="Target time (min)", min_value=Decimal("0.1"), max_value=24 * 60, decimal_places=1, required=False
    )
    target_distance = forms.DecimalField(min_value=Decimal("0.001"), max_digits=10, decimal_places=3, required=False)
    target_intensity = forms.CharField(
        max_length=200, required=False, help_text="e.g. easy pace, run 60 s / walk 90 s × 8"
    )

    SHOWN_AS = {"target_duration_seconds": "target_minutes", "target_distance_m": "target_distance"}

    def __init__(self, *args: Any, user: User, instance: ProgramSession | None = None, **kwargs: Any) -> None:
        self.user = user
        if instance is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "week": instance.week,
                    "day": instance.day,
                    "name": instance.name,
                    "activity_type": instance.activity_type_id,
                    "notes": instance.notes,
                    "estimated_duration_minutes": instance.estimated_duration_minutes,
                    "target_minutes": (
                        Decimal(instance.target_duration_seconds) / 60 if instance.target_duration_seconds else None
                    ),
                    "target_distance": presenters.distance_number(instance.target_distance_m, user),
                    "target_intensity": instance.target_intensity,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["target_distance"].label = f"Target distance ({units.distance_unit(user)})"

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        minutes = data.pop("target_minutes")
        distance = data.pop("target_distance")
        data["target_duration_seconds"] = int(minutes * 60) if minutes is not None else None
        data["target_distance_m"] = units.distance_parse(distance, self.user) if distance is not None else None
        if data.get("day") is None:
            data.pop("day", None)
        return data


class ProgramExerciseForm(forms.Form):
    """An exercise's targets; the weight in the person's unit, rest as "2:00"."""

    sets = forms.IntegerField(min_value=1, max_value=50, initial=3)
    reps_min = forms.IntegerField(label="Reps from", min_value=1, max_value=1000, required=False)
    reps_max = forms.IntegerField(label="Reps to", min_value=1, max_value=1000, required=False)
    weight = forms.DecimalField(min_value=0, max_digits=7, decimal_places=2, required=False)
    percent_1rm = forms.DecimalField(
        label="% of 1RM", min_value=1, max_value=MAX_PERCENT_1RM, max_digits=5, decimal_places=2, required=False
    )
    target_rpe = forms.DecimalField(
        label="RPE", min_value=1, max_value=10, max_digits=3, decimal_places=1, required=False
    )
    rest = forms.CharField(label="Rest (m:ss)", max_length=10, required=False)
    target_duration_seconds = forms.IntegerField(label="Time (s)", min_value=1, max_value=24 * 3600, required=False)
    distance = forms.DecimalField(min_value=Decimal("0.001"), max_digits=10, decimal_places=3, required=False)
    superset_group = forms.IntegerField(label="Superset", min_value=1, max_value=999, required=False)
    notes = forms.CharField(max_length=1000, required=False)

    SHOWN_AS = {"target_weight_kg": "weight", "rest_seconds": "rest", "target_distance_m": "distance"}

    def __init__(self, *args: Any, user: User, instance: ProgramExercise | None = None, **kwargs: Any) -> None:
        self.user = user
        if instance is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "sets": instance.sets,
                    "reps_min": instance.reps_min,
                    "reps_max": instance.reps_max,
                    "weight": presenters.weight_number(instance.target_weight_kg, user),
                    "percent_1rm": instance.percent_1rm,
                    "target_rpe": instance.target_rpe,
                    "rest": presenters.clock_text(instance.rest_seconds),
                    "target_duration_seconds": instance.target_duration_seconds,
                    "distance": presenters.distance_number(instance.target_distance_m, user),
                    "superset_group": instance.superset_group,
                    "notes": instance.notes,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["weight"].label = f"Weight ({units.weight_unit(user)})"
        self.fields["distance"].label = f"Distance ({units.distance_unit(user)})"

    def clean_rest(self) -> int | None:
        return clock_seconds(self.cleaned_data.get("rest", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("reps_min"), data.get("reps_max")
        if low and high and low > high:
            self.add_error("reps_min", "The lowest reps cannot be above the highest.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        weight = data.pop("weight")
        distance = data.pop("distance")
        data["rest_seconds"] = data.pop("rest")
        data["target_weight_kg"] = units.weight_parse(weight, self.user) if weight is not None else None
        data["target_distance_m"] = units.distance_parse(distance, self.user) if distance is not None else None
        return data


class WeekCopyForm(forms.Form):
    from_week = forms.IntegerField(label="Copy week", min_value=1, max_value=MAX_PROGRAM_WEEKS)
    to_week = forms.IntegerField(label="to week", min_value=1, max_value=MAX_PROGRAM_WEEKS)
