"""API: session cards and program assignments (issue 13). Ends with `urlpatterns`.

- GET /cards/ — the cards the caller received (`?role=client`, the default) or wrote (`?role=trainer`),
  searched by `from`/`to` (dates) and `exercise` (part of an exercise's name in the card's workout).
- POST /cards/ — a trainer writes a card for their client, optionally for a booking (completed by it) and
  with the workout (`workout`: the body of POST /sessions/, logged in the client's training log as
  recorded by the trainer; needs the client's write grant). One transaction: all or nothing.
- GET /cards/{id}/ — to its client and its trainer; anybody else gets a 404.
- POST /cards/{id}/rate/ — the client rates the trainer (1–5, with a comment).
- GET/POST /assignments/ — the programs a trainer assigned (enrolments they made) / assign one.

Writes go through coaching.services.cards, as the pages and the admin do.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import QueryDateField, StrictSerializer, error_schema, error_schemas
from fitjourney.errors import NotFound
from training.api.enrollments import EnrollmentOut
from training.api.sessions import SessionCreateIn
from training.models import Enrollment, Program, SessionExercise

from ..models import Booking, Client, ClientStatus, SessionCard
from ..services import cards as services

NOT_FOUND = {404: error_schema("No such card of yours (as its client or its trainer).")}
NO_CLIENT = {404: error_schema("No such active client of yours, booking of theirs or program you may assign.")}


class CardOut(serializers.ModelSerializer[SessionCard]):
    trainer_name = serializers.SerializerMethodField()
    member = serializers.UUIDField(source="client.member_id", read_only=True)

    class Meta:
        model = SessionCard
        fields = (
            "id",
            "client",
            "member",
            "trainer",
            "trainer_name",
            "booking",
            "session",
            "date",
            "title",
            "duration_minutes",
            "feedback",
            "next_session_goals",
            "effort_rating",
            "client_rating",
            "client_comment",
            "rated_at",
            "total_exercises",
            "total_sets",
            "total_volume_kg",
            "created_at",
        )

    def get_trainer_name(self, card: SessionCard) -> str:
        return str(card.trainer)


class CardPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CardOut(many=True)


class WorkoutIn(SessionCreateIn):
    """The workout of a card: POST /sessions/'s body, without `finished` (the card finishes it)."""


class CardIn(StrictSerializer):
    client = serializers.UUIDField(help_text="The client link (GET /clients/).")
    booking = serializers.UUIDField(required=False, allow_null=True)
    title = serializers.CharField(max_length=120)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=480)
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    next_session_goals = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=10, default=list
    )
    effort_rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    workout = serializers.DictField(required=False, allow_null=True, help_text="POST /sessions/'s body.")


