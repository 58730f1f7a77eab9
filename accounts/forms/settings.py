"""The person's settings: name, username, time zone, language, units and date format."""

from __future__ import annotations

from typing import Any

from django import forms

from fitjourney.timezones import timezone_choices

from ..models import User
from ..services.users import USER_SETTINGS_FIELDS


class SettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone")

    class Meta:
        model = User
        fields = USER_SETTINGS_FIELDS
        help_texts = {
            "unit_system": "How weights, heights and distances are shown to you.",
            "date_format": "How dates are written on your pages.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["timezone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = timezone_choices(current=self.instance.timezone)
