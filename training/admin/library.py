from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import ModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from accounts.admin.base import ScopedAdmin

from ..models import ActivityCategory, ActivityType, Exercise, MetricTemplate
from ..services import library as library_services


class OwnerKindFilter(admin.SimpleListFilter):
    title = "owner"
    parameter_name = "owner_kind"

    def lookups(self, request: HttpRequest, model_admin: ModelAdmin[Any]) -> list[tuple[str, str]]:
        return [("system", "System (no owner)"), ("people", "People's own")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> QuerySet[Exercise]:
        if self.value() == "system":
            return queryset.filter(owner__isnull=True)
        if self.value() == "people":
            return queryset.filter(owner__isnull=False)
        return queryset


@admin.register(Exercise)
class ExerciseAdmin(ScopedAdmin):
    """The library: system exercises for every staff member, people's own within the staff member's scope."""

    person_field = "owner"
    access_area = "training"
    list_display = ("name", "activity_type", "category", "equipment", "level", "owner", "visibility", "is_verified")
    list_filter = ("is_verified", "visibility", "source", "level", "equipment", "category", OwnerKindFilter)
    list_select_related = ("activity_type", "owner")
    search_fields = ("name", "external_id", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("external_id", "source", "usage_count", "created_at", "updated_at")
    exclude = ("search_vector",)
    actions = ("verify",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exercise]:
        queryset = self.unscoped_queryset(request)
        scope = self.people_scope(request)
        return queryset if scope is None else queryset.filter(scope | Q(owner__isnull=True))

    @admin.action(description="Verify the selected exercises", permissions=["change"])
    def verify(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        count = library_services.exercises_verify(exercises=queryset)
        self.message_user(request, f"Verified {count} exercise{'s' if count != 1 else ''}.", messages.SUCCESS)


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "display_order")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


class MetricTemplateInline(admin.TabularInline):
    model = MetricTemplate
    extra = 0
    fields = (
        "display_order",
        "name",
        "label",
        "unit",
        "input_type",
        "is_required",
        "min_value",
        "max_value",
        "validation_regex",
        "help_text",
    )


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    """Every type, people's private ones included (staff look for good ones to make public)."""

    list_display = ("name", "category", "is_public", "owner", "is_physical", "uses_exercises", "met")
    list_filter = ("is_public", "category", "is_physical", "uses_exercises")
    list_select_related = ("category", "owner")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("owner",)
    inlines = (MetricTemplateInline,)
    actions = ("make_public",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ActivityType]:
        return ActivityType.all_types.all()

    @admin.action(description="Make the selected activity types public", permissions=["change"])
    def make_public(self, request: HttpRequest, queryset: QuerySet[ActivityType]) -> None:
        from ..services.activity_types import activity_type_make_public

        for activity_type in queryset:
            try:
                activity_type_make_public(activity_type=activity_type)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"{activity_type.name} is public now.", messages.SUCCESS)
