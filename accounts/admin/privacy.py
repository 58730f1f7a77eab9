"""Accounts erased and waiting for the purge, for staff.

Gym staff answer "was my account really deleted?"; the proxy model has its own view permission.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import admin

from fitjourney.hooks import roles

from ..models.privacy import PendingErasure
from ..services.privacy import ERASURE_GRACE_DAYS
from .base import ReadOnlyAdmin

PENDING_ERASURE_STAFF_PERMISSIONS = ["accounts.view_pendingerasure"]
roles.register_role_permissions(roles.GYM_STAFF, PENDING_ERASURE_STAFF_PERMISSIONS)


@admin.register(PendingErasure)
class PendingErasureAdmin(ReadOnlyAdmin):
    """Erased accounts (already anonymised) and the day the nightly purge deletes them for good."""

    person_field = "pk"
    access_area = None  # gym staff only
    list_display = ("id", "username", "deleted_at", "purge_on")
    search_fields = ("=id",)
    date_hierarchy = "deleted_at"
    ordering = ("deleted_at",)
    fields = ("id", "email", "username", "account_status", "deleted_at", "purge_on")
    readonly_fields = fields

    @admin.display(description="deleted for good on", ordering="deleted_at")
    def purge_on(self, obj: PendingErasure) -> date | None:
        # The nightly purge after this day deletes it (accounts.services.privacy.accounts_purge_erased).
        return (obj.deleted_at + timedelta(days=ERASURE_GRACE_DAYS)).date() if obj.deleted_at else None
