"""API: programs — list and search (public and own), read with the whole tree, write the whole tree in one
request, publish, archive, copy, delete. Ends with `urlpatterns`.

Writes go through training.services.programs, the same services as the builder pages. A program's tree
is nested: weeks -> days -> exercises. Values are SI (`target_weight_kg`, `target_distance_m`,
`*_seconds`) and each answer echoes its units. POST /programs/ honours an `Idempotency-Key` like
POST /sessions/ (training.api.idempotency).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Goal as GoalCategory
from accounts.models import User
from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import StrictSerializer, error_schema

from ..models import Difficulty, Program, Visibility
from ..models.programs import (
    MAX_EXERCISES_PER_PROGRAM_SESSION,
    MAX_PERCENT_1RM,
    MAX_PROGRAM_WEEKS,
    MAX_SESSIONS_PER_WEEK,
    MAX_TEMPLATE_REPS,
    MAX_TEMPLATE_SETS,
)
from ..selectors import programs as selectors
from ..services import programs as services
from .idempotency import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_REUSED, idempotent_create
from .schema import INVALID, SIGNED_IN

NOT_FOUND = {404: error_schema("No such program of yours, or not one you may read.")}
IDEMPOTENCY_ENDPOINT = "POST /api/v1/programs/"
UNITS = {"weight": "kg", "distance": "m", "duration": "s", "percent_1rm": "%"}

# ---------------------------------------------------------------------------------------------------
# Output


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=None, read_only=True, **kwargs)


class UnitsOut(serializers.Serializer):
    weight = serializers.CharField(help_text="kg")
    distance = serializers.CharField(help_text="m")
    duration = serializers.CharField(help_text="s")
    percent_1rm = serializers.CharField(help_text="%")


class ProgramExerciseOut(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    exercise = serializers.UUIDField(source="exercise_id", read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    order = serializers.IntegerField(read_only=True)
    superset_group = serializers.IntegerField(read_only=True, allow_null=True)
    sets = serializers.IntegerField(read_only=True)
    reps_min = serializers.IntegerField(read_only=True, allow_null=True)
    reps_max = serializers.IntegerField(read_only=True, allow_null=True)
    target_weight_kg = _decimal(allow_null=True)
    percent_1rm = _decimal(allow_null=True)
    target_rpe = _decimal(allow_null=True)
    rest_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    target_duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    target_distance_m = _decimal(allow_null=True)
    notes = serializers.CharField(read_only=True)


class ProgramDayOut(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    day = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    activity_type = serializers.UUIDField(source="activity_type_id", read_only=True)
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    notes = serializers.CharField(read_only=True)
    estimated_duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    target_duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    target_distance_m = _decimal(allow_null=True)
    target_intensity = serializers.CharField(read_only=True)
    target_metrics = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text="By metric name, in the metric's unit."
    )
    exercises = ProgramExerciseOut(source="exercises.all", many=True, read_only=True)


class ProgramWeekOut(serializers.Serializer):
    week = serializers.IntegerField()
    days = ProgramDayOut(many=True)


class ProgramOut(serializers.Serializer):
    """A program as lists show it."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    activity_types = serializers.SerializerMethodField()
    difficulty = serializers.CharField(read_only=True, help_text="beginner, intermediate or advanced")
    duration_weeks = serializers.IntegerField(read_only=True)
    sessions_per_week = serializers.IntegerField(read_only=True)
    goals = serializers.ListField(child=serializers.CharField(), read_only=True)
    equipment = serializers.ListField(child=serializers.CharField(), read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)
    # Plain strings: a second choice field named "status" would clash with other enums in the schema.
    status = serializers.CharField(read_only=True, help_text="draft, active (published) or archived")
    visibility = serializers.CharField(read_only=True, help_text="private or public")
    is_official = serializers.BooleanField(read_only=True)
    author = serializers.UUIDField(source="author_id", read_only=True, allow_null=True)
    is_mine = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_activity_types(self, program: Program) -> list[str]:
        return [str(t.pk) for t in program.activity_types.all()]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_mine(self, program: Program) -> bool:
        user = self.context.get("user")
        return user is not None and program.author_id == user.pk


class ProgramDetailOut(ProgramOut):
    """A program with its weeks, their days and each day's exercises (prefetched: four queries)."""

    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    units = serializers.SerializerMethodField()
    weeks = serializers.SerializerMethodField()

    @extend_schema_field(UnitsOut)
    def get_units(self, program: Program) -> dict[str, str]:
        return UNITS

    @extend_schema_field(ProgramWeekOut(many=True))
    def get_weeks(self, program: Program) -> list[dict[str, Any]]:
        by_week: dict[int, list] = defaultdict(list)
        for ps in program.sessions.all():
            by_week[ps.week].append(ps)
        return [{"week": week, "days": ProgramDayOut(days, many=True).data} for week, days in sorted(by_week.items())]


class ProgramPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProgramOut(many=True)


# ---------------------------------------------------------------------------------------------------
# Input


def _int(low: int, high: int, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, min_value=low, max_value=high, **kwargs)


class ProgramExerciseIn(StrictSerializer):
    exercise = serializers.UUIDField()
    superset_group = _int(1, 999)
    sets = serializers.IntegerField(required=False, min_value=1, max_value=MAX_TEMPLATE_SETS, default=3)
    reps_min = _int(1, MAX_TEMPLATE_REPS)
    reps_max = _int(1, MAX_TEMPLATE_REPS)
    target_weight_kg = serializers.DecimalField(
        required=False, allow_null=True, max_digits=6, decimal_places=2, min_value=0, max_value=1000
    )
    percent_1rm = serializers.DecimalField(
        required=False, allow_null=True, max_digits=5, decimal_places=2, min_value=1, max_value=MAX_PERCENT_1RM
    )
    target_rpe = serializers.DecimalField(
        required=False, allow_null=True, max_digits=3, decimal_places=1, min_value=1, max_value=10
    )
    rest_seconds = _int(0, 3600)
    target_duration_seconds = _int(1, 24 * 3600)
    target_distance_m = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=2, min_value=0
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ProgramDayIn(StrictSerializer):
    day = serializers.IntegerField(min_value=1, max_value=MAX_SESSIONS_PER_WEEK)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    activity_type = serializers.UUIDField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    estimated_duration_minutes = _int(1, 24 * 60)
    target_duration_seconds = _int(1, 24 * 3600)
    target_distance_m = serializers.DecimalField(
        required=False, allow_null=True, max_digits=9, decimal_places=2, min_value=0
    )
    target_intensity = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    target_metrics = serializers.DictField(required=False, default=dict)
    exercises = ProgramExerciseIn(many=True, required=False, default=list)

    def validate_exercises(self, value: list) -> list:
        if len(value) > MAX_EXERCISES_PER_PROGRAM_SESSION:
            raise serializers.ValidationError(services.TOO_MANY_EXERCISES)
        return value


class ProgramWeekIn(StrictSerializer):
    week = serializers.IntegerField(min_value=1, max_value=MAX_PROGRAM_WEEKS)
    days = ProgramDayIn(many=True)


class ProgramIn(StrictSerializer):
    """A program and (optionally) its whole tree; `weeks` replaces every day of the program."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    activity_types = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=30)
    # Plain strings checked in validate(): two ChoiceFields with one choice set confuse the schema's enum names.
    difficulty = serializers.CharField(required=False, help_text="beginner, intermediate or advanced")
    duration_weeks = serializers.IntegerField(min_value=1, max_value=MAX_PROGRAM_WEEKS)
    sessions_per_week = serializers.IntegerField(min_value=1, max_value=MAX_SESSIONS_PER_WEEK)
    goals = serializers.ListField(
        child=serializers.CharField(), required=False, max_length=10, help_text=", ".join(GoalCategory.values)
    )
    equipment = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=30)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=30)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    is_official = serializers.BooleanField(required=False, help_text="Staff only; on create.")
    weeks = ProgramWeekIn(many=True, required=False)

    def validate_difficulty(self, value: str) -> str:
        if value not in Difficulty.values:
            raise serializers.ValidationError(f"Choose one of: {', '.join(Difficulty.values)}.")
        return value

    def validate_goals(self, value: list[str]) -> list[str]:
        unknown = [goal for goal in value if goal not in GoalCategory.values]
        if unknown:
            raise serializers.ValidationError(f"Unknown goal: {', '.join(unknown)}.")
        return value

    def validate_weeks(self, value: list) -> list:
        numbers = [w["week"] for w in value]
        if len(numbers) != len(set(numbers)):
            raise serializers.ValidationError("A week is listed twice.")
        return value


def _detail(user: User, program_id: UUID) -> dict[str, Any]:
    program = selectors.program_detail(user=user, program_id=program_id)
    return dict(ProgramDetailOut(program, context={"user": user}).data)


def _save(user: User, program: Program | None, data: dict[str, Any]) -> Program:
    data = dict(data)
    if program is not None:
        data.pop("is_official", None)
    return services.program_save_nested(user=user, program=program, data=data)


# ---------------------------------------------------------------------------------------------------
# Views


class ProgramListQuery(StrictSerializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    activity_type = serializers.UUIDField(required=False)
    difficulty = serializers.CharField(required=False, help_text="beginner, intermediate or advanced")
    weeks_min = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PROGRAM_WEEKS)
    weeks_max = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PROGRAM_WEEKS)
    equipment = serializers.CharField(required=False, allow_blank=True, max_length=40)
    mine = serializers.BooleanField(required=False, default=False, help_text="Only the programs you wrote.")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)

    def validate_difficulty(self, value: str) -> str:
        if value not in Difficulty.values:
            raise serializers.ValidationError(f"Choose one of: {', '.join(Difficulty.values)}.")
        return value


class ProgramListView(APIView):
    @extend_schema(
        operation_id="programs_list",
        parameters=[ProgramListQuery],
        responses={200: ProgramPageOut, **INVALID, **SIGNED_IN},
    )
    def get(self, request: PersonApiRequest) -> Response:
        """Published programs and your own (or `mine`: only yours, archived included), best match first
        for `q` (typos welcome). Three queries a page whatever the catalogue's size."""
        query = ProgramListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = {k: v for k, v in query.validated_data.items() if k not in ("page", "page_size")}
        qs = selectors.programs_browse(user=request.user, **filters)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProgramOut(page, many=True, context={"user": request.user}).data)

    @extend_schema(
        request=ProgramIn,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ProgramDetailOut, **INVALID, **SIGNED_IN, **IDEMPOTENCY_REUSED},
    )
    def post(self, request: PersonApiRequest) -> Response:
        """A new draft program with its whole tree, in one transaction."""

        def create() -> dict[str, Any]:
            serializer = ProgramIn(data=request.data)
            serializer.is_valid(raise_exception=True)
            program = _save(request.user, None, serializer.validated_data)
            return _detail(request.user, program.pk)

        return idempotent_create(request, endpoint=IDEMPOTENCY_ENDPOINT, create=create)


