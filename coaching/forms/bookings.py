"""Forms of the trainee's booking pages: choosing where, when and how long (the slot list), booking a slot,
cancelling with a reason. Validation only: the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from ..models import Location
from ..selectors.bookings import MAX_SLOT_DAYS
from .base import DATE

DURATIONS = ((30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1½ hours"), (120, "2 hours"))
DAYS_SHOWN = 7


class SlotSearchForm(forms.Form):
    location = forms.ChoiceField()
    date = forms.DateField(widget=DATE, label="From")
    duration = forms.TypedChoiceField(choices=DURATIONS, coerce=int, initial=60)

    def __init__(self, *args: Any, locations: list[Location], today: dt.date, **kwargs: Any) -> None:
        """`locations`: the trainer's, already loaded (the choices render without another query)."""
        super().__init__(*args, **kwargs)
        self.locations = {str(location.pk): location for location in locations}
        location_field = self.fields["location"]
        assert isinstance(location_field, forms.ChoiceField)
        location_field.choices = [(key, location.name) for key, location in self.locations.items()]
        self.today = today
        self.fields["date"].widget.attrs.update(
            {"min": today.isoformat(), "max": (today + dt.timedelta(days=MAX_SLOT_DAYS * 3)).isoformat()}
        )

    def clean_location(self) -> Location:
        return self.locations[self.cleaned_data["location"]]

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day < self.today:
            raise forms.ValidationError("Choose today or a later day.")
        if day > self.today + dt.timedelta(days=365):
            raise forms.ValidationError("Book at most a year ahead.")
        return day


class BookSlotForm(forms.Form):
    location = forms.UUIDField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(widget=forms.HiddenInput)
    duration_minutes = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    title = forms.CharField(max_length=120, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


__all__ = ["DAYS_SHOWN", "DURATIONS", "BookSlotForm", "CancelForm", "SlotSearchForm"]
