from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from . import services
from .admin_base import ScopedAdmin
from .models import ApiToken, User


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

    def unscoped_queryset(self, request):
        # Staff also see accounts awaiting erasure; the default manager hides them.
        return User.all_objects.all()


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
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

    def has_add_permission(self, request):
        return False  # the raw token must be shown to its owner, so only they create tokens

    @admin.action(description="Revoke the selected tokens and the tokens they created", permissions=["change"])
    def revoke_selected(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True).select_related("user"))
        for token in tokens:
            services.api_token_revoke(token=token, actor=request.user, request=request)
        self.message_user(request, f"Revoked {len(tokens)} token(s), with the tokens they created.")


from . import admin_audit  # noqa: E402, F401  (registers the audit trail's admin)

# Notifications (issue 3). Appended as one block: several people add to this file.
from .models import Notification  # noqa: E402


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    """A record of what was sent to whom. Read-only: notifications are created by `notify` only."""

    list_display = ("title", "user", "type", "priority", "channels", "created_at", "read_at", "emailed_at")
    list_select_related = ("user",)
    list_filter = ("type", "priority", ("read_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("title", "user__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    fields = (
        "user",
        "type",
        "title",
        "message",
        "data",
        "related_type",
        "related_id",
        "action_url",
        "priority",
        "channels",
        "created_at",
        "read_at",
        "emailed_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from . import admin_profiles  # noqa: E402, F401  (registers the profile and profile-version admins)

# Privacy (issue 3): accounts erased and waiting for the purge. Appended as one block.
# Gym staff answer "was my account really deleted?"; the proxy model has its own view permission.
PENDING_ERASURE_STAFF_PERMISSIONS = ["accounts.view_pendingerasure"]

from datetime import timedelta  # noqa: E402

from fitjourney.hooks import roles  # noqa: E402

from .models.privacy import PendingErasure  # noqa: E402
from .services.privacy import ERASURE_GRACE_DAYS  # noqa: E402

roles.register_role_permissions(roles.GYM_STAFF, PENDING_ERASURE_STAFF_PERMISSIONS)


@admin.register(PendingErasure)
class PendingErasureAdmin(ScopedAdmin):
    """Erased accounts (already anonymised) and the day the nightly purge deletes them for good."""

    person_field = "pk"
    list_display = ("id", "username", "deleted_at", "purge_on")
    search_fields = ("=id",)
    date_hierarchy = "deleted_at"
    ordering = ("deleted_at",)
    fields = ("id", "email", "username", "account_status", "deleted_at", "purge_on")
    readonly_fields = fields

    @admin.display(description="deleted for good on", ordering="deleted_at")
    def purge_on(self, obj):
        # The nightly purge after this day deletes it (accounts.services.privacy.accounts_purge_erased).
        return (obj.deleted_at + timedelta(days=ERASURE_GRACE_DAYS)).date() if obj.deleted_at else None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
