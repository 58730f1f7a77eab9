"""Forms of the exercise library: the search filters and adding one's own exercise (validation only)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from ..models import ActivityType, Level, Visibility

# The muscle names free-exercise-db uses, so people's exercises filter alongside the library's.
MUSCLES = (
    "abdominals",
    "abductors",
    "adductors",
    "biceps",
    "calves",
    "chest",
    "forearms",
    "glutes",
    "hamstrings",
    "lats",
    "lower back",
    "middle back",
    "neck",
    "quadriceps",
    "shoulders",
    "traps",
    "triceps",
)
CATEGORIES = (
    "strength", "stretching", "cardio", "plyometrics", "hiit", "yoga", "powerlifting", "olympic weightlifting",
    "strongman",
)  # fmt: skip


class LibrarySearchForm(forms.Form):
    """The query string of the library page and its fragment; unknown values are dropped, not errors."""

    q = forms.CharField(required=False, max_length=100)
    muscle = forms.CharField(required=False, max_length=40)
    equipment = forms.CharField(required=False, max_length=40)
    category = forms.CharField(required=False, max_length=40)
    level = forms.ChoiceField(required=False, choices=[("", "Any level"), *Level.choices])
    activity_type = forms.UUIDField(required=False)

    def filters(self) -> dict:
        self.is_valid()  # invalid fields are simply left out of cleaned_data
        cleaned = self.cleaned_data
        return {
            "q": cleaned.get("q") or "",
            "muscle": cleaned.get("muscle") or None,
            "equipment": cleaned.get("equipment") or None,
            "category": cleaned.get("category") or None,
            "level": cleaned.get("level") or None,
            "activity_type": cleaned.get("activity_type") or None,
        }


class ExerciseCreateForm(forms.Form):
    name = forms.CharField(max_length=120)
    activity_type = forms.ModelChoiceField(
        queryset=ActivityType.objects.order_by("display_order", "name"), empty_label="Choose an activity"
    )
    category = forms.ChoiceField(required=False, choices=[("", "—"), *((c, c.capitalize()) for c in CATEGORIES)])
    equipment = forms.CharField(required=False, max_length=40, help_text="e.g. barbell, dumbbell, body only")
    level = forms.ChoiceField(required=False, choices=[("", "—"), *Level.choices])
    primary_muscles = forms.MultipleChoiceField(
        required=False, choices=[(m, m.capitalize()) for m in MUSCLES], widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    instructions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, help_text="One step per line."
    )
    met = forms.DecimalField(
        label="MET",
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("24.99"),
        max_digits=4,
        decimal_places=2,
        help_text="Energy cost relative to rest, used to estimate calories (optional).",
    )
    tracks_sets = forms.BooleanField(required=False, initial=True, label="Sets")
    tracks_reps = forms.BooleanField(required=False, initial=True, label="Reps")
    tracks_weight = forms.BooleanField(required=False, initial=True, label="Weight")
    tracks_duration = forms.BooleanField(required=False, label="Duration")
    tracks_distance = forms.BooleanField(required=False, label="Distance")
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text="Shared exercises are marked unverified until gym staff check them.",
    )

    def clean_instructions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["instructions"].splitlines() if line.strip()]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
