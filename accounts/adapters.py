from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms

from .models import User, normalize_email


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        return normalize_email(super().clean_email(email))

    def validate_unique_email(self, email: str) -> str:
        email = super().validate_unique_email(email)
        # Also covers accounts whose e-mail never entered allauth's table (admin, imports, erasure queue).
        if User.all_objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(self.error_messages["email_taken"])
        return email

    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = super().clean_username(username, shallow=shallow)
        if len(username) < 3:
            raise forms.ValidationError("Usernames need at least 3 characters.")
        return username


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Google, Apple and Facebook are configured in settings but stay hidden until keys are given."""
        return [app for app in super().list_apps(request, provider, client_id) if app.client_id and app.secret]
