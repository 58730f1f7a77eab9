from __future__ import annotations

import zoneinfo

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.db import transaction

from .models import DEFAULT_TOKEN_SCOPES, TokenScope, User
from .services.passwords import PASSWORD_CHANGE, PASSWORD_RESET, user_sign_out_everywhere


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


class PasswordChangeForm(allauth_forms.ChangePasswordForm):
    """allauth's change-password form (settings.ACCOUNT_FORMS), offering to revoke every API token."""

    revoke_tokens = forms.BooleanField(
        label="Sign out everywhere else: revoke all my API tokens",
        required=False,
        initial=True,
        help_text=(
            "Apps and scripts using a token stop working until you give them a new one. Other browsers where "
            "you are signed in are signed out in any case."
        ),
    )

    def save(self) -> None:
        # One transaction: the new password and the revocation are saved together or not at all.
        with transaction.atomic():
            super().save()
            user_sign_out_everywhere(
                user=self.user,
                reason=PASSWORD_CHANGE,
                revoke_tokens=self.cleaned_data["revoke_tokens"],
                request=allauth_context.request,
            )


class PasswordResetFromKeyForm(allauth_forms.ResetPasswordKeyForm):
    """allauth's reset form: a forgotten password may mean a stolen one, so every token is revoked."""

    def save(self) -> None:
        with transaction.atomic():
            super().save()
            user_sign_out_everywhere(user=self.user, reason=PASSWORD_RESET, request=allauth_context.request)
