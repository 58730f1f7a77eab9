"""Forms for the session pages: they validate and convert units at the edge (the person enters kg or
lb, km or mi; we store kg and metres, through fitjourney.units), then the view calls a service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import User
from fitjourney import units
from fitjourney.dates import entry_bounds

from .. import presenters
from ..models import InputType, MetricTemplate, Mood, Session, Set
from ..models.sessions import MAX_WEIGHT_KG
from ..services.sessions import ENTERED_MOMENTS, SESSION_FIELDS, SET_FIELDS


def _one_to_ten(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=10)


def _heart_rate(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=20, max_value=250, help_text="Beats per minute")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionFieldsForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
    started_at = forms.DateTimeField(label="Started", widget=LocalDateTimeInput())
    ended_at = forms.DateTimeField(label="Ended", required=False, widget=LocalDateTimeInput())
    location = forms.CharField(max_length=100, required=False)
    weather = forms.CharField(max_length=100, required=False)
    mood_before = forms.ChoiceField(label="Mood before", choices=[("", "—"), *Mood.choices], required=False)
    mood_after = forms.ChoiceField(label="Mood after", choices=[("", "—"), *Mood.choices], required=False)
    energy_level = _one_to_ten("Energy (1–10)")
    rating = _one_to_ten("Rating (1–10)")
    perceived_exertion = _one_to_ten("Perceived exertion (1–10)")
    avg_heart_rate = _heart_rate("Average heart rate")
    max_heart_rate = _heart_rate("Maximum heart rate")
    injuries = forms.CharField(label="Injuries or discomfort", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: User, session: Session | None = None, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault("auto_id", "id_session_%s")  # unlike the set forms' and metrics' fields on the page
        if session is not None and "initial" not in kwargs and not args:
            zone = user.zone
            initial: dict[str, Any] = {f: getattr(session, f) for f in SESSION_FIELDS if f not in ENTERED_MOMENTS}
            initial["started_at"] = timezone.localtime(session.started_at, zone)
            initial["ended_at"] = timezone.localtime(session.ended_at, zone) if session.ended_at else None
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        # Times are entered in the person's own time zone; the browser offers only what the service
        # accepts (fitjourney.dates: from 1900 to tomorrow), the service still says no to the rest.
        earliest, latest = entry_bounds(user.zone)
        for name in ("started_at", "ended_at"):
            self.fields[name].widget.attrs.update(
                {"data-zone": user.timezone, "min": f"{earliest}T00:00", "max": f"{latest}T23:59"}
            )

    def _aware(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if timezone.is_naive(value):
            return timezone.make_aware(value, self.user.zone)
        return value.astimezone(self.user.zone)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "started_at" in data:
            data["started_at"] = self._aware(data["started_at"])
        if "ended_at" in data:
            data["ended_at"] = self._aware(data.get("ended_at"))
        avg, top = data.get("avg_heart_rate"), data.get("max_heart_rate")
        if avg and top and avg > top:
            self.add_error("avg_heart_rate", "The average heart rate cannot be above the maximum.")
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end < start:
            self.add_error("ended_at", "A session cannot end before it starts.")
        return data


class SetForm(forms.Form):
    """One set; weight in the person's unit (kg or lb), distance in km or mi."""

    reps = forms.IntegerField(required=False, min_value=1, max_value=10000)
    weight = forms.DecimalField(required=False, min_value=0, max_digits=7, decimal_places=2)
    duration_seconds = forms.IntegerField(label="Time (s)", required=False, min_value=0, max_value=7 * 24 * 3600)
    distance = forms.DecimalField(required=False, min_value=0, max_digits=10, decimal_places=3)
    rest_seconds = forms.IntegerField(label="Rest (s)", required=False, min_value=0, max_value=24 * 3600)
    rpe = forms.IntegerField(label="RPE", required=False, min_value=1, max_value=10)
    tempo = forms.RegexField(
        regex=r"^[0-9X]-[0-9X]-[0-9X]-[0-9X]$",
        required=False,
        max_length=7,
        error_messages={"invalid": "Write tempo as four digits, e.g. 3-1-1-0."},
    )
    is_warmup = forms.BooleanField(label="Warm-up", required=False)
    is_failure = forms.BooleanField(label="To failure", required=False)
    is_drop_set = forms.BooleanField(label="Drop set", required=False)
    is_completed = forms.BooleanField(label="Done", required=False, initial=True)
    notes = forms.CharField(required=False, max_length=1000)

    # The service's fields (training.services.sessions.SET_FIELDS) under the names the person types them in:
    # a weight in kg or lb, a distance in km or mi.
    SHOWN_AS = {"weight_kg": "weight", "distance_m": "distance"}

    def __init__(self, *args: Any, user: User, instance: Set | None = None, **kwargs: Any) -> None:
        self.user = user
        if instance is not None and not args and "initial" not in kwargs:
            initial = {self.SHOWN_AS.get(f, f): getattr(instance, f) for f in SET_FIELDS}
            initial["weight"] = presenters.weight_number(instance.weight_kg, user)
            initial["distance"] = presenters.distance_number(instance.distance_m, user)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["weight"].label = f"Weight ({units.weight_unit(user)})"
        self.fields["distance"].label = f"Distance ({units.distance_unit(user)})"
        for name in ("reps", "weight", "rpe", "distance", "duration_seconds", "rest_seconds"):
            self.fields[name].widget.attrs["inputmode"] = "decimal" if name in ("weight", "distance") else "numeric"

    @classmethod
    def after(cls, last: Set | None, *, user: User, auto_id: str) -> SetForm:
        """The add-set form under an exercise: the next set starts as a copy of the last one (most sets
        repeat the one before), done, not to failure, without its notes."""
        if last is None:
            return cls(user=user, initial={"is_completed": True}, auto_id=auto_id)
        initial = cls(user=user, instance=last).initial
        initial.update({"is_completed": True, "is_failure": False, "notes": ""})
        return cls(user=user, initial=initial, auto_id=auto_id)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        weight_kg = units.weight_parse(data.get("weight"), self.user)
        if weight_kg is not None and weight_kg > MAX_WEIGHT_KG:
            self.add_error("weight", f"At most {presenters.weight_text(MAX_WEIGHT_KG, self.user)}.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned set as the service takes it (kilograms and metres)."""
        data = self.cleaned_data
        values = {f: data.get(self.SHOWN_AS.get(f, f)) for f in SET_FIELDS}
        values["weight_kg"] = units.weight_parse(data.get("weight"), self.user)
        values["distance_m"] = units.distance_parse(data.get("distance"), self.user)
        for flag in ("is_warmup", "is_failure", "is_drop_set", "is_completed"):
            values[flag] = bool(values[flag])
        values["tempo"] = values["tempo"] or ""
        values["notes"] = values["notes"] or ""
        return values


class MetricsForm(forms.Form):
    """One field per metric template of the session's type; the service does the real validation.
    An imperial person enters the session's distance in miles and other lengths (elevation, a pool) in feet
    (training.presenters.metric_is_distance, metric_in_feet). With `duration` (an activity without sets: a
    run, a yoga class, a painting session) the form starts with the time it took, as h:mm:ss."""

    def __init__(
        self,
        *args: Any,
        templates: list[MetricTemplate],
        user: User,
        duration: int | None | bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "id_metric_%s")  # "avg_heart_rate" is also a field of the details form
        super().__init__(*args, **kwargs)
        self.templates = templates
        self.user = user
        self.has_duration = duration is not False
        if self.has_duration:
            self.fields["duration"] = forms.CharField(
                label="Time (h:mm:ss)",
                required=False,
                max_length=12,
                help_text="How long it took, e.g. 28:00 or 1:05:30.",
                initial=presenters.clock_text(duration) if isinstance(duration, int) and duration else None,
            )
            self.fields["duration"].widget.attrs.update({"inputmode": "numeric", "placeholder": "h:mm:ss"})
        self.in_miles: list[str] = []
        self.in_feet: list[str] = []
        for template in templates:
            symbol = presenters.metric_unit_symbol(template, user)
            label = template.label + (f" ({symbol})" if symbol else "")
            value_numeric = getattr(template, "value_numeric", None)
            field: forms.Field
            if template.input_type == InputType.TEXT:
                field = forms.CharField(label=label, required=template.is_required, max_length=2000)
                initial: Any = getattr(template, "value_text", None)
            elif template.input_type == InputType.DURATION:
                field = forms.CharField(
                    label=label, required=template.is_required, help_text=template.help_text or "h:mm:ss or seconds"
                )
                initial = units.plain_number(Decimal(value_numeric)) if value_numeric is not None else None
            else:
                low: Decimal | None = template.min_value if template.min_value is not None else Decimal(0)
                high = template.max_value
                initial = Decimal(units.plain_number(Decimal(value_numeric))) if value_numeric is not None else None
                if presenters.metric_is_distance(template, user):
                    self.in_miles.append(template.name)
                    low, high = units.distance_shown(low, user), units.distance_shown(high, user)
                    shown = presenters.distance_number(value_numeric, user)
                    # As people write it: 5, not 5.000.
                    initial = Decimal(units.plain_number(shown)) if shown is not None else None
                elif presenters.metric_in_feet(template, user):
                    self.in_feet.append(template.name)
                    low, high = units.metres_shown(low, user), units.metres_shown(high, user)
                    initial = units.metres_shown(value_numeric, user)
                field = forms.DecimalField(
                    label=label,
                    required=template.is_required,
                    min_value=low,
                    max_value=high,
                    max_digits=14,
                    decimal_places=3,
                )
                field.widget.attrs["inputmode"] = "decimal"
            if template.help_text and not field.help_text:
                field.help_text = template.help_text
            field.initial = initial
            self.fields[template.name] = field

    def clean_duration(self) -> int | None:
        from .programs import clock_seconds

        return clock_seconds(self.cleaned_data.get("duration") or "")

    def service_values(self) -> dict[str, Any]:
        """The cleaned values in the templates' units (a distance in km or miles back to metres)."""
        values = dict(self.cleaned_data)
        values.pop("duration", None)
        for name in self.in_miles:
            values[name] = units.distance_parse(values.get(name), self.user)
        for name in self.in_feet:
            values[name] = units.metres_parse(values.get(name), self.user)
        return values


class MediaForm(forms.Form):
    file = forms.FileField(
        label="Photo or video", widget=forms.ClearableFileInput(attrs={"accept": "image/*,video/mp4,video/webm"})
    )
    caption = forms.CharField(required=False, max_length=500)
    is_progress_photo = forms.BooleanField(label="Progress photo", required=False)
    is_form_check = forms.BooleanField(label="Form check", required=False)

    def __init__(self, *args: Any, strength: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not strength:  # a lifter's boxes: a run's or a painting's photo is just a photo
            del self.fields["is_progress_photo"], self.fields["is_form_check"]


class TemplateNameForm(forms.Form):
    name = forms.CharField(label="Template name", max_length=200)


class ExerciseSearchForm(forms.Form):
    q = forms.CharField(label="Find an exercise", required=False, max_length=100)
