"""Admin for the daily and weekly summaries: read only (they are computed from their sources), scoped to
the people the staff member may see, with "Refresh now" to recompute the selected rows from their sources.
Gym staff get the view permission (accounts/tests/test_admin.py pins trainers to `view_user` for now)."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin.base import ReadOnlyAdmin
from fitjourney.hooks import roles

from ..models import DailySummary, WeeklySummary
from ..services import summaries as services
from ..services.summaries import DAILY_FIELDS, WEEKLY_FIELDS

SUMMARY_VIEW_PERMISSIONS = ["coaching.view_dailysummary", "coaching.view_weeklysummary"]
roles.register_role_permissions(roles.GYM_STAFF, SUMMARY_VIEW_PERMISSIONS)


class _ReadOnlySummaryAdmin(ReadOnlyAdmin):
    # A day's totals of workouts, meals and habits: shown to a trainer only with training shared (the
    # main part; trainers have no permission here yet).
    access_area = "training"
    list_select_related = ("user",)
    search_fields = ("user__email",)
    actions = ("refresh_now",)

    def _refreshed(self, request: HttpRequest, count: int, what: str) -> None:
        self.message_user(
            request, f"Recomputed {count} {what}{'s' if count != 1 else ''} from their sources.", messages.SUCCESS
        )


@admin.register(DailySummary)
class DailySummaryAdmin(_ReadOnlySummaryAdmin):
    list_display = (
        "date",
        "user",
        "workouts",
        "active_minutes",
        "calories_burned",
        "calories_eaten",
        "net_calories",
        "water_ml",
        "weight_kg",
        "habits",
        "has_journal_entry",
        "refreshed_at",
    )
    list_filter = ("has_journal_entry",)
    date_hierarchy = "date"
    ordering = ("-date",)
    fields = ("user", "date", *DAILY_FIELDS, "net_calories", "refreshed_at", "created_at", "updated_at")
    readonly_fields = fields

    @admin.display(description="habits")
    def habits(self, obj: DailySummary) -> str:
        return f"{obj.habits_completed}/{obj.habits_total}"

    @admin.action(description="Refresh now (recompute from the sources)", permissions=["view"])
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[DailySummary]) -> None:
        pairs = list(queryset.values_list("user_id", "date"))
        services.daily_summaries_refresh(pairs=pairs)
        self._refreshed(request, len(pairs), "day")


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(_ReadOnlySummaryAdmin):
    list_display = (
        "week_start",
        "user",
        "workouts",
        "workout_days",
        "active_minutes",
        "avg_calories_eaten",
        "weight_change_kg",
        "habit_completion_rate",
        "journal_days",
        "refreshed_at",
    )
    date_hierarchy = "week_start"
    ordering = ("-week_start",)
    fields = ("user", "week_start", *WEEKLY_FIELDS, "weight_change_kg", "refreshed_at", "created_at", "updated_at")
    readonly_fields = fields

    @admin.action(description="Refresh now (recompute the weeks' days from the sources)", permissions=["view"])
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[WeeklySummary]) -> None:
        weeks = list(queryset.values_list("user_id", "week_start"))
        services.daily_summaries_refresh(
            pairs=[(user_id, monday + dt.timedelta(days=n)) for user_id, monday in weeks for n in range(7)]
        )
        self._refreshed(request, len(weeks), "week")
