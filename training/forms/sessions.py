"""Forms for the session pages: they validate and convert units at the edge (the person enters kg or
lb, km or mi; we store kg and metres), then the view calls a service."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import timezone

from fitjourney.dates import entry_bounds
from fitjourney.units import KG_PER_LB

from ..models import InputType, Mood

M_PER_MI = Decimal("1609.344")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def is_imperial(user) -> bool:
    return getattr(user, "unit_system", "metric") == "imperial"


def weight_unit(user) -> str:
    return "lb" if is_imperial(user) else "kg"


def distance_unit(user) -> str:
    return "mi" if is_imperial(user) else "km"


def kg_from_shown(value: Decimal | None, user) -> Decimal | None:
    if value is None:
        return None
    kg = Decimal(value) * KG_PER_LB if is_imperial(user) else Decimal(value)
    return kg.quantize(CENT, rounding=ROUND_HALF_UP)


def shown_from_kg(kg: Decimal | None, user) -> Decimal | None:
    if kg is None:
        return None
    value = Decimal(kg) / KG_PER_LB if is_imperial(user) else Decimal(kg)
    return value.quantize(TENTH if is_imperial(user) else CENT, rounding=ROUND_HALF_UP)


def metres_from_shown(value: Decimal | None, user) -> Decimal | None:
    if value is None:
        return None
    metres = Decimal(value) * (M_PER_MI if is_imperial(user) else 1000)
    return metres.quantize(CENT, rounding=ROUND_HALF_UP)


def shown_from_metres(metres: Decimal | None, user) -> Decimal | None:
    if metres is None:
        return None
    return (Decimal(metres) / (M_PER_MI if is_imperial(user) else 1000)).quantize(
        Decimal("0.001"), rounding=ROUND_HALF_UP
    )


def plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def weight_display(kg: Decimal | None, user) -> str:
    if kg is None:
        return ""
    return f"{plain(shown_from_kg(kg, user))} {weight_unit(user)}"


def distance_display(metres: Decimal | None, user) -> str:
    if metres is None:
        return ""
    return f"{plain(shown_from_metres(metres, user))} {distance_unit(user)}"


def _one_to_ten(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=10)


def _heart_rate(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=20, max_value=250, help_text="Beats per minute")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
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

    def __init__(self, *args, user, session=None, **kwargs):
        self.user = user
        kwargs.setdefault("auto_id", "id_session_%s")  # unlike the set forms' and metrics' fields on the page
        if session is not None and "initial" not in kwargs and not args:
            zone = user.zone
            kwargs["initial"] = {
                "name": session.name,
                "started_at": timezone.localtime(session.started_at, zone),
                "ended_at": timezone.localtime(session.ended_at, zone) if session.ended_at else None,
                **{
                    f: getattr(session, f)
                    for f in (
                        "location",
                        "weather",
                        "mood_before",
                        "mood_after",
                        "energy_level",
                        "rating",
                        "perceived_exertion",
                        "avg_heart_rate",
                        "max_heart_rate",
                        "injuries",
                        "notes",
                    )
                },
            }
        super().__init__(*args, **kwargs)
        # Times are entered in the person's own time zone; the browser offers only what the service
        # accepts (fitjourney.dates: from 1900 to tomorrow), the service still says no to the rest.
        earliest, latest = entry_bounds(user.zone)
        for name in ("started_at", "ended_at"):
            self.fields[name].widget.attrs.update(
                {"data-zone": user.timezone, "min": f"{earliest}T00:00", "max": f"{latest}T23:59"}
            )

    def _aware(self, value):
        if value is None:
            return None
        if timezone.is_naive(value):
            return timezone.make_aware(value, self.user.zone)
        return value.astimezone(self.user.zone)

    def clean(self):
        data = super().clean()
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

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        if instance is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "reps": instance.reps,
                "weight": shown_from_kg(instance.weight_kg, user),
                "duration_seconds": instance.duration_seconds,
                "distance": shown_from_metres(instance.distance_m, user),
                "rest_seconds": instance.rest_seconds,
                "rpe": instance.rpe,
                "tempo": instance.tempo,
                "is_warmup": instance.is_warmup,
                "is_failure": instance.is_failure,
                "is_drop_set": instance.is_drop_set,
                "is_completed": instance.is_completed,
                "notes": instance.notes,
            }
        super().__init__(*args, **kwargs)
        self.fields["weight"].label = f"Weight ({weight_unit(user)})"
        self.fields["distance"].label = f"Distance ({distance_unit(user)})"
        for name in ("reps", "weight", "rpe", "distance", "duration_seconds", "rest_seconds"):
            self.fields[name].widget.attrs["inputmode"] = "decimal" if name in ("weight", "distance") else "numeric"

    def clean(self):
        data = super().clean()
        weight_kg = kg_from_shown(data.get("weight"), self.user)
        if weight_kg is not None and weight_kg > 1000:
            self.add_error("weight", f"At most {weight_display(Decimal(1000), self.user)}.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "reps": data.get("reps"),
            "weight_kg": kg_from_shown(data.get("weight"), self.user),
            "duration_seconds": data.get("duration_seconds"),
            "distance_m": metres_from_shown(data.get("distance"), self.user),
            "rest_seconds": data.get("rest_seconds"),
            "rpe": data.get("rpe"),
            "tempo": data.get("tempo") or "",
            "is_warmup": data.get("is_warmup", False),
            "is_failure": data.get("is_failure", False),
            "is_drop_set": data.get("is_drop_set", False),
            "is_completed": data.get("is_completed", False),
            "notes": data.get("notes") or "",
        }


class MetricsForm(forms.Form):
    """One field per metric template of the session's type; the service does the real validation."""

    def __init__(self, *args, templates, **kwargs):
        kwargs.setdefault("auto_id", "id_metric_%s")  # "avg_heart_rate" is also a field of the details form
        super().__init__(*args, **kwargs)
        self.templates = templates
        for template in templates:
            label = template.label + (f" ({template.unit.symbol})" if template.unit_id else "")
            if template.input_type == InputType.TEXT:
                field = forms.CharField(label=label, required=template.is_required, max_length=2000)
                initial = getattr(template, "value_text", None)
            elif template.input_type == InputType.DURATION:
                field = forms.CharField(
                    label=label, required=template.is_required, help_text=template.help_text or "h:mm:ss or seconds"
                )
                initial = getattr(template, "value_numeric", None)
                initial = plain(initial) if initial is not None else None
            else:
                field = forms.DecimalField(
                    label=label,
                    required=template.is_required,
                    min_value=template.min_value if template.min_value is not None else 0,
                    max_value=template.max_value,
                    max_digits=14,
                    decimal_places=3,
                )
                field.widget.attrs["inputmode"] = "decimal"
                initial = getattr(template, "value_numeric", None)
            if template.help_text and not field.help_text:
                field.help_text = template.help_text
            field.initial = initial
            self.fields[template.name] = field


class MediaForm(forms.Form):
    file = forms.FileField(
        label="Photo or video", widget=forms.ClearableFileInput(attrs={"accept": "image/*,video/mp4,video/webm"})
    )
    caption = forms.CharField(required=False, max_length=500)
    is_progress_photo = forms.BooleanField(label="Progress photo", required=False)
    is_form_check = forms.BooleanField(label="Form check", required=False)


class TemplateNameForm(forms.Form):
    name = forms.CharField(label="Template name", max_length=200)


class ExerciseSearchForm(forms.Form):
    q = forms.CharField(label="Find an exercise", required=False, max_length=100)
