"""Deleting the account, on the "Your data" page."""

from __future__ import annotations

from django import forms


class AccountEraseForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account will be deleted and that this cannot be undone.",
        error_messages={"required": "Tick this box to confirm."},
    )
