from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings

from .models import User


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", choices=_timezone_choices)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "username", "timezone", "language", "unit_system", "date_format"]
        help_texts = {
            "unit_system": "How weights, heights and distances are shown to you.",
            "date_format": "How dates are written on your pages.",
        }


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Device or script name", max_length=100)
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
