"""The audit trail for staff: searchable, filterable, read-only."""

from __future__ import annotations

from django.contrib import admin

from ..models import AuditLog
from .base import ReadOnlyAdmin


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """The audit trail for staff: searchable, filterable, and read-only for everyone."""

    person_field = "subject_id"
    access_area = None  # gym staff only
    list_display = ("created_at", "action", "actor_label", "subject_id", "entity_type", "entity_id", "ip_address")
    list_filter = ("action", "entity_type", "created_at")
    search_fields = ("actor_label", "=actor_id", "=subject_id", "entity_type", "=entity_id", "=ip_address")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditLog._meta.fields]
    show_full_result_count = False
