"""Forms of goals: validation only; the service decides (coaching.services.goals)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms

from accounts.models import User
from training.models import ActivityType, PersonalRecord, RecordType
from training.selectors.library import exercises_search

from ..goal_display import target_parse
from ..models import METRICS, Direction, GoalMetric
from ..selectors.habits import habits_for_user
from .base import DATE


class GoalForm(forms.Form):
    metric = forms.ChoiceField(choices=GoalMetric.choices, label="What to measure")
    exercise = forms.CharField(
        required=False,
        max_length=200,
        help_text="For a lift: type the exercise's name (typos are fine: “benchpres”); your lifts are suggested.",
        widget=forms.TextInput(attrs={"list": "goal-exercises", "autocomplete": "off"}),
    )
    habit = forms.ChoiceField(required=False)
    activity_type = forms.ChoiceField(required=False, label="Activity (optional)")
    target_value = forms.DecimalField(required=False, max_digits=12, decimal_places=3, label="Target")
    change = forms.DecimalField(
        required=False, max_digits=12, decimal_places=3, help_text="Or a change from now, e.g. -5 to lose 5."
    )
    direction = forms.ChoiceField(required=False, choices=[("", "From my current value"), *Direction.choices])
    target_date = forms.DateField(required=False, widget=DATE)
    title = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        habits = habits_for_user(user=user)
        habit_field = self.fields["habit"]
        assert isinstance(habit_field, forms.ChoiceField)
        habit_field.choices = [("", "—"), *((str(h.pk), h.name) for h in habits)]
        types = ActivityType.all_types.visible_to(user).order_by("name").values_list("pk", "name")
        type_field = self.fields["activity_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", "Any"), *((str(pk), name) for pk, name in types)]
        today = user.local_today()
        self.fields["target_date"].widget.attrs.update(
            {"min": (today + dt.timedelta(days=1)).isoformat(), "max": (today + dt.timedelta(days=5 * 365)).isoformat()}
        )

    def clean_exercise(self) -> uuid.UUID | None:
        """A name (the library's typo-tolerant search, best match first) or an exercise's id."""
        text = (self.cleaned_data.get("exercise") or "").strip()
        if not text:
            return None
        try:
            return uuid.UUID(text)
        except ValueError:
            pass
        # The person's own lifts first ("bench press" is the bench press they log), then the library.
        matches = exercises_search(user=self.user, q=text, limit=None)
        lifted = PersonalRecord.objects.filter(user=self.user, record_type=RecordType.ONE_RM).values("exercise_id")
        match = matches.filter(pk__in=lifted).values_list("pk", flat=True).first()
        if match is None:
            match = matches.values_list("pk", flat=True).first()
        if match is None:
            raise forms.ValidationError(f"No exercise matches “{text}”. Try another name.")
        return match

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        unit = METRICS[data["metric"]].unit
        data["target_value"] = target_parse(data.get("target_value"), unit, self.user)
        data["change"] = target_parse(data.get("change"), unit, self.user)
        return {name: value for name, value in data.items() if value not in (None, "")}


class GoalEditForm(forms.Form):
    title = forms.CharField(required=False, max_length=200)
    target_value = forms.DecimalField(max_digits=12, decimal_places=3, label="Target")
    target_date = forms.DateField(required=False, widget=DATE)
    priority = forms.IntegerField(min_value=1, max_value=99)
    explanation = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


__all__ = ["GoalEditForm", "GoalForm"]
