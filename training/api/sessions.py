"""API: sessions, their exercises and sets, and templates. Ends with `urlpatterns`.

Every queryset is the caller's own; writes go through training.services.sessions, the same services
the pages use. POST /sessions/ creates a whole session (exercises, sets, metrics, finished) in one
transaction and honours an `Idempotency-Key` header. GET /sessions/ takes the history page's filters
(`from`, `to`, `activity_type`, `exercise`, `q`, `status`, `ordering`) through the same selector, and
refuses any other parameter with a 400. Started and ended times follow the one date rule
(fitjourney.dates) and a session lasts at most 24 hours; the services say so, as field errors.

Answers are output serializers (documented in the schema with their errors). Values stay in SI units and
their names say which (`weight_kg`, `distance_m`, `total_volume_kg`, `calories_kcal`): the API gives
numbers to programs, not text to people, so the person's unit system does not change them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnList
from rest_framework.views import APIView

from accounts.models import User
from accounts.request_info import PersonApiRequest
from fitjourney.api.errors import error_response
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import StrictSerializer, error_schema
from fitjourney.dates import parse_query_date
from fitjourney.db import retry_on_conflict

from ..models import ActivityType, Exercise, IdempotencyKey, Mood, Session, SessionStatus
from ..models.sessions import MAX_EXERCISES_PER_SESSION, MAX_SETS_PER_EXERCISE
from ..selectors import history as history_selectors
from ..selectors import sessions as selectors
from ..services import sessions as services
from .schema import INVALID, NOT_FOUND, SIGNED_IN

IDEMPOTENCY_ENDPOINT = "POST /api/v1/sessions/"

# ---------------------------------------------------------------------------------------------------
# Output: values in SI units, named by them (weight_kg, distance_m, total_volume_kg, calories_kcal)


def _stored_decimal(**kwargs: Any) -> serializers.DecimalField:
    """A decimal as a string written as it is held (no rounding to a fixed number of places)."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, read_only=True, **kwargs)


MOOD_HELP = "The one mood scale: excellent, good, neutral, bad or terrible"


@extend_schema_field(OpenApiTypes.DATETIME)
class StoredDateTimeField(serializers.ReadOnlyField):
    """A moment in ISO 8601 with its offset (stored moments read back in UTC: "+00:00")."""

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


