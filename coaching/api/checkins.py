"""API: the caller's lifestyle check-ins (energy, stress, sleep; seed 003 lifestyle_baselines). Ends with
`urlpatterns`.

- GET/POST /checkins/ — newest first (`?from=` / `?to=` as YYYY-MM-DD, in the caller's time zone); POST
  records one (now, or at `recorded_at`, never in the future).
- GET/DELETE /checkins/{id}/.
- GET /checkins/trend/ — the last 30 days with averages (levels as 1 low – 3 high, sleep quality 1–4).

The data lives in accounts; these endpoints sit with coaching's daily-life API. Another person's
check-in is a 404. Writes go through accounts.services.lifestyle, as on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.profile import ENERGY_CHOICES, STRESS_CHOICES
from accounts.models import LifestyleBaseline
from accounts.models.lifestyle import DataSource
from accounts.models.profile import SleepQuality
from accounts.request_info import PersonApiRequest
from accounts.selectors import lifestyle as selectors
from accounts.selectors.lifestyle import LifestyleTrend
from accounts.services import lifestyle as services
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import QueryDateField, StrictSerializer, error_schemas


class CheckinSerializer(serializers.ModelSerializer):
    # The profile's choice sets, so the schema names one enum for each field name.
    energy_level = serializers.ChoiceField(choices=ENERGY_CHOICES, read_only=True)
    stress_level = serializers.ChoiceField(choices=STRESS_CHOICES, read_only=True)

    class Meta:
        model = LifestyleBaseline
        fields = [
            "id",
            "energy_level",
            "stress_level",
            "sleep_quality",
            "sleep_hours",
            "notes",
            "recorded_at",
            "data_source",
            "created_at",
        ]
        read_only_fields = fields


class CheckinInSerializer(StrictSerializer):
    energy_level = serializers.ChoiceField(choices=ENERGY_CHOICES)
    stress_level = serializers.ChoiceField(choices=STRESS_CHOICES)
    sleep_quality = serializers.ChoiceField(choices=SleepQuality.choices)
    sleep_hours = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=0, max_value=24, required=False, allow_null=True
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    recorded_at = serializers.DateTimeField(required=False, help_text="Now when left out; never in the future.")
    # Who recorded it is the server's to say (the person, here; a wearable integration on its own path):
    # a client sending it gets "This field is read-only."
    data_source = serializers.ChoiceField(choices=DataSource.choices, read_only=True)


class CheckinFilterSerializer(serializers.Serializer):
    date_from = QueryDateField(required=False)
    to = QueryDateField(required=False)

    def to_internal_value(self, data: Any) -> Any:
        data = {"date_from": data.get("from"), "to": data.get("to")}
        return super().to_internal_value({k: v for k, v in data.items() if v not in (None, "")})


class CheckinTrendSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    count = serializers.SerializerMethodField(help_text="How many check-ins the days hold.")
    average_sleep_hours = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    average_energy = serializers.FloatField(allow_null=True, help_text="1 low – 3 high.")
    average_stress = serializers.FloatField(allow_null=True, help_text="1 low – 3 high.")
    average_sleep_quality = serializers.FloatField(allow_null=True, help_text="1 poor – 4 excellent.")
    checkins = CheckinSerializer(many=True, help_text="Oldest first.")

    def get_count(self, trend: LifestyleTrend) -> int:
        return len(trend.checkins)


FILTER_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Only from this local date on (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Only up to this local date (YYYY-MM-DD)."),
]


def _start_of(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


class CheckinListView(APIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={200: CheckinSerializer(many=True), **error_schemas(400, 401, 403)},
        operation_id="checkins_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        filters = CheckinFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data, zone = filters.validated_data, request.user.zone
        checkins = selectors.lifestyle_checkins_for_user(
            user=request.user,
            since=_start_of(data["date_from"], zone) if data.get("date_from") else None,
            until=_start_of(data["to"] + dt.timedelta(days=1), zone)
            if data.get("to", dt.date.max) < dt.date.max
            else None,
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(checkins, request, view=self)
        return paginator.get_paginated_response(CheckinSerializer(page, many=True).data)

    @extend_schema(
        request=CheckinInSerializer,
        responses={201: CheckinSerializer, **error_schemas(400, 401, 403)},
        operation_id="checkins_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = CheckinInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkin = services.lifestyle_checkin_record(user=request.user, **serializer.validated_data)
        return Response(CheckinSerializer(checkin).data, status=status.HTTP_201_CREATED)


class CheckinTrendView(APIView):
    @extend_schema(responses={200: CheckinTrendSerializer, **error_schemas(401, 403)}, operation_id="checkins_trend")
    def get(self, request: PersonApiRequest) -> Response:
        return Response(CheckinTrendSerializer(selectors.lifestyle_trend(user=request.user)).data)


class CheckinDetailView(APIView):
    @extend_schema(responses={200: CheckinSerializer, **error_schemas(401, 403, 404)}, operation_id="checkins_retrieve")
    def get(self, request: PersonApiRequest, checkin_id: UUID) -> Response:
        checkin = selectors.lifestyle_checkin_get_for_user(user=request.user, checkin_id=checkin_id)
        return Response(CheckinSerializer(checkin).data)

    @extend_schema(responses={204: None, **error_schemas(401, 403, 404)}, operation_id="checkins_destroy")
    def delete(self, request: PersonApiRequest, checkin_id: UUID) -> Response:
        checkin = selectors.lifestyle_checkin_get_for_user(user=request.user, checkin_id=checkin_id)
        services.lifestyle_checkin_delete(user=request.user, checkin=checkin)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("checkins/", CheckinListView.as_view(), name="checkins"),
    path("checkins/trend/", CheckinTrendView.as_view(), name="checkin-trend"),
    path("checkins/<uuid:checkin_id>/", CheckinDetailView.as_view(), name="checkin"),
]
