"""API: the exercise library, activity types with their metric templates, and units.

Ends with `urlpatterns`. Reads go through training.selectors.library, the write through the same
service the page uses (training.services.library.exercise_create).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.models import Unit
from accounts.request_info import PersonApiRequest, api_person
from fitjourney.api.serializers import StrictSerializer

from ..forms import MUSCLES
from ..models import ActivityType, Exercise, Level, MetricTemplate, Visibility
from ..selectors import library as selectors
from ..services import library as services

# Serializers


class UnitSerializer(serializers.ModelSerializer):
    type = serializers.CharField(read_only=True, help_text="weight, length, time, count, speed, energy…")

    class Meta:
        model = Unit
        fields = ["code", "name", "symbol", "type", "factor", "is_base"]
        read_only_fields = fields


class MetricTemplateSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MetricTemplate
        fields = [
            "name",
            "label",
            "unit",
            "input_type",
            "is_required",
            "display_order",
            "min_value",
            "max_value",
            "validation_regex",
            "help_text",
        ]
        read_only_fields = fields


class ActivityTypeSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    metric_templates = MetricTemplateSerializer(many=True, read_only=True)

    class Meta:
        model = ActivityType
        fields = [
            "id",
            "slug",
            "name",
            "category",
            "description",
            "is_physical",
            "has_duration",
            "has_intensity",
            "uses_exercises",
            "met",
            "metric_templates",
        ]
        read_only_fields = fields


class ExerciseListSerializer(serializers.ModelSerializer):
    activity_type = serializers.UUIDField(source="activity_type_id", read_only=True)
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    is_own = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "id",
            "name",
            "activity_type",
            "activity_type_name",
            "category",
            "equipment",
            "level",
            "primary_muscles",
            "visibility",
            "is_verified",
            "is_own",
            "source",
        ]
        read_only_fields = fields

    def get_is_own(self, obj: Exercise) -> bool:
        request = self.context.get("request")
        return bool(request and obj.owner_id == request.user.pk)


class ExerciseSerializer(ExerciseListSerializer):
    class Meta(ExerciseListSerializer.Meta):
        fields = [
            *ExerciseListSerializer.Meta.fields,
            "description",
            "instructions",
            "secondary_muscles",
            "mechanic",
            "force",
            "images",
            "met",
            "tracks_sets",
            "tracks_reps",
            "tracks_weight",
            "tracks_duration",
            "tracks_distance",
            "created_at",
        ]
        read_only_fields = fields


class ExerciseFilterSerializer(serializers.Serializer):
    """Query parameters of the list (not strict: `page` and `page_size` travel with them)."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="Search as you type.")
    muscle = serializers.CharField(required=False, allow_blank=True, max_length=40)
    equipment = serializers.CharField(required=False, allow_blank=True, max_length=40)
    category = serializers.CharField(required=False, allow_blank=True, max_length=40)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    activity_type = serializers.UUIDField(required=False, allow_null=True)


class ExerciseCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    activity_type = serializers.PrimaryKeyRelatedField(queryset=ActivityType.objects.all())
    category = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    instructions = serializers.ListField(child=serializers.CharField(max_length=1000), required=False, max_length=50)
    primary_muscles = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, help_text=f"Any of: {', '.join(MUSCLES)}."
    )
    secondary_muscles = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, help_text=f"Any of: {', '.join(MUSCLES)}."
    )
    equipment = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True, default="")
    met = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=Decimal("0.1"), max_value=Decimal("24.99"), required=False
    )
    tracks_sets = serializers.BooleanField(required=False, default=True)
    tracks_reps = serializers.BooleanField(required=False, default=True)
    tracks_weight = serializers.BooleanField(required=False, default=True)
    tracks_duration = serializers.BooleanField(required=False, default=False)
    tracks_distance = serializers.BooleanField(required=False, default=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False, default=Visibility.PRIVATE)

    def _muscles(self, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(MUSCLES))
        if unknown:
            raise serializers.ValidationError(f"Unknown muscle: {', '.join(unknown)}. Use: {', '.join(MUSCLES)}.")
        return value

    def validate_primary_muscles(self, value: list[str]) -> list[str]:
        return self._muscles(value)

    def validate_secondary_muscles(self, value: list[str]) -> list[str]:
        return self._muscles(value)


# Views


class ExerciseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Exercises the caller may see (system, shared, own). Another person's private exercise is a 404."""

    lookup_value_converter = "uuid"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "list":
            return ExerciseListSerializer
        if self.action == "create":
            return ExerciseCreateSerializer
        return ExerciseSerializer

    def get_queryset(self) -> QuerySet[Exercise]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return Exercise.objects.none()
        user = api_person(self.request)
        if self.action == "list":
            filters = ExerciseFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            data = filters.validated_data
            return selectors.exercises_search(
                user=user,
                q=data.get("q") or "",
                muscle=data.get("muscle") or None,
                equipment=data.get("equipment") or None,
                category=data.get("category") or None,
                level=data.get("level") or None,
                activity_type=data.get("activity_type") or None,
                limit=None,
            )
        return selectors.exercises_visible(user=user).select_related("activity_type")

    @extend_schema(parameters=[ExerciseFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ExerciseCreateSerializer, responses={201: ExerciseSerializer})
    def create(self, request: PersonApiRequest, *args: Any, **kwargs: Any) -> Response:
        incoming = ExerciseCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        exercise = services.exercise_create(owner=request.user, **incoming.validated_data)
        exercise = selectors.exercise_get_visible(user=request.user, exercise_id=exercise.pk)
        body = ExerciseSerializer(exercise, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ActivityTypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every activity type with the metrics a session of it records (and their units)."""

    serializer_class = ActivityTypeSerializer
    lookup_value_converter = "uuid"

    def get_queryset(self) -> QuerySet[ActivityType]:
        return selectors.activity_types_with_templates()


class UnitViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Units of measure; values are stored in the base unit of their type (base = value × factor)."""

    serializer_class = UnitSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.units_list()


router = SimpleRouter(use_regex_path=False)
router.register("exercises", ExerciseViewSet, basename="exercise")
router.register("activity-types", ActivityTypeViewSet, basename="activity-type")
router.register("units", UnitViewSet, basename="unit")

urlpatterns = router.urls
