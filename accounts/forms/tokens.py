"""A new personal access token, from the settings page."""

from __future__ import annotations

from django import forms
from django.conf import settings

from ..models import DEFAULT_TOKEN_SCOPES, TokenScope


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Device or script name", max_length=100)
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=TokenScope.choices,
        initial=list(DEFAULT_TOKEN_SCOPES),
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "“Change your data” includes reading it. “Manage API tokens” lets the token create tokens (never with "
            "more access or a longer life than its own) and revoke them."
        ),
        error_messages={"required": "Choose at least one."},
    )
