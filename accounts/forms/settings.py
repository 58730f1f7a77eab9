"""The person's settings: name, username, time zone, language, units and date format."""

from __future__ import annotations

import zoneinfo

from django import forms

from ..models import User
from ..services.users import USER_SETTINGS_FIELDS


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", choices=_timezone_choices)

    class Meta:
        model = User
        fields = USER_SETTINGS_FIELDS
        help_texts = {
            "unit_system": "How weights, heights and distances are shown to you.",
            "date_format": "How dates are written on your pages.",
        }
