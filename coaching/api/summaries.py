"""API: the caller's daily and weekly summaries (read only). Ends with `urlpatterns`.

GET /summaries/daily/?from=&to=          the caller's days (default: the last 30 days up to their today)
GET /summaries/daily/<date>/             one day (404 when that day has no summary)
GET /summaries/weekly/?from=&to=         the weeks overlapping the range (default: the last 12 weeks)
GET /summaries/weekly/<week_start>/      one Monday-to-Sunday week (404 unless a stored week starts then)

Values are stored and shown in SI units, like the rest of the API (kg, ml, kcal, g). A range is at most
366 days; `from` after `to`, or a longer range, is a 400. `pending` says a refresh of the day (or of one of
the week's days) is queued: its values are about to change. Another person's summaries do not exist here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound

from accounts.request_info import PersonApiRequest
from fitjourney.api.serializers import QueryDateField, error_schemas
from fitjourney.dates import date_from_path

from ..models import DailySummary, WeeklySummary
from ..selectors import summaries as selectors
from ..services.summaries import DAILY_FIELDS, WEEKLY_FIELDS

MAX_RANGE_DAYS = 366
DEFAULT_DAYS = 30
DEFAULT_WEEKS = 12


# ---------------------------------------------------------------------------------------------------
# Serializers


class DailySummarySerializer(serializers.ModelSerializer):
    net_calories = serializers.IntegerField(read_only=True, help_text="Calories eaten minus calories burned.")
    pending = serializers.SerializerMethodField(help_text="A refresh of this day is queued: values may change.")

    class Meta:
        model = DailySummary
        fields = ["date", *DAILY_FIELDS, "net_calories", "refreshed_at", "pending"]
        read_only_fields = fields
        extra_kwargs = {
            "workouts": {"help_text": "Finished sessions of physical activities."},
            "other_activities": {"help_text": "Finished sessions of non-physical activities (painting, chess…)."},
            "active_minutes": {"help_text": "Minutes of the workouts (not of other activities)."},
            "calories_burned": {"help_text": "Calories of the workouts (not of other activities)."},
        }

    def get_pending(self, obj: DailySummary) -> bool:
        return obj.date in self.context.get("pending_dates", ())


class WeeklySummarySerializer(serializers.ModelSerializer):
    weight_change_kg = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, allow_null=True, help_text="End weight minus start weight."
    )
    pending = serializers.SerializerMethodField(help_text="A refresh of one of its days is queued.")

    class Meta:
        model = WeeklySummary
        fields = ["week_start", *WEEKLY_FIELDS, "weight_change_kg", "refreshed_at", "pending"]
        read_only_fields = fields
        extra_kwargs = {
            "workouts": {"help_text": "Finished sessions of physical activities."},
            "other_activities": {"help_text": "Finished sessions of non-physical activities (painting, chess…)."},
            "workout_days": {"help_text": "Days with a workout."},
            "avg_calories_eaten": {"help_text": "Over the days with food logged."},
            "avg_protein_g": {"help_text": "Over the days with food logged."},
            "avg_carbohydrate_g": {"help_text": "Over the days with food logged."},
            "avg_fat_g": {"help_text": "Over the days with food logged."},
            "avg_water_ml": {"help_text": "Over the days with water logged."},
            "start_weight_kg": {"help_text": "The first weight recorded in the week."},
            "end_weight_kg": {"help_text": "The last weight recorded in the week."},
            "habit_completion_rate": {"help_text": "Completed of due habits over the week, in %; null if none due."},
        }

    def get_pending(self, obj: WeeklySummary) -> bool:
        pending = self.context.get("pending_dates", ())
        return any(obj.week_start + dt.timedelta(days=n) in pending for n in range(7))


class DateRangeQuery(serializers.Serializer):
    """`from` and `to` (both optional, inclusive). Not strict: `page` and `page_size` travel with them."""

    to = QueryDateField(required=False, help_text="Last day (YYYY-MM-DD); your today when omitted.")

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        return {"from": QueryDateField(required=False, help_text="First day (YYYY-MM-DD)."), **fields}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end:
            if start > end:
                raise serializers.ValidationError({"from": ["Choose a first day on or before the last day."]})
            if (end - start).days + 1 > MAX_RANGE_DAYS:
                raise serializers.ValidationError({"to": [f"Ask for at most {MAX_RANGE_DAYS} days at a time."]})
        return attrs


# ---------------------------------------------------------------------------------------------------
# Views


class _RangeListView(generics.ListAPIView):
    request: PersonApiRequest
    # The first day when `from` is left out, from the last day.
    default_start: Callable[[dt.date], dt.date] = staticmethod(lambda end: end)

    def _range(self) -> tuple[dt.date, dt.date]:
        if not hasattr(self, "_dates"):
            query = DateRangeQuery(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            end = query.validated_data.get("to") or self.request.user.local_today()
            start = query.validated_data.get("from") or self.default_start(end)
            if start > end or (end - start).days + 1 > MAX_RANGE_DAYS:
                raise serializers.ValidationError(
                    {"from": [f"Ask for at most {MAX_RANGE_DAYS} days, first day first."]}
                )
            self._dates = (start, end)
        return self._dates

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if getattr(self, "swagger_fake_view", False) or not self.request.user.is_authenticated:
            return context
        start, end = self._range()
        if self.serializer_class is WeeklySummarySerializer:
            start, end = start - dt.timedelta(days=start.weekday()), end + dt.timedelta(days=6 - end.weekday())
        context["pending_dates"] = selectors.summaries_pending_dates(user=self.request.user, start=start, end=end)
        return context


@extend_schema(
    parameters=[DateRangeQuery],
    summary="Your daily summaries, oldest first",
    responses={200: DailySummarySerializer(many=True), **error_schemas(400, 401, 403)},
)
class DailySummaryListView(_RangeListView):
    """The caller's days from `from` to `to` (default: the 30 days up to their today). Days with nothing
    logged have no summary."""

    serializer_class = DailySummarySerializer
    default_start = staticmethod(lambda end: end - dt.timedelta(days=DEFAULT_DAYS - 1))

    def get_queryset(self) -> QuerySet[DailySummary]:
        if getattr(self, "swagger_fake_view", False):
            return DailySummary.objects.none()
        start, end = self._range()
        return selectors.daily_summaries(user=self.request.user, start=start, end=end)


@extend_schema(
    parameters=[DateRangeQuery],
    summary="Your weekly summaries, oldest first",
    responses={200: WeeklySummarySerializer(many=True), **error_schemas(400, 401, 403)},
)
class WeeklySummaryListView(_RangeListView):
    """The caller's Monday-to-Sunday weeks overlapping `from`–`to` (default: the 12 weeks up to this one)."""

    serializer_class = WeeklySummarySerializer
    default_start = staticmethod(
        lambda end: end - dt.timedelta(days=end.weekday()) - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    )

    def get_queryset(self) -> QuerySet[WeeklySummary]:
        if getattr(self, "swagger_fake_view", False):
            return WeeklySummary.objects.none()
        start, end = self._range()
        return selectors.weekly_summaries(user=self.request.user, start=start, end=end)