class RateIn(StrictSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AssignIn(StrictSerializer):
    client = serializers.UUIDField()
    program = serializers.UUIDField()
    start_date = serializers.DateField(required=False, allow_null=True)
    replace = serializers.BooleanField(required=False, default=True, help_text="Leave the client's current program.")


class CardListQuery(StrictSerializer):
    """The list's filters (seed 004 "search sessions"). `from` is a Python keyword: the field is declared as
    `date_from` and answers to `from` (in the query, the errors and the schema)."""

    role = serializers.ChoiceField(choices=["client", "trainer"], required=False, default="client")
    date_from = QueryDateField(required=False, help_text="Only cards from this date on (YYYY-MM-DD).")
    to = QueryDateField(required=False, help_text="Only cards up to this date (YYYY-MM-DD), not before `from`.")
    exercise = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Only cards whose logged workout has an exercise with this in its name (any case). As the "
        "trainer (`role=trainer`), only on active links that share training.",
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {("from" if name == "date_from" else name): field for name, field in fields.items()}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("from"), attrs.get("to")
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError({"to": ["Choose a date on or after `from`."]})
        return attrs


def _visible_cards(request: PersonApiRequest) -> QuerySet[SessionCard]:
    return SessionCard.objects.filter(Q(client__member=request.user) | Q(trainer__user=request.user)).select_related(
        "trainer__user", "client"
    )


def _with_exercise(text: str, *, as_trainer: bool) -> Q:
    """Cards whose logged workout has an exercise named like `text`: an EXISTS per card (the
    (session, order) index), so a card with several matching exercises is still one row. The workout is
    the member's training log: a trainer searches it only where the active link shares training."""
    matching = SessionExercise.objects.filter(session_id=OuterRef("session_id"), exercise__name__icontains=text)
    condition = Q(Exists(matching))
    if as_trainer:
        condition &= Q(client__status=ClientStatus.ACTIVE, client__grant_training=True)
    return condition


def _trainers_client(request: PersonApiRequest, client_id: UUID) -> Client:
    client = (
        Client.objects.filter(pk=client_id, trainer__user=request.user, status=ClientStatus.ACTIVE)
        .select_related("member", "trainer")
        .first()
    )
    if client is None:
        raise NotFound("No such active client of yours.")
    return client


class CardListView(APIView):
    @extend_schema(
        operation_id="cards_list",
        parameters=[CardListQuery],
        responses={200: CardPageOut, **error_schemas(400, 401, 403)},
    )
    def get(self, request: PersonApiRequest) -> Response:
        """Newest first; two queries a page (the page and its count), whatever the filters."""
        query = CardListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        as_trainer = data["role"] == "trainer"
        mine = Q(trainer__user=request.user) if as_trainer else Q(client__member=request.user)
        cards = _visible_cards(request).filter(mine)
        if data.get("from") is not None:
            cards = cards.filter(date__gte=data["from"])
        if data.get("to") is not None:
            cards = cards.filter(date__lte=data["to"])
        if data.get("exercise"):
            cards = cards.filter(_with_exercise(data["exercise"], as_trainer=as_trainer))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(cards.order_by("-date", "-created_at"), request, view=self)
        return paginator.get_paginated_response(CardOut(page, many=True).data)

    @extend_schema(
        operation_id="cards_create",
        request=CardIn,
        responses={201: CardOut, **error_schemas(400, 401, 403), **NO_CLIENT},
    )
    def post(self, request: PersonApiRequest) -> Response:
        """A trainer's card for their client; 404 for anybody else's client or booking."""
        data = CardIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        client = _trainers_client(request, fields.pop("client"))
        booking_id = fields.pop("booking", None)
        booking = Booking.objects.filter(pk=booking_id).first() if booking_id else None
        if booking_id and booking is None:
            raise NotFound("No such booking of this client.")
        workout_data = fields.pop("workout", None)
        workout = None
        if workout_data:
            checked = WorkoutIn(data=workout_data, context={"request": request, "owner": client.member})
            if not checked.is_valid():
                from rest_framework.exceptions import ValidationError as DrfValidationError

                raise DrfValidationError({f"workout.{k}": v for k, v in checked.errors.items()})
            workout = dict(checked.validated_data)
            workout.pop("finished", None)
        card = services.session_card_write(user=request.user, client=client, booking=booking, workout=workout, **fields)
        return Response(CardOut(_visible_cards(request).get(pk=card.pk)).data, status=status.HTTP_201_CREATED)


class CardDetailView(APIView):
    @extend_schema(responses={200: CardOut, **error_schemas(401, 403), **NOT_FOUND})
    def get(self, request: PersonApiRequest, card_id: UUID) -> Response:
        card = _visible_cards(request).filter(pk=card_id).first()
        if card is None:
            raise NotFound("No such session card.")
        return Response(CardOut(card).data)


class CardRateView(APIView):
    @extend_schema(request=RateIn, responses={200: CardOut, **error_schemas(400, 401, 403), **NOT_FOUND})
    def post(self, request: PersonApiRequest, card_id: UUID) -> Response:
        """The client's rating of the trainer for this session (changeable); the trainer's average follows."""
        data = RateIn(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.session_card_get_for_member(user=request.user, card_id=card_id)
        services.session_card_rate(user=request.user, card=card, **data.validated_data)
        return Response(CardOut(_visible_cards(request).get(pk=card.pk)).data)


class AssignmentListView(APIView):
    @extend_schema(
        operation_id="assignments_list",
        parameters=[OpenApiParameter("page", int, required=False), OpenApiParameter("page_size", int, required=False)],
        responses={200: EnrollmentOut(many=True), **error_schemas(401, 403)},
    )
    def get(self, request: PersonApiRequest) -> Response:
        """The enrolments the caller made as a trainer, newest first."""
        rows = Enrollment.objects.filter(assigned_by=request.user).select_related("program").order_by("-created_at")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(EnrollmentOut(page, many=True).data)

    @extend_schema(
        operation_id="assignments_create",
        request=AssignIn,
        responses={201: EnrollmentOut, **error_schemas(400, 401, 403), **NO_CLIENT},
    )
    def post(self, request: PersonApiRequest) -> Response:
        """Enrols the trainer's client in a published program (public or the trainer's own)."""
        data = AssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        client = _trainers_client(request, data.validated_data["client"])
        program = Program.objects.filter(pk=data.validated_data["program"]).first()
        if program is None:
            raise NotFound("No such program you may assign.")
        enrollment = services.program_assign(
            user=request.user,
            client=client,
            program=program,
            start_date=data.validated_data.get("start_date"),
            replace=data.validated_data["replace"],
        )
        enrollment = Enrollment.objects.select_related("program").get(pk=enrollment.pk)
        return Response(EnrollmentOut(enrollment).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("cards/", CardListView.as_view(), name="cards"),
    path("cards/<uuid:card_id>/", CardDetailView.as_view(), name="card"),
    path("cards/<uuid:card_id>/rate/", CardRateView.as_view(), name="card-rate"),
    path("assignments/", AssignmentListView.as_view(), name="assignments"),
]
