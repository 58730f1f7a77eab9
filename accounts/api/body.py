"""The caller's body measurements and the kinds of measurement: serializers, views and `urlpatterns`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from fitjourney.api.serializers import StrictSerializer, error_schemas

from ..models import BodyMetric, BodyMetricType
from ..presenters import body_value_display
from ..request_info import request_user
from ..selectors import body as selectors
from ..services import body as services


class BodyMetricTypeSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="The base unit values are stored in.")
    unit_symbol = serializers.CharField(source="unit.symbol", read_only=True)

    class Meta:
        model = BodyMetricType
        fields = ["code", "name", "category", "unit", "unit_symbol", "min_value", "max_value", "description"]
        read_only_fields = fields


class BodyMetricSerializer(serializers.ModelSerializer):
    """A measurement in its type's base unit (`value`, `unit`), echoed in the caller's units (`value_display`)."""

    unit = serializers.CharField(source="metric_type.unit.code", read_only=True, help_text="The base unit.")
    value_display = serializers.SerializerMethodField(
        help_text='The value in the caller\'s units (their `unit_system`): "80.5 kg" or "177.5 lb", "82.5 cm" or '
        '"32.5 in"; percentages as they are ("18.5 %").'
    )

    class Meta:
        model = BodyMetric
        fields = [
            "id",
            "metric_type",
            "value",
            "unit",
            "value_display",
            "measured_at",
            "local_date",
            "recorded_by",
            "notes",
            "created_at",
        ]
        read_only_fields = fields

    def get_value_display(self, metric: BodyMetric) -> str:
        # The caller's own measurements only, so the caller's unit system (no query for the owner).
        return body_value_display(metric, request_user(self.context["request"]))


class BodyMetricCreateSerializer(StrictSerializer):
    metric_type = serializers.CharField(max_length=30, help_text='A type code, e.g. "weight", "body_fat", "waist".')
    value = serializers.DecimalField(max_digits=10, decimal_places=4, min_value=0)
    unit = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="A unit code (kg, lb, cm, in…); the base unit if empty.",
    )
    measured_at = serializers.DateTimeField(required=False, help_text="Now if empty.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BodyMetricFilterSerializer(serializers.Serializer):
    type = serializers.CharField(required=False, max_length=30, help_text="Only this type code.")


class BodyMetricViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's measurements, newest first, in each type's base unit. POST converts from `unit`;
    a second weight on the same local day replaces that day's weight. Another person's entry is a 404."""

    serializer_class = BodyMetricSerializer
    lookup_value_converter = "uuid"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return BodyMetric.objects.none()
        if self.action == "list":
            filters = BodyMetricFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.body_metrics_for_user(
                user=request_user(self.request), metric_type=filters.validated_data.get("type")
            )
        return selectors.body_metrics_for_user(user=request_user(self.request))

    @extend_schema(parameters=[BodyMetricFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=BodyMetricCreateSerializer, responses={201: BodyMetricSerializer, **error_schemas(400)})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = BodyMetricCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request_user(request)
        metric = services.body_metric_record(user=user, **serializer.validated_data)
        metric = selectors.body_metrics_for_user(user=user).get(pk=metric.pk)
        return Response(self.get_serializer(metric).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **error_schemas(404)})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.body_metric_delete(metric=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class BodyMetricTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every kind of body measurement with its base unit and allowed range."""

    serializer_class = BodyMetricTypeSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Any]:
        return BodyMetricType.objects.select_related("unit").order_by("display_order", "name")


router = SimpleRouter(use_regex_path=False)
router.register("body-metrics", BodyMetricViewSet, basename="body-metric")
router.register("body-metric-types", BodyMetricTypeViewSet, basename="body-metric-type")

urlpatterns = router.urls
