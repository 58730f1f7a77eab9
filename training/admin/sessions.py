"""Logged sessions, read-only: a trainer reads the sessions of the clients who share their training (the
scope of ScopedAdmin with the "training" area), gym staff and superusers everyone's. People log and
change their own sessions on the site; recording on a client's behalf is the trainer's card (coaching)."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin.base import ReadOnlyAdmin
from fitjourney.hooks import roles

from ..models import Session

roles.register_role_permissions(roles.TRAINER, ["training.view_session"])


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    access_area = "training"
    list_display = ("local_date", "__str__", "user", "activity_type", "status", "total_volume_kg", "recorded_by")
    list_filter = ("status", "activity_type")
    list_select_related = ("user", "activity_type", "recorded_by")
    search_fields = ("user__email", "name")
    date_hierarchy = "local_date"
    exclude = ("search_vector",)
    raw_id_fields = ("user", "recorded_by", "source_template", "enrollment", "program_session")