def _day(value: str) -> dt.date:
    day = date_from_path(value)
    if day is None:
        raise NotFound()
    return day


@extend_schema(
    parameters=[OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="A local date.")],
    summary="One of your days",
    responses={200: DailySummarySerializer, **error_schemas(401, 403, 404)},
)
class DailySummaryDetailView(generics.RetrieveAPIView):
    request: PersonApiRequest
    serializer_class = DailySummarySerializer

    def get_object(self) -> DailySummary:
        day = _day(self.kwargs["day"])
        summary = selectors.daily_summaries(user=self.request.user, start=day, end=day).first()
        if summary is None:
            raise NotFound()  # no summary that day
        return summary

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if "day" in self.kwargs and self.request.user.is_authenticated:
            day = _day(self.kwargs["day"])
            context["pending_dates"] = selectors.summaries_pending_dates(user=self.request.user, start=day, end=day)
        return context


@extend_schema(
    parameters=[OpenApiParameter("week_start", OpenApiTypes.DATE, OpenApiParameter.PATH, description="A Monday.")],
    summary="One of your weeks",
    responses={200: WeeklySummarySerializer, **error_schemas(401, 403, 404)},
)
class WeeklySummaryDetailView(generics.RetrieveAPIView):
    request: PersonApiRequest
    serializer_class = WeeklySummarySerializer

    def get_object(self) -> WeeklySummary:
        monday = _day(self.kwargs["week_start"])
        if monday.weekday() != 0:
            raise NotFound()  # weeks start on a Monday
        summary = selectors.weekly_summaries(user=self.request.user, start=monday, end=monday).first()
        if summary is None or summary.week_start != monday:
            raise NotFound()  # no summary for that week
        return summary

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if "week_start" in self.kwargs and self.request.user.is_authenticated:
            monday = _day(self.kwargs["week_start"])
            end = monday + dt.timedelta(days=6)
            context["pending_dates"] = selectors.summaries_pending_dates(user=self.request.user, start=monday, end=end)
        return context


urlpatterns = [
    path("summaries/daily/", DailySummaryListView.as_view(), name="summaries-daily"),
    path("summaries/daily/<str:day>/", DailySummaryDetailView.as_view(), name="summary-daily"),
    path("summaries/weekly/", WeeklySummaryListView.as_view(), name="summaries-weekly"),
    path("summaries/weekly/<str:week_start>/", WeeklySummaryDetailView.as_view(), name="summary-weekly"),
]