class ProgramDetailView(APIView):
    @extend_schema(responses={200: ProgramDetailOut, **SIGNED_IN, **NOT_FOUND})
    def get(self, request: PersonApiRequest, program_id: UUID) -> Response:
        return Response(_detail(request.user, program_id))

    def _write(self, request: PersonApiRequest, program_id: UUID, *, partial: bool) -> Response:
        program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
        serializer = ProgramIn(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        _save(request.user, program, serializer.validated_data)
        return Response(_detail(request.user, program_id))

    @extend_schema(request=ProgramIn, responses={200: ProgramDetailOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def put(self, request: PersonApiRequest, program_id: UUID) -> Response:
        """Replaces the program's fields and (with `weeks`) its whole tree."""
        return self._write(request, program_id, partial=False)

    @extend_schema(request=ProgramIn, responses={200: ProgramDetailOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def patch(self, request: PersonApiRequest, program_id: UUID) -> Response:
        """Changes the fields given; `weeks`, when given, replaces the whole tree."""
        return self._write(request, program_id, partial=True)

    @extend_schema(
        responses={
            204: None,
            **SIGNED_IN,
            **NOT_FOUND,
            400: error_schema("People follow the program: archive it instead."),
        }
    )
    def delete(self, request: PersonApiRequest, program_id: UUID) -> Response:
        program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
        services.program_delete(user=request.user, program=program)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgramPublishView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: ProgramDetailOut,
            400: error_schema(
                "Not publishable yet (or already published): `fields.non_field_errors` lists each week that "
                "is not complete."
            ),
            **SIGNED_IN,
            **NOT_FOUND,
        },
    )
    def post(self, request: PersonApiRequest, program_id: UUID) -> Response:
        program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
        services.program_publish(user=request.user, program=program)
        return Response(_detail(request.user, program_id))


class ProgramArchiveView(APIView):
    @extend_schema(request=None, responses={200: ProgramDetailOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, program_id: UUID) -> Response:
        program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
        services.program_archive(user=request.user, program=program)
        return Response(_detail(request.user, program_id))


class ProgramCopyView(APIView):
    @extend_schema(request=None, responses={201: ProgramDetailOut, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, program_id: UUID) -> Response:
        """Any program you may read becomes your own private draft."""
        program = selectors.program_detail(user=request.user, program_id=program_id)
        copy = services.program_copy(user=request.user, program=program)
        return Response(_detail(request.user, copy.pk), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("programs/", ProgramListView.as_view(), name="programs"),
    path("programs/<uuid:program_id>/", ProgramDetailView.as_view(), name="program"),
    path("programs/<uuid:program_id>/publish/", ProgramPublishView.as_view(), name="program-publish"),
    path("programs/<uuid:program_id>/archive/", ProgramArchiveView.as_view(), name="program-archive"),
    path("programs/<uuid:program_id>/copy/", ProgramCopyView.as_view(), name="program-copy"),
]
