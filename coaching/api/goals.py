"""API: the caller's goals. Ends with `urlpatterns`.

- GET/POST /goals/ — the caller's goals (`?status=` active by default, or achieved/abandoned/expired/all);
  POST sets one (`target_value` or a signed `change`, in SI: kg, m, kcal, g, %, sessions).
- GET/PATCH/DELETE /goals/{id}/ — PATCH changes title, target_value, target_date, priority, explanation.
- GET /goals/{id}/progress/ — current value, percent, projection and the weekly chart series.
- GET /goals/{id}/milestones/ — the milestones.
- POST /goals/{id}/abandon/ — sets an active goal aside.

Values come in SI and, beside them, in the person's units (`*_display`). Every goal is the caller's own:
another person's is a 404. Writes go through coaching.services.goals, as the pages do.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import StrictSerializer, error_schemas

from ..goal_display import value_text
from ..models import Direction, Goal, GoalMetric, GoalMilestone, GoalStatus
from ..selectors.goals import GoalProgress, goal_get_for_user, goals_for_user, goals_progress
from ..services import goals as services


def _value(**kwargs: Any) -> serializers.DecimalField:
    """A goal value in SI, as the goal's columns hold it (13 digits, 3 places)."""
    return serializers.DecimalField(max_digits=13, decimal_places=3, **kwargs)


class GoalMilestoneSerializer(serializers.ModelSerializer[GoalMilestone]):
    class Meta:
        model = GoalMilestone
        fields = ("id", "percent", "value", "target_date", "achieved_at")


class GoalSerializer(serializers.ModelSerializer[Goal]):
    target_display = serializers.SerializerMethodField()
    start_display = serializers.SerializerMethodField()
    milestones = GoalMilestoneSerializer(many=True, read_only=True)
    # A plain string in the schema: the profile's goal categories already have an enum under other names.
    category = serializers.CharField(read_only=True, help_text="The profile goal it serves (fat_loss, strength…).")

    class Meta:
        model = Goal
        fields = (
            "id",
            "title",
            "role",
            "category",
            "kind",
            "metric",
            "direction",
            "unit",
            "start_value",
            "target_value",
            "current_value",
            "start_display",
            "target_display",
            "exercise",
            "habit",
            "activity_type",
            "start_date",
            "target_date",
            "frequency_per_week",
            "priority",
            "status",
            "explanation",
            "achieved_at",
            "created_at",
            "milestones",
        )

    def get_target_display(self, goal: Goal) -> str:
        return value_text(goal.target_value, goal.unit, self.context["user"]) if goal.metric else ""

    def get_start_display(self, goal: Goal) -> str:
        return value_text(goal.start_value, goal.unit, self.context["user"]) if goal.metric else ""


class SeriesPointSerializer(serializers.Serializer):
    week = serializers.DateField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)


class GoalProgressSerializer(serializers.Serializer):
    current = _value(allow_null=True)
    current_display = serializers.CharField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    reached = serializers.BooleanField()
    projection = serializers.DateField(allow_null=True, help_text="At the current rate; null: not at this rate.")
    period = serializers.CharField()
    rate_per_week = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    series = SeriesPointSerializer(many=True)


