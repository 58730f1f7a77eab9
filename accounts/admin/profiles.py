"""Profiles and their versions for staff.

Staff may correct a profile, but only through services.profiles.profile_update: the change becomes a
new version marked "admin", with the staff member and a required reason, and is audited, exactly like
a change the person makes. Versions are read-only for everyone (a database trigger enforces it too).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fitjourney.hooks import roles

from ..models import ChangedBy, Profile, ProfileVersion
from ..request_info import audit_context, request_user
from ..services import profiles as profile_services
from ..services.profiles import PROFILE_FIELDS
from .base import ReadOnlyAdmin, ScopedAdmin

# Gym staff may read and correct profiles (each correction a recorded, reasoned version) and read versions.
roles.register_role_permissions(
    roles.GYM_STAFF, ["accounts.view_profile", "accounts.change_profile", "accounts.view_profileversion"]
)

# Staff do not upload people's photos; they may see them.
ADMIN_EDITABLE = tuple(name for name in PROFILE_FIELDS if name != "avatar")


class ProfileAdminForm(forms.ModelForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="Required. The person sees it in their profile history.",
    )

    class Meta:
        model = Profile
        fields = ADMIN_EDITABLE

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        changes = self.profile_changes()
        if changes:
            try:
                profile_services.profile_changes_validate(profile=self.instance, changes=changes)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def profile_changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.changed_data if name in ADMIN_EDITABLE}

    # The service validates the rules (in clean above) and the database enforces the constraints;
    # Django's own re-check would report the goal rules a second time, as form-wide errors.
    def validate_constraints(self) -> None:
        pass

    def validate_unique(self) -> None:
        pass


@admin.register(Profile)
class ProfileAdmin(ScopedAdmin):
    access_area = "body"  # height, birth date, activity level: the body the member shares or not
    form = ProfileAdminForm
    list_display = ("user", "version", "is_locked", "primary_goal", "fitness_level", "last_modified_by", "updated_at")
    list_select_related = ("user",)
    list_filter = ("is_locked", "last_modified_by", "primary_goal", "fitness_level")
    search_fields = ("user__email", "user__username")
    readonly_fields = (
        "user",
        "photo",
        "version",
        "is_locked",
        "locked_at",
        "last_modified_by",
        "modification_reason",
        "created_at",
        "updated_at",
        "history",
    )
    fieldsets = (
        (None, {"fields": ("user", "photo", "version", "history")}),
        ("Profile", {"fields": ADMIN_EDITABLE}),
        ("This change", {"fields": ("reason",)}),
        (
            "Status",
            {
                "fields": (
                    "is_locked",
                    "locked_at",
                    "last_modified_by",
                    "modification_reason",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description="Photo")
    def photo(self, obj: Profile) -> str:
        if not obj.avatar:
            return "—"
        return format_html('<img src="{}" alt="" width="96" height="96" style="object-fit:cover">', obj.avatar.url)

    @admin.display(description="Versions")
    def history(self, obj: Profile) -> str:
        url = reverse("admin:accounts_profileversion_changelist") + f"?user__exact={obj.user_id}"
        return format_html('<a href="{}">All {} versions</a>', url, obj.version)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # `obj` carries the form's values already; the service re-reads the row under a lock and
        # writes the version, so only the changed values and the reason are handed over.
        saved = profile_services.profile_update(
            profile=obj,
            changes=form.profile_changes(),
            reason=form.cleaned_data["reason"],
            changed_by=ChangedBy.ADMIN,
            changed_by_user=request_user(request),
            audit=audit_context(request),
        )
        obj.version = saved.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service audited the change (PROFILE_UPDATE, this staff member as the actor, old and new
        # values); ScopedAdmin's generic ADMIN_CHANGE row would record it a second time.
        admin.ModelAdmin.save_related(self, request, form, formsets, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a profile comes with its account

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # erasure blanks it; the account's purge deletes it


@admin.register(ProfileVersion)
class ProfileVersionAdmin(ReadOnlyAdmin):
    access_area = "body"
    list_display = ("user", "version", "changed_by", "changed_fields", "valid_from", "valid_until")
    list_select_related = ("user",)
    list_filter = ("changed_by",)
    search_fields = ("user__email", "user__username")
    date_hierarchy = "valid_from"
    readonly_fields = [field.name for field in ProfileVersion._meta.fields]
