"""API: the caller's journal. Ends with `urlpatterns`.

One entry per local date, so the day is the natural address for writing:

- GET /journal/ — entries newest first; `?tag=` (one tag), `?q=` (text search, web-search syntax, partial
  words match; ranked best first), `?from=` / `?to=` (YYYY-MM-DD).
- GET /journal/tags/ — the caller's tags with how many entries carry each.
- GET/PUT/DELETE /journal/{YYYY-MM-DD}/ — the day's entry. PUT writes the whole entry (fields left out
  become empty): 201 when the day had none, 200 when it replaced the day's entry. There is no POST:
  PUT on the day both creates and updates, so a retry never makes a second entry.
- GET/PATCH/DELETE /journal/{id}/ — the same entry by id; PATCH changes only the fields sent.

Another person's entry is a 404. Writes go through coaching.services.journal, as on the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import QueryDateField, StrictSerializer, error_schemas
from fitjourney.dates import date_from_path

from ..models import JournalEntry, JournalMood
from ..selectors import journal as selectors
from ..services import journal as services

DAY_PARAMETER = OpenApiParameter("day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD")


def _day(value: str) -> dt.date:
    day = date_from_path(value)
    if day is None:
        raise NotFound()
    return day


class JournalEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = JournalEntry
        fields = ["id", "entry_date", *services.ENTRY_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


class JournalEntryPatchSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    content = serializers.CharField(max_length=20000, required=False, allow_blank=True, trim_whitespace=False)
    mood = serializers.ChoiceField(choices=[*JournalMood.choices, ("", "None")], required=False, allow_blank=True)
    energy_level = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
    stress_level = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True),
        required=False,
        max_length=100,
        help_text="Normalised: lower-case, trimmed, unique; at most 20 of at most 40 characters.",
    )


class JournalEntryPutSerializer(JournalEntryPatchSerializer):
    """The whole entry: what is left out becomes empty."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(
        max_length=20000, required=False, allow_blank=True, trim_whitespace=False, default=""
    )
    mood = serializers.ChoiceField(
        choices=[*JournalMood.choices, ("", "None")], required=False, allow_blank=True, default=""
    )
    energy_level = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True, default=None)
    stress_level = serializers.IntegerField(min_value=1, max_value=10, required=False, allow_null=True, default=None)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=True), required=False, max_length=100, default=list
    )


class JournalFilterSerializer(serializers.Serializer):
    tag = serializers.CharField(required=False, max_length=40)
    q = serializers.CharField(required=False, max_length=200)
    date_from = QueryDateField(required=False)
    to = QueryDateField(required=False)

    def to_internal_value(self, data: Any) -> Any:
        data = {"tag": data.get("tag"), "q": data.get("q"), "date_from": data.get("from"), "to": data.get("to")}
        return super().to_internal_value({k: v for k, v in data.items() if v not in (None, "")})


class JournalTagSerializer(serializers.Serializer):
    tag = serializers.CharField()
    count = serializers.IntegerField(source="entries", help_text="How many of your entries carry it.")


FILTER_PARAMETERS = [
    OpenApiParameter("tag", OpenApiTypes.STR, description="Only entries with this tag."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Search the title and text (web-search syntax)."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Only from this date on (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Only up to this date (YYYY-MM-DD)."),
]


class JournalListView(APIView):
    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={200: JournalEntrySerializer(many=True), **error_schemas(400, 401, 403)},
        operation_id="journal_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        filters = JournalFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        entries = selectors.journal_search(
            user=request.user,
            tag=data.get("tag"),
            q=data.get("q"),
            date_from=data.get("date_from"),
            date_to=data.get("to"),
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(JournalEntrySerializer(page, many=True).data)


class JournalTagsView(APIView):
    @extend_schema(
        responses={200: JournalTagSerializer(many=True), **error_schemas(401, 403)}, operation_id="journal_tags_list"
    )
    def get(self, request: PersonApiRequest) -> Response:
        tags = selectors.journal_tags_for_user(user=request.user)
        return Response(JournalTagSerializer(tags, many=True).data)


class JournalDayView(APIView):
    @extend_schema(
        parameters=[DAY_PARAMETER],
        responses={200: JournalEntrySerializer, **error_schemas(401, 403, 404)},
        operation_id="journal_day_retrieve",
    )
    def get(self, request: PersonApiRequest, day: str) -> Response:
        entry = selectors.journal_entry_for_day(user=request.user, day=_day(day))
        if entry is None:
            raise NotFound()
        return Response(JournalEntrySerializer(entry).data)

    @extend_schema(
        parameters=[DAY_PARAMETER],
        request=JournalEntryPutSerializer,
        responses={200: JournalEntrySerializer, 201: JournalEntrySerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="journal_day_put",
        description="Writes the day's entry: 201 when the day had none, 200 when it replaced it.",
    )
    def put(self, request: PersonApiRequest, day: str) -> Response:
        date = _day(day)
        serializer = JournalEntryPutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.journal_entry_save(user=request.user, entry_date=date, **serializer.validated_data)
        code = status.HTTP_201_CREATED if entry.was_created else status.HTTP_200_OK
        return Response(JournalEntrySerializer(entry).data, status=code)

    @extend_schema(
        parameters=[DAY_PARAMETER],
        responses={204: None, **error_schemas(401, 403, 404)},
        operation_id="journal_day_destroy",
    )
    def delete(self, request: PersonApiRequest, day: str) -> Response:
        entry = selectors.journal_entry_for_day(user=request.user, day=_day(day))
        if entry is None:
            raise NotFound()
        services.journal_entry_delete(user=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


class JournalEntryView(APIView):
    @extend_schema(
        responses={200: JournalEntrySerializer, **error_schemas(401, 403, 404)}, operation_id="journal_retrieve"
    )
    def get(self, request: PersonApiRequest, entry_id: UUID) -> Response:
        entry = selectors.journal_entry_get_for_user(user=request.user, entry_id=entry_id)
        return Response(JournalEntrySerializer(entry).data)

    @extend_schema(
        request=JournalEntryPatchSerializer,
        responses={200: JournalEntrySerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="journal_partial_update",
    )
    def patch(self, request: PersonApiRequest, entry_id: UUID) -> Response:
        entry = selectors.journal_entry_get_for_user(user=request.user, entry_id=entry_id)
        serializer = JournalEntryPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entry = services.journal_entry_save(user=request.user, entry_date=entry.entry_date, **serializer.validated_data)
        return Response(JournalEntrySerializer(entry).data)

    @extend_schema(responses={204: None, **error_schemas(401, 403, 404)}, operation_id="journal_destroy")
    def delete(self, request: PersonApiRequest, entry_id: UUID) -> Response:
        entry = selectors.journal_entry_get_for_user(user=request.user, entry_id=entry_id)
        services.journal_entry_delete(user=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("journal/", JournalListView.as_view(), name="journal-entries"),
    path("journal/tags/", JournalTagsView.as_view(), name="journal-tags"),
    path("journal/<uuid:entry_id>/", JournalEntryView.as_view(), name="journal-entry"),
    path("journal/<str:day>/", JournalDayView.as_view(), name="journal-day"),
]
