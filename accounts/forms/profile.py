"""Forms of the profile pages: validation and unit conversion at the edge, then the service decides.

Height is stored in metres; people see centimetres (metric) or feet and inches (imperial, their
`unit_system`). The service reports errors by model field; `add_service_errors` puts each one on the
form field the person would correct.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fitjourney.units import (
    cm_from_metres,
    feet_inches_from_metres,
    is_imperial,
    metres_from_cm,
    metres_from_feet_inches,
)

from ..avatars import ACCEPT, MAX_BYTES
from ..models import PRIMARY_GOALS, ActivityLevel, FitnessLevel, Gender, Goal, Level, Profile, SleepQuality
from ..services.profiles import PROFILE_FIELDS

MIN_CM, MAX_CM = Decimal(50), Decimal(275)
# The same range in inches (0.5 m to 2.75 m).
MIN_INCHES, MAX_INCHES = Decimal(20), Decimal("108.2")

BLANK_CHOICE: list[tuple[str, Any]] = [("", "—")]


def _choices(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return BLANK_CHOICE + [(value, label) for value, label in choices]


class ReasonField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class ProfileForm(forms.Form):
    birth_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label="Birth date"
    )
    gender = forms.ChoiceField(required=False, choices=_choices(Gender.choices))
    height_cm = forms.DecimalField(
        required=False, label="Height (cm)", min_value=MIN_CM, max_value=MAX_CM, max_digits=4, decimal_places=1
    )
    height_ft = forms.IntegerField(required=False, label="Height (feet)", min_value=1, max_value=9)
    height_in = forms.DecimalField(
        required=False,
        label="and inches",
        min_value=0,
        max_value=MAX_INCHES,
        max_digits=4,
        decimal_places=1,
        help_text="Or leave feet empty and give your height in inches.",
    )
    bio = forms.CharField(required=False, label="About you", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    location = forms.CharField(required=False, max_length=255)
    avatar = forms.FileField(
        required=False,
        label="New photo",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=f"JPEG, PNG or WebP, at most {MAX_BYTES // (1024 * 1024)} MB.",
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my photo")
    activity_level = forms.ChoiceField(required=False, choices=_choices(ActivityLevel.choices))
    fitness_level = forms.ChoiceField(required=False, choices=_choices(FitnessLevel.choices))
    primary_goal = forms.ChoiceField(
        required=False, choices=_choices((goal.value, goal.label) for goal in PRIMARY_GOALS)
    )
    secondary_goal = forms.ChoiceField(
        required=False,
        choices=_choices(Goal.choices),
        help_text="Optional. Fat loss and muscle gain cannot be paired.",
    )
    energy_level = forms.ChoiceField(required=False, choices=_choices(Level.choices), label="Energy")
    stress_level = forms.ChoiceField(required=False, choices=_choices(Level.choices), label="Stress")
    sleep_quality = forms.ChoiceField(required=False, choices=_choices(SleepQuality.choices))
    reason = ReasonField(required=False, label="Reason for the change (optional)")

    # The service's fields that map one to one onto a field here (height and photo have their own; the
    # preferences are not edited on this page).
    PLAIN_FIELDS = tuple(name for name in PROFILE_FIELDS if name not in ("height_m", "avatar", "preferences"))

    def __init__(self, *args: Any, profile: Profile, unit_system: str, **kwargs: Any) -> None:
        self.profile = profile
        self.imperial = is_imperial(unit_system)
        initial = {name: getattr(profile, name) for name in self.PLAIN_FIELDS}
        self.height_initial = self._height_as_shown(profile.height_m)
        initial.update(self.height_initial)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for name in ("height_cm",) if self.imperial else ("height_ft", "height_in"):
            del self.fields[name]
        if profile.is_locked:
            self.fields["reason"].required = True
            self.fields["reason"].label = "Reason for the change"
            self.fields["reason"].help_text = "Your profile is locked: every change needs a reason."
            self.fields["reason"].error_messages["required"] = (
                "Your profile is locked: give a reason for this change, or unlock it first."
            )

    def _height_as_shown(self, metres: Decimal | None) -> dict[str, Any]:
        if metres is None:
            return {"height_ft": None, "height_in": None} if self.imperial else {"height_cm": None}
        if self.imperial:
            feet, inches = feet_inches_from_metres(metres)
            return {"height_ft": feet, "height_in": inches}
        return {"height_cm": cm_from_metres(metres)}

    def _clean_height(self, cleaned: dict[str, Any]) -> Decimal | None:
        shown = {name: cleaned.get(name) for name in self.height_initial}
        if shown == self.height_initial:
            # Untouched: keep the stored millimetres (inches to one decimal do not round-trip exactly).
            return self.profile.height_m
        if not self.imperial:
            cm = cleaned.get("height_cm")
            return None if cm is None else metres_from_cm(cm)
        feet, inches = cleaned.get("height_ft"), cleaned.get("height_in")
        if feet is None and inches is None:
            return None
        if feet is not None and inches is not None and inches >= 12:
            raise ValidationError({"height_in": "With feet given, inches must be below 12."})
        # Feet alone, inches alone, or both; the range is checked in inches, as the person typed it.
        total = Decimal(feet or 0) * 12 + (inches or 0)
        if not MIN_INCHES <= total <= MAX_INCHES:
            raise ValidationError(
                {"height_ft" if feet is not None else "height_in": "Enter a height from 1 ft 8 in to 9 ft."}
            )
        return metres_from_feet_inches(feet or 0, inches or Decimal(0))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if any(name in self.errors for name in ("height_cm", "height_ft", "height_in")):
            return cleaned
        try:
            cleaned["height_m"] = self._clean_height(cleaned)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name, messages)
        if cleaned.get("avatar") and cleaned.get("remove_avatar"):
            self.add_error("remove_avatar", "Either upload a new photo or remove the current one, not both.")
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The values to hand to services.profiles.profile_update (it works out what actually changed)."""
        data = self.cleaned_data
        changes = {name: data[name] for name in self.PLAIN_FIELDS}
        changes["height_m"] = data["height_m"]
        if data.get("avatar"):
            changes["avatar"] = data["avatar"]
        elif data.get("remove_avatar"):
            changes["avatar"] = ""
        return changes

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        height_field = ("height_ft" if "height_ft" in self.fields else "height_in") if self.imperial else "height_cm"
        for name, messages in exc.message_dict.items():
            target = height_field if name == "height_m" else name
            self.add_error(target if target in self.fields else None, messages)


class ReasonForm(forms.Form):
    """Locking takes an optional reason; unlocking requires one."""

    reason = ReasonField(required=False, label="Reason")

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = "Give a reason: your profile is locked."


class AsOfForm(forms.Form):
    date = forms.DateField(
        label="Show my profile as it was on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
