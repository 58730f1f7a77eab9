"""API: habit templates, the caller's habits and their daily check-ins. Ends with `urlpatterns`.

- GET /habit-templates/ — the system templates and the caller's own.
- GET/POST /habits/ — the caller's habits (with streaks and the 30-day completion rate); POST creates,
  optionally from a `template` (its name, unit, tracking type, target and frequency are the defaults).
- GET/PATCH/DELETE /habits/{id}/ — DELETE is a soft delete.
- GET/POST /habits/{id}/logs/ — check-ins, newest first (`?from=`, `?to=` as YYYY-MM-DD). POST is an
  upsert of the day's check-in: 201 when it created the day's log, 200 when it updated it (a second
  check-in the same day never duplicates). Done-or-not habits take `completed`; number and duration
  habits `value` (completed = value ≥ target).
- GET/DELETE /habits/{id}/logs/{YYYY-MM-DD}/ — one day's check-in.

Every queryset is the caller's own: another person's habit is a 404. Writes go through
coaching.services.habits, the same services the pages use.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import QueryDateField, StrictSerializer, error_schemas
from fitjourney.dates import date_from_path

from ..models import Frequency, Habit, HabitCategory, HabitLog, HabitTemplate, TrackingType
from ..models.habits import MAX_VALUE
from ..selectors import habits as selectors
from ..services import habits as services

DAY_PARAMETER = OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD")


def category_field(**kwargs: Any) -> serializers.ChoiceField:
    """The habit category, described as a plain string in the schema: body metric types also have a
    "category" with other choices, and two enums of one field name collide in the schema's enum names."""
    choices = ", ".join(HabitCategory.values)

    @extend_schema_field({"type": "string", "description": f"One of: {choices}."})
    class CategoryField(serializers.ChoiceField):
        pass

    return CategoryField(choices=HabitCategory.choices, **kwargs)


def _day(value: str) -> dt.date:
    day = date_from_path(value)
    if day is None:
        raise NotFound()
    return day


# ---------------------------------------------------------------------------------------------------
# Output


class HabitTemplateSerializer(serializers.ModelSerializer):
    category = category_field(read_only=True)

    class Meta:
        model = HabitTemplate
        fields = [
            "id",
            "name",
            "description",
            "category",
            "tracking_type",
            "unit",
            "default_target",
            "frequency",
            "icon_name",
            "is_system",
        ]
        read_only_fields = fields


class HabitStatsSerializer(serializers.Serializer):
    current_streak = serializers.IntegerField(help_text="Consecutive due days (weeks) done, back from today.")
    best_streak = serializers.IntegerField()
    completion_rate = serializers.IntegerField(
        allow_null=True, help_text="Percent of due days (weeks) done in the last 30 days; null if none was due."
    )
    per = serializers.ChoiceField(choices=["day", "week"], help_text="What a streak counts.")
    total_completed = serializers.IntegerField()


class HabitLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = HabitLog
        fields = ["id", "log_date", "completed", "value", "notes", "logged_at", "created_at", "updated_at"]
        read_only_fields = fields


class HabitSerializer(serializers.ModelSerializer):
    stats = HabitStatsSerializer(read_only=True)
    today_log = HabitLogSerializer(source="log", read_only=True, allow_null=True, help_text="Today's check-in.")
    category = category_field(read_only=True)

    class Meta:
        model = Habit
        fields = ["id", "template", *services.HABIT_FIELDS, "stats", "today_log", "created_at", "updated_at"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------------
# Input


class HabitUpdateSerializer(StrictSerializer):
    """The fields of coaching.services.habits.HABIT_FIELDS, each optional (PATCH)."""

    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    category = category_field(required=False)
    tracking_type = serializers.ChoiceField(choices=TrackingType.choices, required=False)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    target_value = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, max_value=MAX_VALUE, required=False, allow_null=True
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=7),
        required=False,
        max_length=7,
        help_text="ISO weekdays (1 = Monday) for frequency custom.",
    )
    reminder_time = serializers.TimeField(required=False, allow_null=True, help_text="Local time.")
    is_active = serializers.BooleanField(required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)


class HabitCreateSerializer(HabitUpdateSerializer):
    template = serializers.UUIDField(required=False, allow_null=True, help_text="A habit template to start from.")


class HabitLogInSerializer(StrictSerializer):
    log_date = serializers.DateField(help_text="Your local date; not in the future, not before the start.")
    completed = serializers.BooleanField(required=False, allow_null=True, help_text="For done-or-not habits.")
    value = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=0,
        max_value=MAX_VALUE,
        required=False,
        allow_null=True,
        help_text="For number and duration habits, in the habit's unit.",
    )
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class HabitLogFilterSerializer(serializers.Serializer):
    # "from" is a keyword: declared under a Python-safe name and renamed below.
    date_from = QueryDateField(required=False, help_text="Only from this date on (YYYY-MM-DD).")
    to = QueryDateField(required=False, help_text="Only up to this date (YYYY-MM-DD).")

    def to_internal_value(self, data: Any) -> Any:
        data = {"date_from": data.get("from"), "to": data.get("to")}
        return super().to_internal_value({k: v for k, v in data.items() if v not in (None, "")})


FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Only from this date on (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Only up to this date (YYYY-MM-DD)."),
]


