"""allauth's password forms, as settings.ACCOUNT_FORMS names them: a new password also closes the other
ways into the account (accounts.services.passwords)."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.core import context as allauth_context
from django import forms
from django.db import transaction

from ..request_info import audit_context
from ..services.audit import AuditContext
from ..services.passwords import PASSWORD_CHANGE, PASSWORD_RESET, user_sign_out_everywhere


def _audit() -> AuditContext | None:
    """Where the change came from: allauth keeps the request of the flow in its context."""
    request = allauth_context.request
    return audit_context(request) if request is not None else None


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
                audit=_audit(),
            )


class PasswordResetFromKeyForm(allauth_forms.ResetPasswordKeyForm):
    """allauth's reset form: a forgotten password may mean a stolen one, so every token is revoked."""

    def save(self) -> None:
        with transaction.atomic():
            super().save()
            user_sign_out_everywhere(user=self.user, reason=PASSWORD_RESET, audit=_audit())