class SetOut(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    reps = serializers.IntegerField(read_only=True, allow_null=True)
    weight_kg = _stored_decimal(allow_null=True)
    duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    distance_m = _stored_decimal(allow_null=True)
    rest_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    rpe = serializers.IntegerField(read_only=True, allow_null=True)
    tempo = serializers.CharField(read_only=True)
    is_warmup = serializers.BooleanField(read_only=True)
    is_failure = serializers.BooleanField(read_only=True)
    is_drop_set = serializers.BooleanField(read_only=True)
    is_completed = serializers.BooleanField(read_only=True)
    is_personal_record = serializers.BooleanField(read_only=True)
    notes = serializers.CharField(read_only=True)


class SessionExerciseOut(serializers.Serializer):
    """An exercise of a session with its sets (prefetched: selectors.sessions.session_exercises_with_sets)."""

    id = serializers.UUIDField(read_only=True)
    exercise = serializers.UUIDField(source="exercise_id", read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    order = serializers.IntegerField(read_only=True)
    superset_group = serializers.IntegerField(read_only=True, allow_null=True)
    notes = serializers.CharField(read_only=True)
    set_count = serializers.IntegerField(read_only=True)
    total_volume_kg = _stored_decimal()
    sets = SetOut(source="sets.all", many=True, read_only=True)


class SessionOut(serializers.Serializer):
    """A session (or a template) as lists show it."""

    id = serializers.UUIDField(read_only=True)
    activity_type = serializers.UUIDField(source="activity_type_id", read_only=True)
    name = serializers.CharField(read_only=True)
    # A plain string: a second choice field named "status" would clash with other enums in the schema.
    status = serializers.CharField(read_only=True, help_text="in_progress or finished")
    started_at = StoredDateTimeField()
    ended_at = StoredDateTimeField(allow_null=True)
    duration_seconds = serializers.IntegerField(read_only=True, allow_null=True)
    local_date = serializers.DateField(read_only=True)
    location = serializers.CharField(read_only=True)
    weather = serializers.CharField(read_only=True)
    mood_before = serializers.CharField(read_only=True, help_text=f"{MOOD_HELP}, or empty")
    mood_after = serializers.CharField(read_only=True, help_text=f"{MOOD_HELP}, or empty")
    energy_level = serializers.IntegerField(read_only=True, allow_null=True)
    rating = serializers.IntegerField(read_only=True, allow_null=True)
    perceived_exertion = serializers.IntegerField(read_only=True, allow_null=True)
    avg_heart_rate = serializers.IntegerField(read_only=True, allow_null=True)
    max_heart_rate = serializers.IntegerField(read_only=True, allow_null=True)
    injuries = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    total_volume_kg = _stored_decimal()
    calories_kcal = _stored_decimal(allow_null=True)
    is_personal_record = serializers.BooleanField(read_only=True)
    is_template = serializers.BooleanField(read_only=True)
    template_name = serializers.CharField(read_only=True)


class SessionDetailOut(SessionOut):
    """A session with its exercises, their sets, and its metrics (three more queries)."""

    exercises = serializers.SerializerMethodField()
    metrics = serializers.SerializerMethodField(
        help_text="The activity type's metrics by name: numbers as decimal strings in the metric's unit, or text."
    )

    @extend_schema_field(SessionExerciseOut(many=True))
    def get_exercises(self, session: Session) -> ReturnList:
        exercises = selectors.session_exercises_with_sets(session=session)
        return SessionExerciseOut(exercises, many=True).data  # type: ignore[return-value]  # many=True: a list

    @extend_schema_field(serializers.DictField(child=serializers.CharField(allow_null=True)))
    def get_metrics(self, session: Session) -> dict[str, str | None]:
        return {
            m.name: (str(m.value_numeric) if m.value_numeric is not None else m.value_text)
            for m in session.metrics.all()
        }


class SessionPageOut(serializers.Serializer):
    """One page of the list (fitjourney.api.pagination)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SessionOut(many=True)


class TemplateOut(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="template_name", read_only=True)
    activity_type = serializers.UUIDField(source="activity_type_id", read_only=True)
    exercise_count = serializers.IntegerField(read_only=True)


def session_body(session: Session) -> dict[str, Any]:
    """What a write answers with: the whole session, as `GET /sessions/{id}/` shows it."""
    return dict(SessionDetailOut(session).data)


# ---------------------------------------------------------------------------------------------------
# Input


class SetIn(StrictSerializer):
    reps = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10000)
    weight_kg = serializers.DecimalField(
        required=False, allow_null=True, max_digits=6, decimal_places=2, min_value=0, max_value=1000
    )
    duration_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=604800)
    distance_m = serializers.DecimalField(required=False, allow_null=True, max_digits=10, decimal_places=2, min_value=0)
    rest_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=86400)
    rpe = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10)
    tempo = serializers.RegexField(r"^[0-9X]-[0-9X]-[0-9X]-[0-9X]$", required=False, allow_blank=True)
    is_warmup = serializers.BooleanField(required=False, default=False)
    is_failure = serializers.BooleanField(required=False, default=False)
    is_drop_set = serializers.BooleanField(required=False, default=False)
    is_completed = serializers.BooleanField(required=False, default=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class SetPatch(SetIn):
    is_warmup = serializers.BooleanField(required=False)
    is_failure = serializers.BooleanField(required=False)
    is_drop_set = serializers.BooleanField(required=False)
    is_completed = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ExerciseIn(StrictSerializer):
    exercise = serializers.UUIDField()
    order = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    superset_group = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=999)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    # DRF hands max_length on to the ListSerializer (many=True); the stubs do not know it.
    sets = SetIn(  # type: ignore[call-arg]
        many=True,
        required=False,
        default=list,
        max_length=MAX_SETS_PER_EXERCISE,
        error_messages={"max_length": services.TOO_MANY_SETS},
    )


def _range(low: int, high: int) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, min_value=low, max_value=high)


class SessionFieldsIn(StrictSerializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    started_at = serializers.DateTimeField(
        required=False, help_text="From 1900-01-01 to tomorrow, in your time zone. Now when omitted."
    )
    ended_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Up to tomorrow in your time zone; a session lasts at most 24 hours.",
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=100)
    weather = serializers.CharField(required=False, allow_blank=True, max_length=100)
    # Plain strings checked in validate(): two ChoiceFields with one choice set confuse the schema's enum names.
    mood_before = serializers.CharField(
        required=False, allow_blank=True, help_text="excellent, good, neutral, bad or terrible"
    )
    mood_after = serializers.CharField(
        required=False, allow_blank=True, help_text="excellent, good, neutral, bad or terrible"
    )
    energy_level = _range(1, 10)
    rating = _range(1, 10)
    perceived_exertion = _range(1, 10)
    avg_heart_rate = _range(20, 250)
    max_heart_rate = _range(20, 250)
    injuries = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for mood in ("mood_before", "mood_after"):
            if attrs.get(mood) and attrs[mood] not in Mood.values:
                raise serializers.ValidationError({mood: [f"Choose one of: {', '.join(Mood.values)}."]})
        avg, top = attrs.get("avg_heart_rate"), attrs.get("max_heart_rate")
        if avg and top and avg > top:
            raise serializers.ValidationError(
                {"avg_heart_rate": ["The average heart rate cannot be above the maximum."]}
            )
        start, end = attrs.get("started_at"), attrs.get("ended_at")
        if start and end and end < start:
            raise serializers.ValidationError({"ended_at": ["A session cannot end before it starts."]})
        return attrs


class SessionCreateIn(SessionFieldsIn):
    activity_type = serializers.UUIDField()
    exercises = ExerciseIn(  # type: ignore[call-arg]  # max_length: see ExerciseIn.sets
        many=True,
        required=False,
        default=list,
        max_length=MAX_EXERCISES_PER_SESSION,
        error_messages={"max_length": services.TOO_MANY_EXERCISES},
    )
    metrics = serializers.DictField(required=False, default=dict)
    finished = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        errors: dict = {}
        # Whose log the session goes into: the caller, or the client a trainer logs a card's workout for.
        user = self.context.get("owner") or self.context["request"].user
        # A public type or the person's own.
        activity_type = ActivityType.all_types.visible_to(user).filter(pk=attrs["activity_type"]).first()
        if activity_type is None:
            errors["activity_type"] = ["Activity type not found."]
        attrs["activity_type"] = activity_type
        wanted = {e["exercise"] for e in attrs.get("exercises", [])}
        visible = {x.pk: x for x in Exercise.objects.visible_to(user).filter(pk__in=wanted)}
        for i, item in enumerate(attrs.get("exercises", [])):
            if item["exercise"] not in visible:
                errors[f"exercises[{i}].exercise"] = ["Exercise not found."]
            else:
                item["exercise"] = visible[item["exercise"]]
        orders = [e["order"] for e in attrs.get("exercises", []) if "order" in e]
        if len(orders) != len(set(orders)):
            errors["exercises"] = ["Two exercises have the same order."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


@extend_schema_field(OpenApiTypes.DATE)
class QueryDateField(serializers.CharField):
    """A YYYY-MM-DD query parameter, held to the one range every date shares (fitjourney.dates)."""

    def run_validation(self, data: Any = empty) -> dt.date:
        text = super().run_validation(data)  # a string, trimmed, not blank
        try:
            return parse_query_date(text, field="date")
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["date"]) from None


class SessionListQuery(StrictSerializer):
    """The list's query parameters: the history page's filters. Strict, like request bodies, so a
    misspelt filter is a 400 rather than silently ignored; the page parameters are declared with them."""

    to = QueryDateField(required=False, help_text="Only sessions on or before this local date (YYYY-MM-DD).")
    activity_type = serializers.UUIDField(required=False, help_text="Only sessions of this activity type (its id).")
    exercise = serializers.UUIDField(required=False, help_text="Only sessions with this exercise (its id).")
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text='Full-text search of names, notes and locations (web-search syntax: "a -b", quotes, or).',
    )
    status = serializers.ChoiceField(choices=SessionStatus.choices, required=False)
    ordering = serializers.ChoiceField(
        choices=list(history_selectors.SESSION_ORDERINGS),
        required=False,
        default=history_selectors.DEFAULT_ORDERING,
        help_text="Newest first by default.",
    )
    page = serializers.IntegerField(required=False, min_value=1, help_text="Page number, from 1.")
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=PageNumberPagination.max_page_size, help_text="Sessions per page."
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        date_from = QueryDateField(required=False, help_text="Only sessions on or after this local date (YYYY-MM-DD).")
        return {"from": date_from, **fields}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start and end and start > end:
            raise serializers.ValidationError({"from": ["Choose a first day on or before the last day."]})
        return attrs

    def filters(self) -> history_selectors.HistoryFilters:
        data = self.validated_data
        return history_selectors.HistoryFilters(
            date_from=data.get("from"),
            date_to=data.get("to"),
            activity_type_id=data.get("activity_type"),
            exercise_id=data.get("exercise"),
            q=data.get("q", ""),
            status=data.get("status", ""),
            ordering=data["ordering"],
        )


class TemplateNameIn(StrictSerializer):
    name = serializers.CharField(max_length=200)


class ExerciseAddIn(StrictSerializer):
    exercise = serializers.UUIDField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


# ---------------------------------------------------------------------------------------------------
# Writing a whole session


def _request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@retry_on_conflict
def _create_and_remember(*, user: User, data: dict[str, Any], key: str, digest: str) -> dict[str, Any]:
    """The whole session, and its idempotency record, in one transaction: all or nothing. Run again from
    the start should it lose a deadlock to another write of the same person (fitjourney.db)."""
    with transaction.atomic():
        session = services.session_create_whole(user=user, data=data)
        body = session_body(selectors.session_get_for_user(user=user, session_id=session.pk))
        if key:
            IdempotencyKey.objects.create(
                user=user,
                endpoint=IDEMPOTENCY_ENDPOINT,
                key=key,
                request_hash=digest,
                response_status=201,
                response_body=body,
            )
    return body


class SessionListView(APIView):
    @extend_schema(
        operation_id="sessions_list",
        parameters=[SessionListQuery],
        responses={200: SessionPageOut, **INVALID, **SIGNED_IN},
    )
    def get(self, request: PersonApiRequest) -> Response:
        """The caller's sessions, filtered like the history page; an unknown parameter is a 400.
        Two queries whatever the filters: the count and the page."""
        query = SessionListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = history_selectors.sessions_filtered(user=request.user, filters=query.filters())
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(SessionOut(page, many=True).data)

    @extend_schema(
        request=SessionCreateIn,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Up to 100 characters: a retry with the same key and body is answered with the "
                "first answer (header `Idempotent-Replayed: true`) and stores nothing.",
            )
        ],
        responses={
            201: SessionDetailOut,
            **INVALID,
            **SIGNED_IN,
            422: error_schema("The Idempotency-Key was used with another body (`idempotency_key_reused`)."),
        },
    )
    def post(self, request: PersonApiRequest) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 100:
            return error_response(400, "invalid", "The Idempotency-Key is at most 100 characters.")
        digest = _request_hash(request.data)
        if key:
            stored = IdempotencyKey.objects.filter(user=request.user, endpoint=IDEMPOTENCY_ENDPOINT, key=key).first()
            if stored is not None:
                return self._replay(stored, digest)
        serializer = SessionCreateIn(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            body = _create_and_remember(user=request.user, data=serializer.validated_data, key=key, digest=digest)
        except IntegrityError:
            # The same key raced in from another request, which won: answer as a retry.
            stored = IdempotencyKey.objects.filter(user=request.user, endpoint=IDEMPOTENCY_ENDPOINT, key=key).first()
            if stored is None:
                raise
            return self._replay(stored, digest)
        return Response(body, status=status.HTTP_201_CREATED)

    def _replay(self, stored: IdempotencyKey, digest: str) -> Response:
        """The first answer as it was stored (SessionDetailOut's body at the time)."""
        if stored.request_hash != digest:
            return error_response(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request body. Use a new key.",
            )
        response = Response(stored.response_body, status=stored.response_status)
        response["Idempotent-Replayed"] = "true"
        return response


class SessionDetailView(APIView):
    def _get(self, request: PersonApiRequest, session_id: UUID) -> Session:
        return selectors.session_get_for_user(user=request.user, session_id=session_id)

    @extend_schema(responses={200: SessionDetailOut, **SIGNED_IN, **NOT_FOUND})
    def get(self, request: PersonApiRequest, session_id: UUID) -> Response:
        return Response(session_body(self._get(request, session_id)))

    @extend_schema(request=SessionFieldsIn, responses={200: SessionDetailOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def patch(self, request: PersonApiRequest, session_id: UUID) -> Response:
        session = self._get(request, session_id)
        serializer = SessionFieldsIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.session_update(user=request.user, session=session, **serializer.validated_data)
        return Response(session_body(self._get(request, session_id)))

    @extend_schema(responses={204: None, **SIGNED_IN, **NOT_FOUND})
    def delete(self, request: PersonApiRequest, session_id: UUID) -> Response:
        services.session_delete(user=request.user, session=self._get(request, session_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionFinishView(APIView):
    @extend_schema(request=None, responses={200: SessionDetailOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, session_id: UUID) -> Response:
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        services.session_finish(user=request.user, session=session)
        return Response(session_body(selectors.session_get_for_user(user=request.user, session_id=session_id)))


class SessionExercisesView(APIView):
    @extend_schema(responses={200: SessionExerciseOut(many=True), **SIGNED_IN, **NOT_FOUND})
    def get(self, request: PersonApiRequest, session_id: UUID) -> Response:
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        return Response(SessionExerciseOut(selectors.session_exercises_with_sets(session=session), many=True).data)

    @extend_schema(request=ExerciseAddIn, responses={201: SessionExerciseOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, session_id: UUID) -> Response:
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        serializer = ExerciseAddIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        se = services.exercise_add(
            user=request.user,
            session=session,
            exercise=serializer.validated_data["exercise"],
            notes=serializer.validated_data["notes"],
        )
        se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=se.pk)
        return Response(SessionExerciseOut(se).data, status=status.HTTP_201_CREATED)


class SessionExerciseDetailView(APIView):
    @extend_schema(responses={204: None, **SIGNED_IN, **NOT_FOUND})
    def delete(self, request: PersonApiRequest, session_exercise_id: UUID) -> Response:
        se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
        services.exercise_remove(user=request.user, session_exercise=se)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SetListView(APIView):
    @extend_schema(request=SetIn, responses={201: SetOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, session_exercise_id: UUID) -> Response:
        se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
        serializer = SetIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        s = services.set_add(user=request.user, session_exercise=se, **serializer.validated_data)
        return Response(SetOut(s).data, status=status.HTTP_201_CREATED)


class SetDetailView(APIView):
    @extend_schema(request=SetPatch, responses={200: SetOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def patch(self, request: PersonApiRequest, set_id: UUID) -> Response:
        s = selectors.set_get_for_user(user=request.user, set_id=set_id)
        serializer = SetPatch(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        s = services.set_update(user=request.user, set=s, **serializer.validated_data)
        return Response(SetOut(s).data)

    @extend_schema(responses={204: None, **SIGNED_IN, **NOT_FOUND})
    def delete(self, request: PersonApiRequest, set_id: UUID) -> Response:
        s = selectors.set_get_for_user(user=request.user, set_id=set_id)
        services.set_delete(user=request.user, set=s)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateListView(APIView):
    @extend_schema(responses={200: TemplateOut(many=True), **SIGNED_IN})
    def get(self, request: PersonApiRequest) -> Response:
        return Response(TemplateOut(selectors.templates_for_user(user=request.user), many=True).data)


class SaveAsTemplateView(APIView):
    @extend_schema(request=TemplateNameIn, responses={201: SessionDetailOut, **INVALID, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, session_id: UUID) -> Response:
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        serializer = TemplateNameIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.template_save_from_session(
            user=request.user, session=session, name=serializer.validated_data["name"]
        )
        return Response(session_body(template), status=status.HTTP_201_CREATED)


class TemplateStartView(APIView):
    @extend_schema(request=None, responses={201: SessionDetailOut, **SIGNED_IN, **NOT_FOUND})
    def post(self, request: PersonApiRequest, template_id: UUID) -> Response:
        template = selectors.session_get_for_user(user=request.user, session_id=template_id, templates=True)
        session = services.session_start(user=request.user, from_template=template)
        return Response(session_body(session), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("sessions/", SessionListView.as_view(), name="sessions"),
    path("sessions/<uuid:session_id>/", SessionDetailView.as_view(), name="session"),
    path("sessions/<uuid:session_id>/finish/", SessionFinishView.as_view(), name="session-finish"),
    path("sessions/<uuid:session_id>/exercises/", SessionExercisesView.as_view(), name="session-exercises"),
    path("sessions/<uuid:session_id>/save-as-template/", SaveAsTemplateView.as_view(), name="session-save-template"),
    path(
        "session-exercises/<uuid:session_exercise_id>/",
        SessionExerciseDetailView.as_view(),
        name="session-exercise",
    ),
    path("session-exercises/<uuid:session_exercise_id>/sets/", SetListView.as_view(), name="session-exercise-sets"),
    path("sets/<uuid:set_id>/", SetDetailView.as_view(), name="set"),
    path("templates/", TemplateListView.as_view(), name="templates"),
    path("templates/<uuid:template_id>/start/", TemplateStartView.as_view(), name="template-start"),
]
