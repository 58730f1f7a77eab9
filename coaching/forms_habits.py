"""Forms of the habits, journal and check-in pages: validation only; the writes are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from accounts.models.profile import Level, SleepQuality

from .models import Frequency, HabitCategory, JournalMood, TrackingType
from .models.habits import MAX_VALUE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [(1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (7, "Sun")]
TRUE, FALSE = {"true", "on", "1", "yes"}, {"false", "off", "0", "no"}
LEVEL_1_10 = [("", "—"), *((n, str(n)) for n in range(1, 11))]


def errors_to_form(form: forms.Form, error) -> None:
    """A service's ValidationError onto the form: field messages on their field, the rest on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class HabitForm(forms.Form):
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

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        # A done-or-not habit has no target: a number left in the field from switching is dropped.
        if data.get("tracking_type") == TrackingType.BOOLEAN:
            data["target_value"] = None
        return data


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


class JournalEntryForm(forms.Form):
    title = forms.CharField(required=False, max_length=200)
    content = forms.CharField(
        label="How was the day?", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    mood = forms.ChoiceField(choices=[("", "—"), *JournalMood.choices], required=False)
    energy_level = forms.TypedChoiceField(
        label="Energy (1–10)", choices=LEVEL_1_10, coerce=int, required=False, empty_value=None
    )
    stress_level = forms.TypedChoiceField(
        label="Stress (1–10)", choices=LEVEL_1_10, coerce=int, required=False, empty_value=None
    )
    tags = forms.CharField(
        required=False, max_length=1000, help_text="Comma-separated, e.g. training, sleep, work (up to 20)."
    )


class JournalFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    tag = forms.CharField(required=False, max_length=40)
    date_from = forms.DateField(label="From", required=False, widget=DATE)
    date_to = forms.DateField(label="To", required=False, widget=DATE)


class CheckinForm(forms.Form):
    energy_level = forms.ChoiceField(label="Energy", choices=Level.choices, widget=forms.RadioSelect)
    stress_level = forms.ChoiceField(label="Stress", choices=Level.choices, widget=forms.RadioSelect)
    sleep_quality = forms.ChoiceField(label="Sleep quality", choices=SleepQuality.choices, widget=forms.RadioSelect)
    sleep_hours = forms.DecimalField(
        label="Sleep last night (hours)",
        required=False,
        max_digits=3,
        decimal_places=1,
        min_value=0,
        max_value=24,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
