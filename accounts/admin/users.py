"""Accounts and their API tokens for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from .. import services
from ..models import ApiToken, User
from ..request_info import audit_context
from .base import ScopedAdmin


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "username")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):
    person_field = "pk"
    access_area = None  # the account itself: a trainer sees who their clients are (any active link)
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "username", "full_name", "account_status", "is_staff", "created_at")
    list_filter = ("account_status", "is_staff", "is_superuser", "groups", "unit_system")
    search_fields = ("email", "username", "first_name", "last_name")
    readonly_fields = ("id", "created_at", "updated_at", "last_login")
    fieldsets = (
        (None, {"fields": ("id", "email", "username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "timezone", "language", "unit_system", "date_format")}),
        ("Status", {"fields": ("account_status", "is_active", "deleted_at")}),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "username", "usable_password", "password1", "password2")}),
    )

    def unscoped_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Staff also see accounts awaiting erasure; the default manager hides them.
        return User.all_objects.all()


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    access_area = None  # trainers have no permission here
    list_display = (
        "name",
        "user",
        "prefix",
        "status",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    list_filter = ("revoked_at", "expires_at")
    search_fields = ("name", "user__email", "prefix")
    fields = (
        "user",
        "name",
        "prefix",
        "scopes",
        "created_by_token",
        "device_info",
        "ip_address",
        "user_agent",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    # Revoking goes through the action (the service also revokes what the token created), never an edit.
    readonly_fields = fields
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the raw token must be shown to its owner, so only they create tokens

    @admin.action(description="Revoke the selected tokens and the tokens they created", permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        for token in tokens:
            services.api_token_revoke(token=token, audit=audit_context(request))
        self.message_user(request, f"Revoked {len(tokens)} token(s), with the tokens they created.")