class GoalCreateSerializer(StrictSerializer):
    metric = serializers.ChoiceField(choices=GoalMetric.choices)
    target_value = _value(required=False, allow_null=True)
    change = _value(required=False, allow_null=True)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False, allow_blank=True)
    exercise = serializers.UUIDField(required=False, allow_null=True)
    habit = serializers.UUIDField(required=False, allow_null=True)
    activity_type = serializers.UUIDField(required=False, allow_null=True)
    target_date = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    priority = serializers.IntegerField(required=False, min_value=1, max_value=99)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class GoalUpdateSerializer(StrictSerializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    target_value = _value(required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.IntegerField(required=False, min_value=1, max_value=99)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _out(request: PersonApiRequest, goal: Goal) -> dict[str, Any]:
    return dict(GoalSerializer(goal, context={"user": request.user}).data)


def _progress_out(request: PersonApiRequest, progress: GoalProgress) -> dict[str, Any]:
    goal = progress.goal
    data = {
        "current": progress.current,
        "current_display": value_text(progress.current, goal.unit, request.user),
        "percent": progress.percent,
        "reached": progress.reached,
        "projection": progress.projection,
        "period": progress.period,
        "rate_per_week": progress.rate_per_week,
        "series": [{"week": day, "value": value} for day, value in progress.series],
    }
    return dict(GoalProgressSerializer(data).data)


STATUS_PARAMETER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=[*GoalStatus.values, "all"], description="Default: active."
)


class GoalListView(APIView):
    @extend_schema(
        parameters=[STATUS_PARAMETER],
        responses={200: GoalSerializer(many=True), **error_schemas(401, 403)},
        operation_id="goals_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        wanted = request.query_params.get("status") or GoalStatus.ACTIVE
        goals = goals_for_user(user=request.user, status=None if wanted == "all" else wanted)
        if wanted != "all" and wanted not in GoalStatus.values:
            goals = goals.none()
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(goals, request, view=self) or []
        return paginator.get_paginated_response(GoalSerializer(page, many=True, context={"user": request.user}).data)

    @extend_schema(
        request=GoalCreateSerializer,
        responses={201: GoalSerializer, **error_schemas(400, 401, 403)},
        operation_id="goals_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = GoalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}
        goal = services.goal_create(user=request.user, **fields)
        goal = goal_get_for_user(user=request.user, goal_id=goal.pk)
        return Response(_out(request, goal), status=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    @extend_schema(responses={200: GoalSerializer, **error_schemas(401, 403, 404)}, operation_id="goals_retrieve")
    def get(self, request: PersonApiRequest, goal_id: UUID) -> Response:
        return Response(_out(request, goal_get_for_user(user=request.user, goal_id=goal_id)))

    @extend_schema(
        request=GoalUpdateSerializer,
        responses={200: GoalSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="goals_partial_update",
    )
    def patch(self, request: PersonApiRequest, goal_id: UUID) -> Response:
        goal = goal_get_for_user(user=request.user, goal_id=goal_id)
        serializer = GoalUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.goal_update(goal=goal, changes=serializer.validated_data)
        return Response(_out(request, goal_get_for_user(user=request.user, goal_id=goal_id)))

    @extend_schema(responses={204: None, **error_schemas(401, 403, 404)}, operation_id="goals_destroy")
    def delete(self, request: PersonApiRequest, goal_id: UUID) -> Response:
        services.goal_delete(goal=goal_get_for_user(user=request.user, goal_id=goal_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class GoalProgressView(APIView):
    @extend_schema(
        responses={200: GoalProgressSerializer, **error_schemas(400, 401, 403, 404)}, operation_id="goals_progress"
    )
    def get(self, request: PersonApiRequest, goal_id: UUID) -> Response:
        goal = goal_get_for_user(user=request.user, goal_id=goal_id)
        progress = goals_progress(user=request.user, goals=[goal]).get(goal.pk)
        if progress is None:
            raise serializers.ValidationError({"metric": ["This goal is not measured."]})
        return Response(_progress_out(request, progress))


class GoalMilestonesView(APIView):
    @extend_schema(
        responses={200: GoalMilestoneSerializer(many=True), **error_schemas(401, 403, 404)},
        operation_id="goals_milestones",
    )
    def get(self, request: PersonApiRequest, goal_id: UUID) -> Response:
        goal = goal_get_for_user(user=request.user, goal_id=goal_id)
        return Response(GoalMilestoneSerializer(goal.milestones.all(), many=True).data)


class GoalAbandonView(APIView):
    @extend_schema(
        request=None, responses={200: GoalSerializer, **error_schemas(400, 401, 403, 404)}, operation_id="goals_abandon"
    )
    def post(self, request: PersonApiRequest, goal_id: UUID) -> Response:
        goal = goal_get_for_user(user=request.user, goal_id=goal_id)
        services.goal_abandon(goal=goal)
        return Response(_out(request, goal))


urlpatterns = [
    path("goals/", GoalListView.as_view(), name="goals"),
    path("goals/<uuid:goal_id>/", GoalDetailView.as_view(), name="goal"),
    path("goals/<uuid:goal_id>/progress/", GoalProgressView.as_view(), name="goal-progress"),
    path("goals/<uuid:goal_id>/milestones/", GoalMilestonesView.as_view(), name="goal-milestones"),
    path("goals/<uuid:goal_id>/abandon/", GoalAbandonView.as_view(), name="goal-abandon"),
]
