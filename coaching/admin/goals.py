"""Admin for goals.

- Goal kinds (seed 002 goal_type) are reference data: staff correct names and descriptions; the loader
  (coaching/reference.py) keeps the five kinds.
- Goals are read-mostly, scoped to the people the staff member may see: staff may only mark a goal's
  status (e.g. abandoned), never its targets; the milestones are shown read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from accounts.admin.base import ScopedAdmin

from ..models import Goal, GoalKind, GoalMilestone, GoalStatus


@admin.register(GoalKind)
class GoalKindAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "default_metric", "default_unit", "display_order")
    ordering = ("display_order",)
    readonly_fields = ("slug",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the kinds are the seed's five; the loader creates them

    def has_delete_permission(self, request: HttpRequest, obj: GoalKind | None = None) -> bool:
        return False


class GoalStatusForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["status"]

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        goal = self.instance
        if status == GoalStatus.ACTIVE and goal.role:
            clash = Goal.objects.filter(user_id=goal.user_id, role=goal.role, status=GoalStatus.ACTIVE)
            if clash.exclude(pk=goal.pk).exists():
                raise ValidationError("This person already has an active goal of this role; set that one aside first.")
        if status == GoalStatus.ACTIVE and goal.metric:
            clash = Goal.objects.filter(
                user_id=goal.user_id,
                metric=goal.metric,
                exercise_id=goal.exercise_id,
                habit_id=goal.habit_id,
                activity_type_id=goal.activity_type_id,
                status=GoalStatus.ACTIVE,
            )
            if clash.exclude(pk=goal.pk).exists():
                raise ValidationError("This person already has an active goal for this measure.")
        return status


class GoalMilestoneInline(admin.TabularInline):
    model = GoalMilestone
    fields = ("percent", "value", "target_date", "achieved_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Goal)
class GoalAdmin(ScopedAdmin):
    access_area = "training"  # goals measure training, body and habits; training is what a trainer coaches
    form = GoalStatusForm
    inlines = (GoalMilestoneInline,)
    list_display = ("user", "role", "kind", "metric", "status", "target_value", "unit", "target_date", "created_at")
    list_filter = ("status", "kind", "metric", "role", "category")
    list_select_related = ("user",)
    search_fields = ("user__email", "title")
    ordering = ("-created_at",)
    fields = (
        "user",
        "role",
        "category",
        "kind",
        "metric",
        "title",
        "status",
        "direction",
        "start_value",
        "target_value",
        "unit",
        "current_value",
        "exercise",
        "habit",
        "activity_type",
        "start_date",
        "target_date",
        "frequency_per_week",
        "target_weight_kg",
        "target_body_fat_pct",
        "target_muscle_gain_kg",
        "target_timeline_weeks",
        "priority",
        "explanation",
        "achieved_at",
        "evaluated_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(name for name in fields if name != "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Goal | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Goal, form: forms.ModelForm[Goal], change: bool) -> None:
        # An achieved goal is dated (a database rule); any other status clears the date.
        if obj.status == GoalStatus.ACHIEVED and obj.achieved_at is None:
            obj.achieved_at = timezone.now()
        elif obj.status != GoalStatus.ACHIEVED:
            obj.achieved_at = None
        super().save_model(request, obj, form, change)
