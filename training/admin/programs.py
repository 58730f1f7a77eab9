"""Programs for staff: every official program and, within the staff member's scope, people's own; archive
and (un)mark official through the services; days edited one at a time with their exercises. Enrolments
are shown, never written here (they move through the enrolment services only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from accounts.admin.base import ReadOnlyAdmin, ScopedAdmin
from accounts.models import User
from fitjourney.hooks.scoping import visible_people_filter

from ..models import Enrollment, Program, ProgramExercise, ProgramSession
from ..selectors.program_checks import program_structure_problems
from ..services import official_programs as official_services

SESSION_INLINE_FIELDS = (
    "week",
    "day",
    "name",
    "activity_type",
    "estimated_duration_minutes",
    "target_duration_seconds",
    "target_distance_m",
    "target_intensity",
    "exercise_count",
)


def _programs_in_scope(request: HttpRequest, queryset: QuerySet[Any], path: str) -> QuerySet[Any]:
    """Official programs (no author) for every staff member, people's own for those who may see them (a
    trainer: their clients who share their training)."""
    scope = visible_people_filter(request.user, path, area="training")
    return queryset if scope is None else queryset.filter(scope | Q(**{f"{path}__isnull": True}))


class ProgramSessionInline(admin.TabularInline):
    """The grid at a glance: read-only rows, each linking to its day's page (where its exercises are)."""

    model = ProgramSession
    fields = SESSION_INLINE_FIELDS
    readonly_fields = SESSION_INLINE_FIELDS
    show_change_link = True
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgramSession]:
        # One query for every row: the type's name joined, the exercises counted.
        return (
            super()
            .get_queryset(request)
            .select_related("activity_type")
            .annotate(exercise_total=Count("exercises"))
            .order_by("week", "day")
        )

    @admin.display(description="exercises")
    def exercise_count(self, obj: ProgramSession) -> int:
        return getattr(obj, "exercise_total", 0)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Program)
class ProgramAdmin(ScopedAdmin):
    person_field = "author"
    access_area = "training"
    list_display = (
        "name",
        "is_official",
        "status",
        "visibility",
        "difficulty",
        "duration_weeks",
        "sessions_per_week",
        "usage_count",
        "author",
    )
    list_filter = ("is_official", "status", "difficulty", "visibility", "activity_types")
    list_select_related = ("author",)
    search_fields = ("name", "description")
    search_help_text = "Name, description or an exact tag."
    raw_id_fields = ("author",)
    filter_horizontal = ("activity_types",)
    readonly_fields = (
        "slug",
        "structure_problems",
        "usage_count",
        "published_at",
        "created_at",
        "updated_at",
        "deleted_at",
    )
    exclude = ("search_vector",)
    inlines = (ProgramSessionInline,)
    actions = ("archive", "mark_official", "unmark_official")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Program]:
        return _programs_in_scope(request, self.unscoped_queryset(request), "author")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Program], search_term: str
    ) -> tuple[QuerySet[Program], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        tag = " ".join(search_term.split()).lower()
        if tag:
            # Tags are stored lowercased; array containment uses no index here, but the admin's
            # catalogue is small and this only runs for a search.
            found |= queryset.filter(tags__contains=[tag])
        return found, may_have_duplicates

    @admin.display(description="structure problems")
    def structure_problems(self, obj: Program) -> str:
        if obj.pk is None:
            return "-"
        problems = program_structure_problems(obj)
        if not problems:
            return "None: every week has its days."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))

    def _actor(self, request: HttpRequest) -> User:
        assert isinstance(request.user, User)
        return request.user

    @admin.action(description="Archive the selected programs", permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Program]) -> None:
        count = official_services.programs_archive(actor=self._actor(request), programs=queryset)
        self.message_user(request, f"Archived {count} program{'s' if count != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Mark the selected programs official (and public)", permissions=["change"])
    def mark_official(self, request: HttpRequest, queryset: QuerySet[Program]) -> None:
        count, _ = official_services.programs_official_set(actor=self._actor(request), programs=queryset, official=True)
        self.message_user(request, f"Marked {count} program{'s' if count != 1 else ''} official.", messages.SUCCESS)

    @admin.action(description="Unmark the selected programs as official", permissions=["change"])
    def unmark_official(self, request: HttpRequest, queryset: QuerySet[Program]) -> None:
        count, kept = official_services.programs_official_set(
            actor=self._actor(request), programs=queryset, official=False
        )
        self.message_user(request, f"Unmarked {count} program{'s' if count != 1 else ''}.", messages.SUCCESS)
        if kept:
            self.message_user(
                request,
                f"{kept} shipped as reference data stay official: remove their file from training/data/programs.",
                messages.WARNING,
            )


class ProgramExerciseInline(admin.TabularInline):
    model = ProgramExercise
    extra = 0
    raw_id_fields = ("exercise",)
    fields = (
        "order",
        "exercise",
        "superset_group",
        "sets",
        "reps_min",
        "reps_max",
        "target_weight_kg",
        "percent_1rm",
        "target_rpe",
        "rest_seconds",
        "target_duration_seconds",
        "target_distance_m",
        "notes",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgramExercise]:
        return super().get_queryset(request).select_related("exercise")


@admin.register(ProgramSession)
class ProgramSessionAdmin(ScopedAdmin):
    """A program's day with its exercises (reached from the program's page)."""

    person_field = "program__author"
    access_area = "training"
    list_display = ("__str__", "program", "week", "day", "activity_type")
    list_select_related = ("program", "activity_type")
    list_filter = ("activity_type",)
    search_fields = ("program__name", "name")
    raw_id_fields = ("program",)
    inlines = (ProgramExerciseInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProgramSession]:
        return _programs_in_scope(request, self.unscoped_queryset(request), "program__author")

    def person_of(self, obj: Any) -> User | None:
        return obj.program.author if isinstance(obj, ProgramSession) else None


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    access_area = "training"
    list_display = ("user", "program", "status", "current_week", "current_day", "progress_pct", "start_date")
    list_filter = ("status",)
    list_select_related = ("user", "program")
    search_fields = ("user__email", "user__username", "program__name")
    date_hierarchy = "start_date"