def _template(user: User, template_id: UUID | None) -> HabitTemplate | None:
    if template_id is None:
        return None
    template = selectors.habit_templates_for_user(user=user).filter(pk=template_id).first()
    if template is None:
        raise serializers.ValidationError({"template": ["Template not found."]})
    return template


def _habit_out(request: PersonApiRequest, habit: Habit) -> Any:
    # The caller's own date: a token request has no time zone activated by the middleware.
    [habit] = selectors.habits_with_stats(habits=[habit], today=request.user.local_today())
    return HabitSerializer(habit).data


# ---------------------------------------------------------------------------------------------------
# Views


class HabitTemplateListView(APIView):
    @extend_schema(
        responses={200: HabitTemplateSerializer(many=True), **error_schemas(401, 403)},
        operation_id="habit_templates_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        """The system templates and the caller's own, system ones first. Not paginated (a handful)."""
        templates = selectors.habit_templates_for_user(user=request.user)
        return Response(HabitTemplateSerializer(templates, many=True).data)


class HabitListView(APIView):
    @extend_schema(responses={200: HabitSerializer(many=True), **error_schemas(401, 403)}, operation_id="habits_list")
    def get(self, request: PersonApiRequest) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.habits_for_user(user=request.user), request, view=self) or []
        habits = selectors.habits_with_stats(habits=page, today=request.user.local_today())
        return paginator.get_paginated_response(HabitSerializer(habits, many=True).data)

    @extend_schema(
        request=HabitCreateSerializer,
        responses={201: HabitSerializer, **error_schemas(400, 401, 403)},
        operation_id="habits_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = HabitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        template = _template(request.user, fields.pop("template", None))
        habit = services.habit_create(user=request.user, template=template, **fields)
        return Response(_habit_out(request, habit), status=status.HTTP_201_CREATED)


class HabitDetailView(APIView):
    @extend_schema(responses={200: HabitSerializer, **error_schemas(401, 403, 404)}, operation_id="habits_retrieve")
    def get(self, request: PersonApiRequest, habit_id: UUID) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        return Response(_habit_out(request, habit))

    @extend_schema(
        request=HabitUpdateSerializer,
        responses={200: HabitSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="habits_partial_update",
    )
    def patch(self, request: PersonApiRequest, habit_id: UUID) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        serializer = HabitUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        habit = services.habit_update(user=request.user, habit=habit, **serializer.validated_data)
        return Response(_habit_out(request, habit))

    @extend_schema(responses={204: None, **error_schemas(401, 403, 404)}, operation_id="habits_destroy")
    def delete(self, request: PersonApiRequest, habit_id: UUID) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        services.habit_delete(user=request.user, habit=habit)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HabitLogListView(APIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={200: HabitLogSerializer(many=True), **error_schemas(400, 401, 403, 404)},
        operation_id="habit_logs_list",
    )
    def get(self, request: PersonApiRequest, habit_id: UUID) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        filters = HabitLogFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        logs = selectors.habit_logs_in_range(
            habit=habit, date_from=filters.validated_data.get("date_from"), date_to=filters.validated_data.get("to")
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(logs, request, view=self)
        return paginator.get_paginated_response(HabitLogSerializer(page, many=True).data)

    @extend_schema(
        request=HabitLogInSerializer,
        responses={200: HabitLogSerializer, 201: HabitLogSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="habit_logs_upsert",
        description="Records the day's check-in: 201 when new, 200 when it updated that day's check-in.",
    )
    def post(self, request: PersonApiRequest, habit_id: UUID) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        serializer = HabitLogInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        log = services.habit_log_set(
            user=request.user,
            habit=habit,
            log_date=data["log_date"],
            completed=data.get("completed"),
            value=data.get("value"),
            notes=data.get("notes"),
        )
        code = status.HTTP_201_CREATED if log.was_created else status.HTTP_200_OK
        return Response(HabitLogSerializer(log).data, status=code)


class HabitLogDetailView(APIView):
    @extend_schema(
        parameters=[DAY_PARAMETER],
        responses={200: HabitLogSerializer, **error_schemas(401, 403, 404)},
        operation_id="habit_logs_retrieve",
    )
    def get(self, request: PersonApiRequest, habit_id: UUID, day: str) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        return Response(HabitLogSerializer(selectors.habit_log_get(habit=habit, log_date=_day(day))).data)

    @extend_schema(
        parameters=[DAY_PARAMETER],
        responses={204: None, **error_schemas(401, 403, 404)},
        operation_id="habit_logs_destroy",
    )
    def delete(self, request: PersonApiRequest, habit_id: UUID, day: str) -> Response:
        habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
        if not services.habit_log_delete(user=request.user, habit=habit, log_date=_day(day)):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("habit-templates/", HabitTemplateListView.as_view(), name="habit-templates"),
    path("habits/", HabitListView.as_view(), name="habits"),
    path("habits/<uuid:habit_id>/", HabitDetailView.as_view(), name="habit"),
    path("habits/<uuid:habit_id>/logs/", HabitLogListView.as_view(), name="habit-logs"),
    path("habits/<uuid:habit_id>/logs/<str:day>/", HabitLogDetailView.as_view(), name="habit-log"),
]
