"""Notifications for staff: a read-only record of what was sent to whom."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from ..models import Notification
from .base import ScopedAdmin


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    access_area = None  # trainers have no permission here
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
