"""API: sessions, their exercises and sets, and templates. Ends with `urlpatterns`.

Every queryset is the caller's own; writes go through training.services.sessions, the same services
the pages use. POST /sessions/ creates a whole session (exercises, sets, metrics, finished) in one
transaction and honours an `Idempotency-Key` header. GET /sessions/ takes the history page's filters
(`from`, `to`, `activity_type`, `exercise`, `q`, `status`, `ordering`) through the same selector, and
refuses any other parameter with a 400. Started and ended times follow the one date rule
(fitjourney.dates) and a session lasts at most 24 hours; the services say so, as field errors.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fitjourney.api.errors import error_response
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import StrictSerializer
from fitjourney.dates import parse_query_date
from fitjourney.db import retry_on_conflict

from ..models import ActivityType, Exercise, IdempotencyKey, Mood, SessionStatus
from ..models.sessions import MAX_EXERCISES_PER_SESSION, MAX_SETS_PER_EXERCISE
from ..selectors import history as history_selectors
from ..selectors import sessions as selectors
from ..services import sessions as services

IDEMPOTENCY_ENDPOINT = "POST /api/v1/sessions/"

# ---------------------------------------------------------------------------------------------------
# Output


def set_data(s) -> dict:
    return {
        "id": str(s.pk),
        "number": s.number,
        "reps": s.reps,
        "weight_kg": str(s.weight_kg) if s.weight_kg is not None else None,
        "duration_seconds": s.duration_seconds,
        "distance_m": str(s.distance_m) if s.distance_m is not None else None,
        "rest_seconds": s.rest_seconds,
        "rpe": s.rpe,
        "tempo": s.tempo,
        "is_warmup": s.is_warmup,
        "is_failure": s.is_failure,
        "is_drop_set": s.is_drop_set,
        "is_completed": s.is_completed,
        "is_personal_record": s.is_personal_record,
        "notes": s.notes,
    }


def exercise_data(se) -> dict:
    return {
        "id": str(se.pk),
        "exercise": str(se.exercise_id),
        "exercise_name": se.exercise.name,
        "order": se.order,
        "superset_group": se.superset_group,
        "notes": se.notes,
        "set_count": se.set_count,
        "total_volume_kg": str(se.total_volume_kg),
        "sets": [set_data(s) for s in se.sets.all()],
    }


def session_data(session, *, detail: bool = True) -> dict:
    data = {
        "id": str(session.pk),
        "activity_type": str(session.activity_type_id),
        "name": session.name,
        "status": session.status,
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "duration_seconds": session.duration_seconds,
        "local_date": session.local_date.isoformat(),
        "location": session.location,
        "weather": session.weather,
        "mood_before": session.mood_before,
        "mood_after": session.mood_after,
        "energy_level": session.energy_level,
        "rating": session.rating,
        "perceived_exertion": session.perceived_exertion,
        "avg_heart_rate": session.avg_heart_rate,
        "max_heart_rate": session.max_heart_rate,
        "injuries": session.injuries,
        "notes": session.notes,
        "total_volume_kg": str(session.total_volume_kg),
        "calories_kcal": str(session.calories_kcal) if session.calories_kcal is not None else None,
        "is_personal_record": session.is_personal_record,
        "is_template": session.is_template,
        "template_name": session.template_name,
    }
    if detail:
        data["exercises"] = [exercise_data(se) for se in selectors.session_exercises_with_sets(session=session)]
        data["metrics"] = {
            m.name: (str(m.value_numeric) if m.value_numeric is not None else m.value_text)
            for m in session.metrics.all()
        }
    return data


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
    sets = SetIn(
        many=True,
        required=False,
        default=list,
        max_length=MAX_SETS_PER_EXERCISE,
        error_messages={"max_length": services.TOO_MANY_SETS},
    )


def _range(low, high, **kw):
    return serializers.IntegerField(required=False, allow_null=True, min_value=low, max_value=high, **kw)


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
    mood_before = serializers.CharField(required=False, allow_blank=True, help_text="great, good, okay, low or bad")
    mood_after = serializers.CharField(required=False, allow_blank=True, help_text="great, good, okay, low or bad")
    energy_level = _range(1, 10)
    rating = _range(1, 10)
    perceived_exertion = _range(1, 10)
    avg_heart_rate = _range(20, 250)
    max_heart_rate = _range(20, 250)
    injuries = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
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
    exercises = ExerciseIn(
        many=True,
        required=False,
        default=list,
        max_length=MAX_EXERCISES_PER_SESSION,
        error_messages={"max_length": services.TOO_MANY_EXERCISES},
    )
    metrics = serializers.DictField(required=False, default=dict)
    finished = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        errors: dict = {}
        activity_type = ActivityType.objects.filter(pk=attrs["activity_type"]).first()
        if activity_type is None:
            errors["activity_type"] = ["Activity type not found."]
        attrs["activity_type"] = activity_type
        user = self.context["request"].user
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

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
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

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        fields = super().get_fields()
        date_from = QueryDateField(required=False, help_text="Only sessions on or after this local date (YYYY-MM-DD).")
        return {"from": date_from, **fields}

    def validate(self, attrs):
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


def _create_whole(*, user, data: dict):
    fields = {k: data[k] for k in SessionFieldsIn().fields if k in data and k not in ("started_at",)}
    finished = data.get("finished", False)
    ended_at = fields.pop("ended_at", None)
    session = services.session_start(
        user=user, activity_type=data["activity_type"], started_at=data.get("started_at"), name=data.get("name", "")
    )
    fields.pop("name", None)
    if fields:
        services.session_update(user=user, session=session, **fields)
    items = sorted(enumerate(data.get("exercises", [])), key=lambda pair: (pair[1].get("order", 10**6), pair[0]))
    for index, item in items:
        se = services.exercise_add(user=user, session=session, exercise=item["exercise"], notes=item.get("notes", ""))
        if item.get("superset_group") is not None:
            se.superset_group = item["superset_group"]
            se.save(update_fields=["superset_group"])
        for set_index, set_fields in enumerate(item.get("sets", [])):
            try:
                services.set_add(user=user, session_exercise=se, **set_fields)
            except DjangoValidationError as exc:
                raise DjangoValidationError(
                    {f"exercises[{index}].sets[{set_index}].{k}": v for k, v in exc.message_dict.items()}
                ) from exc
    if data.get("metrics"):
        try:
            services.metrics_save(user=user, session=session, values=data["metrics"])
        except DjangoValidationError as exc:
            raise DjangoValidationError({f"metrics.{k}": v for k, v in exc.message_dict.items()}) from exc
    if finished:
        session = services.session_finish(user=user, session=session, ended_at=ended_at)
    elif ended_at:
        services.session_update(user=user, session=session, ended_at=ended_at)
    return session


def _request_hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@retry_on_conflict
def _create_and_remember(*, user, data: dict, key: str, digest: str) -> dict:
    """The whole session, and its idempotency record, in one transaction: all or nothing. Run again from
    the start should it lose a deadlock to another write of the same person (fitjourney.db)."""
    with transaction.atomic():
        session = _create_whole(user=user, data=data)
        body = session_data(selectors.session_get_for_user(user=user, session_id=session.pk))
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
    @extend_schema(responses=None, operation_id="sessions_list", parameters=[SessionListQuery])
    def get(self, request):
        """The caller's sessions, filtered like the history page; an unknown parameter is a 400.
        Two queries whatever the filters: the count and the page."""
        query = SessionListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = history_selectors.sessions_filtered(user=request.user, filters=query.filters())
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([session_data(s, detail=False) for s in page])

    @extend_schema(request=SessionCreateIn, responses=None)
    def post(self, request):
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
    def _get(self, request, session_id):
        return selectors.session_get_for_user(user=request.user, session_id=session_id)

    @extend_schema(responses=None)
    def get(self, request, session_id):
        return Response(session_data(self._get(request, session_id)))

    @extend_schema(request=SessionFieldsIn, responses=None)
    def patch(self, request, session_id):
        session = self._get(request, session_id)
        serializer = SessionFieldsIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.session_update(user=request.user, session=session, **serializer.validated_data)
        return Response(session_data(self._get(request, session_id)))

    @extend_schema(responses=None)
    def delete(self, request, session_id):
        services.session_delete(user=request.user, session=self._get(request, session_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionFinishView(APIView):
    @extend_schema(request=None, responses=None)
    def post(self, request, session_id):
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        services.session_finish(user=request.user, session=session)
        return Response(session_data(selectors.session_get_for_user(user=request.user, session_id=session_id)))


class SessionExercisesView(APIView):
    @extend_schema(responses=None)
    def get(self, request, session_id):
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        return Response([exercise_data(se) for se in selectors.session_exercises_with_sets(session=session)])

    @extend_schema(request=ExerciseAddIn, responses=None)
    def post(self, request, session_id):
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
        return Response(exercise_data(se), status=status.HTTP_201_CREATED)


class SessionExerciseDetailView(APIView):
    @extend_schema(responses=None)
    def delete(self, request, session_exercise_id):
        se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
        services.exercise_remove(user=request.user, session_exercise=se)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SetListView(APIView):
    @extend_schema(request=SetIn, responses=None)
    def post(self, request, session_exercise_id):
        se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
        serializer = SetIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        s = services.set_add(user=request.user, session_exercise=se, **serializer.validated_data)
        return Response(set_data(s), status=status.HTTP_201_CREATED)


class SetDetailView(APIView):
    @extend_schema(request=SetPatch, responses=None)
    def patch(self, request, set_id):
        s = selectors.set_get_for_user(user=request.user, set_id=set_id)
        serializer = SetPatch(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        s = services.set_update(user=request.user, set=s, **serializer.validated_data)
        return Response(set_data(s))

    @extend_schema(responses=None)
    def delete(self, request, set_id):
        s = selectors.set_get_for_user(user=request.user, set_id=set_id)
        services.set_delete(user=request.user, set=s)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateListView(APIView):
    @extend_schema(responses=None)
    def get(self, request):
        return Response(
            [
                {
                    "id": str(t.pk),
                    "name": t.template_name,
                    "activity_type": str(t.activity_type_id),
                    "exercise_count": t.exercise_count,
                }
                for t in selectors.templates_for_user(user=request.user)
            ]
        )


class SaveAsTemplateView(APIView):
    @extend_schema(request=TemplateNameIn, responses=None)
    def post(self, request, session_id):
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        serializer = TemplateNameIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.template_save_from_session(
            user=request.user, session=session, name=serializer.validated_data["name"]
        )
        return Response(session_data(template), status=status.HTTP_201_CREATED)


class TemplateStartView(APIView):
    @extend_schema(request=None, responses=None)
    def post(self, request, template_id):
        template = selectors.session_get_for_user(user=request.user, session_id=template_id, templates=True)
        session = services.session_start(user=request.user, from_template=template)
        return Response(session_data(session), status=status.HTTP_201_CREATED)


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
