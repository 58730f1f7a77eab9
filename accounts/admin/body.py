"""Body metrics, read-only: a trainer reads those of the clients who share their body metrics (the scope of
ScopedAdmin with the "body" area); gym staff and superusers everyone's."""

from __future__ import annotations

from django.contrib import admin

from fitjourney.hooks import roles

from ..models import BodyMetric
from .base import ReadOnlyAdmin

roles.register_role_permissions(roles.TRAINER, ["accounts.view_bodymetric"])


@admin.register(BodyMetric)
class BodyMetricAdmin(ReadOnlyAdmin):
    access_area = "body"
    list_display = ("local_date", "user", "metric_type", "value", "recorded_by")
    list_filter = ("metric_type",)
    list_select_related = ("user", "metric_type", "recorded_by")
    search_fields = ("user__email",)
    date_hierarchy = "local_date"
    raw_id_fields = ("user", "recorded_by")
