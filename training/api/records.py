"""API: the caller's personal records and streaks (read only). Ends with `urlpatterns`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.request_info import api_person
from fitjourney.api.serializers import error_schema
from fitjourney.units import METRIC, UnitSystem

from ..models import RECORD_VALUE_UNITS, PersonalRecord, RecordType, Streak
from ..presenters import record_value_text
from ..selectors.records import records_for_user, streaks_for_user
from .schema import SIGNED_IN


class PersonalRecordSerializer(serializers.ModelSerializer):
    """`value` and `previous_value` stay in the stored units (`unit`: kg, reps, m or s/km); the
    `*_display` fields are what the pages show, in the caller's unit system ("220.5 lb", "8:03 /mi")."""

    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    session_date = serializers.DateField(source="session.local_date", read_only=True)
    unit = serializers.SerializerMethodField(help_text="The unit of `value` and `previous_value`.")
    value_display = serializers.SerializerMethodField(help_text="The value in your units, as the pages show it.")
    previous_value_display = serializers.SerializerMethodField(
        help_text="The previous value in your units; null when this is the first record."
    )

    class Meta:
        model = PersonalRecord
        fields = [
            "id",
            "exercise",
            "exercise_name",
            "record_type",
            "value",
            "previous_value",
            "unit",
            "value_display",
            "previous_value_display",
            "session",
            "session_date",
            "set",
            "achieved_at",
        ]
        read_only_fields = fields

    def _who(self) -> UnitSystem:  # the caller (the pages' units), or metric outside a request
        request = self.context.get("request")
        return request.user if request is not None else METRIC

    def get_unit(self, record: PersonalRecord) -> str:
        return RECORD_VALUE_UNITS[RecordType(record.record_type)]

    def get_value_display(self, record: PersonalRecord) -> str:
        return record_value_text(record.record_type, record.value, self._who())

    def get_previous_value_display(self, record: PersonalRecord) -> str | None:
        if record.previous_value is None:
            return None
        return record_value_text(record.record_type, record.previous_value, self._who())


class RecordFilterSerializer(serializers.Serializer):
    exercise = serializers.UUIDField(required=False, help_text="Only records of this exercise.")


class StreakSerializer(serializers.ModelSerializer):
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True, default=None)

    class Meta:
        model = Streak
        fields = [
            "id",
            "activity_type",
            "activity_type_name",
            "current_length",
            "longest_length",
            "current_start",
            "last_active_date",
        ]
        read_only_fields = fields


class PersonalRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's personal records: values in kg, reps, m or seconds per km, and as the pages show them."""

    serializer_class = PersonalRecordSerializer

    def get_queryset(self) -> QuerySet[PersonalRecord]:
        if getattr(self, "swagger_fake_view", False):
            return PersonalRecord.objects.none()
        filters = RecordFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return records_for_user(user=api_person(self.request), exercise_id=filters.validated_data.get("exercise"))

    @extend_schema(
        parameters=[RecordFilterSerializer],
        responses={200: PersonalRecordSerializer(many=True), 400: error_schema("A filter is not valid."), **SIGNED_IN},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class StreakViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's streaks: overall (no activity type) first, then per activity type."""

    serializer_class = StreakSerializer
    pagination_class = None
    queryset = Streak.objects.none()  # for the schema; the list is streaks_for_user's (a list, not a query)

    @extend_schema(responses={200: StreakSerializer(many=True), **SIGNED_IN})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(StreakSerializer(streaks_for_user(user=api_person(request)), many=True).data)


router = SimpleRouter(use_regex_path=False)
router.register("records", PersonalRecordViewSet, basename="record")
router.register("streaks", StreakViewSet, basename="streak")

urlpatterns = router.urls
