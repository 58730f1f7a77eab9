"""Admin for habits.

- Habit templates: gym staff look after the system templates (add and change; the reference loader
  keeps the five seed templates). A person's own templates are theirs: gym staff may read them, nobody
  changes them here.
- Habits and check-ins are read-only here, for gym staff, scoped by ScopedAdmin. People change their own
  through the pages and the API, whose services keep the daily summaries right; an edit here would
  bypass them. Trainers get no habit permission yet: what a trainer sees of a client comes with the
  coaching relation (a permission then stays scoped to their clients by ScopedAdmin).
- Journal entries are not registered at all: a journal is the most private thing a person writes here,
  and no staff task needs to read one.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from accounts.admin.base import ScopedAdmin
from accounts.models import User
from fitjourney.hooks import roles
from fitjourney.hooks.scoping import sees_everyone

from ..models import Habit, HabitLog, HabitTemplate
from ..services.habits import HABIT_FIELDS

roles.register_role_permissions(
    roles.GYM_STAFF,
    [
        "coaching.view_habittemplate",
        "coaching.add_habittemplate",
        "coaching.change_habittemplate",
        "coaching.view_habit",
        "coaching.view_habitlog",
    ],
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(HabitTemplate)
class HabitTemplateAdmin(ScopedAdmin):
    """System templates (no owner) for everyone with the permission; people's own only for those who
    see everyone. What staff add here is a system template."""

    person_field = "created_by"
    access_area = "habits"
    list_display = ("name", "category", "tracking_type", "default_target", "unit", "frequency", "is_system")
    list_filter = ("is_system", "category", "tracking_type")
    list_select_related = ("created_by",)
    search_fields = ("name", "description")
    readonly_fields = ("is_system", "created_by", "created_at")
    fields = (
        "name",
        "description",
        "category",
        "tracking_type",
        "unit",
        "default_target",
        "frequency",
        "icon_name",
        "is_system",
        "created_by",
        "created_at",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[HabitTemplate]:
        queryset = self.unscoped_queryset(request)
        return queryset if sees_everyone(request.user) else queryset.filter(is_system=True)

    def has_change_permission(self, request: HttpRequest, obj: HabitTemplate | None = None) -> bool:
        if obj is not None and not obj.is_system:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: HabitTemplate | None = None) -> bool:
        # Habits keep their template link; removing a template is a data change, not an admin click.
        return False

    def save_model(
        self, request: HttpRequest, obj: HabitTemplate, form: ModelForm[HabitTemplate], change: bool
    ) -> None:
        if not change:
            obj.is_system, obj.created_by = True, None
        super().save_model(request, obj, form, change)


@admin.register(Habit)
class HabitAdmin(ReadOnlyMixin, ScopedAdmin):
    access_area = "habits"
    list_display = ("name", "user", "tracking_type", "target_value", "unit", "frequency", "is_active", "start_date")
    list_filter = ("is_active", "tracking_type", "frequency", "category")
    list_select_related = ("user",)
    search_fields = ("name", "user__email")
    raw_id_fields = ("user", "template")
    fields = ("user", "template", *HABIT_FIELDS, "last_reminded_on", "created_at", "updated_at", "deleted_at")
    readonly_fields = ("last_reminded_on", "created_at", "updated_at", "deleted_at")


@admin.register(HabitLog)
class HabitLogAdmin(ReadOnlyMixin, ScopedAdmin):
    person_field = "habit__user"
    access_area = "habits"
    list_display = ("habit", "habit_owner", "log_date", "completed", "value", "logged_at")
    list_filter = ("completed",)
    list_select_related = ("habit__user",)
    search_fields = ("habit__name", "habit__user__email")
    date_hierarchy = "log_date"
    raw_id_fields = ("habit",)

    @admin.display(description="person", ordering="habit__user__email")
    def habit_owner(self, obj: HabitLog) -> User:
        return obj.habit.user
