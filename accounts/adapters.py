from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django import forms
from django.http import HttpRequest

from .models import ChangedBy, User, normalize_email
from .services.profiles import profile_create


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: forms.Form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Every account has a profile (version 1) from its first moment.
            profile_create(user=user, changed_by=ChangedBy.USER, changed_by_user=user)
        return user

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
        if username.lower().startswith("deleted_"):
            raise forms.ValidationError("Usernames cannot start with “deleted_”: that prefix marks erased accounts.")
        return username


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: forms.Form | None = None) -> User:
        # Without a sign-up form (automatic social sign-up) allauth never calls AccountAdapter.save_user.
        user = super().save_user(request, sociallogin, form=form)
        profile_create(user=user, changed_by=ChangedBy.USER, changed_by_user=user)
        return user

    def list_apps(
        self, request: HttpRequest, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """Google, Apple and Facebook are configured in settings but stay hidden until keys are given."""
        return [app for app in super().list_apps(request, provider, client_id) if app.client_id and app.secret]
