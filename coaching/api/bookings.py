"""API: availability, slots and bookings (both sides, the same rules as the pages). Ends with `urlpatterns`.

- GET /trainers/{id}/slots/?location=&from=&to=&duration=&step= — free slots (any signed-in person; at most
  31 days; times in the caller's time zone).
- GET/POST /bookings/ — the bookings the caller may see: their own as a member, their clients' as a
  trainer, their locations' as gym staff (`?when=upcoming` by default, or past/all). POST books: the member
  for themself, the trainer for their own client (another trainer's client is a 404).
- GET/PATCH /bookings/{id}/ — PATCH moves it (starts_at, duration_minutes, location).
- POST /bookings/{id}/confirm/, /cancel/ (reason), /no-show/.
- GET/POST /working-hours/, DELETE /working-hours/{id}/; GET/POST /time-off/, DELETE /time-off/{id}/ — the
  trainer's own (gym staff: of the trainers at their locations; `trainer` names whose).

Writes go through coaching.services.availability and coaching.services.bookings, as the pages do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import QueryDateField, StrictSerializer, error_schemas
from fitjourney.errors import NotAllowed, NotFound

from ..models import (
    UPCOMING_BOOKING_STATUSES,
    Booking,
    BookingKind,
    Client,
    Location,
    TimeOff,
    Trainer,
    Weekday,
    WorkingHours,
)
from ..models.gym import MAX_BOOKING_MINUTES
from ..selectors.bookings import (
    DEFAULT_DURATION,
    DEFAULT_STEP,
    SLOT_STEPS,
    booking_get_for_user,
    bookings_visible_to,
    slots_for,
    trainer_location_get,
)
from ..services import availability as availability_services
from ..services import bookings as services

# ---------------------------------------------------------------------------------------------------
# Serializers


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class SlotsSerializer(serializers.Serializer):
    trainer = serializers.UUIDField()
    location = serializers.UUIDField()
    location_timezone = serializers.CharField(help_text="The zone the location's hours are set in.")
    timezone = serializers.CharField(help_text="The caller's time zone: slot times are given in it.")
    duration = serializers.IntegerField()
    slots = SlotSerializer(many=True)


class SlotsQuerySerializer(StrictSerializer):
    location = serializers.UUIDField()
    # "from" is a keyword: the field is renamed below.
    date_from = QueryDateField(required=False)
    to = QueryDateField(required=False)
    duration = serializers.IntegerField(required=False, min_value=15, max_value=MAX_BOOKING_MINUTES)
    step = serializers.ChoiceField(choices=SLOT_STEPS, required=False)

    def to_internal_value(self, data: Any) -> Any:
        data = {("date_from" if key == "from" else key): value for key, value in data.items()}
        return super().to_internal_value(data)


class BookingSerializer(serializers.ModelSerializer[Booking]):
    trainer_name = serializers.SerializerMethodField()
    member_name = serializers.SerializerMethodField()
    location_name = serializers.CharField(source="location.name", read_only=True)
    late_cancellation_if_cancelled_now = serializers.SerializerMethodField(
        help_text="Cancelling now would be late (inside BOOKING_LATE_CANCEL_HOURS of the start)."
    )

    class Meta:
        model = Booking
        fields = (
            "id",
            "trainer",
            "trainer_name",
            "client",
            "member",
            "member_name",
            "location",
            "location_name",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "kind",
            "title",
            "notes",
            "enrollment",
            "program_session",
            "status",
            "confirmed_at",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "late_cancellation",
            "late_cancellation_if_cancelled_now",
            "created_at",
        )

    def get_trainer_name(self, booking: Booking) -> str:
        user = booking.trainer.user
        return user.get_full_name() or user.username

    def get_member_name(self, booking: Booking) -> str:
        member = booking.member
        return (member.get_full_name() or member.username) if member is not None else "A former member"

    def get_late_cancellation_if_cancelled_now(self, booking: Booking) -> bool:
        return booking.status in UPCOMING_BOOKING_STATUSES and services.is_late_cancellation(booking)


class BookingCreateSerializer(StrictSerializer):
    client = serializers.UUIDField(help_text="The coaching link (a member's link with this trainer).")
    location = serializers.UUIDField()
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_BOOKING_MINUTES, help_text="Default 60 (or give `ends_at`)."
    )
    ends_at = serializers.DateTimeField(required=False, help_text="Instead of `duration_minutes`.")
    kind = serializers.ChoiceField(choices=BookingKind.choices, default=BookingKind.TRAINING)
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    enrollment = serializers.UUIDField(required=False, allow_null=True)
    program_session = serializers.UUIDField(required=False, allow_null=True)


class BookingRescheduleSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=MAX_BOOKING_MINUTES)
    location = serializers.UUIDField(required=False)


class BookingCancelSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_REASON_LENGTH)


class WorkingHoursSerializer(serializers.ModelSerializer[WorkingHours]):
    class Meta:
        model = WorkingHours
        fields = ("id", "trainer", "location", "weekday", "starts", "ends")


class WorkingHoursCreateSerializer(StrictSerializer):
    trainer = serializers.UUIDField(required=False, help_text="Whose hours (default: the caller's own).")
    location = serializers.UUIDField()
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    starts = serializers.TimeField()
    ends = serializers.TimeField()


class TimeOffSerializer(serializers.ModelSerializer[TimeOff]):
    class Meta:
        model = TimeOff
        fields = ("id", "trainer", "starts_at", "ends_at", "reason")


class TimeOffCreateSerializer(StrictSerializer):
    trainer = serializers.UUIDField(required=False, help_text="Whose time off (default: the caller's own).")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


# ---------------------------------------------------------------------------------------------------
# Helpers


def _location(location_id: UUID) -> Location:
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        raise serializers.ValidationError({"location": ["No such location."]})
    return location


def _trainer_for(user: User, trainer_id: UUID | None) -> Trainer:
    """The trainer named (its managers act for it; the service checks), or the caller's own profile."""
    if trainer_id is None:
        trainer = Trainer.objects.filter(user=user).first()
        if trainer is None:
            raise NotAllowed("Only trainers have working hours and time off.")
        return trainer
    trainer = Trainer.objects.select_related("user").filter(pk=trainer_id).first()
    if trainer is None:
        raise NotFound("No such trainer.")
    return trainer


def _managed(user: User, queryset: QuerySet[Any], *, via_location: bool) -> QuerySet[Any]:
    """Hours or time off the caller may manage: their own, their locations' trainers' (gym staff), all."""
    if user.is_superuser:
        return queryset
    staff_locations = user.gym_locations.values("pk")
    theirs = Q(location__in=staff_locations) if via_location else Q(trainer__locations__in=staff_locations)
    return queryset.filter(Q(trainer__user=user) | theirs).distinct()


def _out(booking_id: UUID, user: User) -> dict[str, Any]:
    return dict(BookingSerializer(booking_get_for_user(user=user, booking_id=booking_id)).data)


WHEN_PARAMETER = OpenApiParameter(
    "when", OpenApiTypes.STR, enum=["upcoming", "past", "all"], description="Default: upcoming."
)


# ---------------------------------------------------------------------------------------------------
# Views


class TrainerSlotsView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("location", OpenApiTypes.UUID, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Default: today in the caller's time zone."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Default: six days after `from`; 31 days at most."),
            OpenApiParameter("duration", OpenApiTypes.INT, description=f"Minutes, default {DEFAULT_DURATION}."),
            OpenApiParameter("step", OpenApiTypes.INT, enum=list(SLOT_STEPS), description=f"Default {DEFAULT_STEP}."),
        ],
        responses={200: SlotsSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="trainers_slots",
    )
    def get(self, request: PersonApiRequest, trainer_id: UUID) -> Response:
        trainer = Trainer.objects.filter(pk=trainer_id).first()
        if trainer is None:
            raise NotFound("No such trainer.")
        query = SlotsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        zone = request.user.zone
        start = data.get("date_from") or timezone.localdate(timezone.now(), zone)
        end = data.get("to") or start + dt.timedelta(days=6)
        location = trainer_location_get(trainer=trainer, location_id=data["location"])
        duration = data.get("duration") or DEFAULT_DURATION
        slots = slots_for(
            trainer=trainer,
            location=location,
            start=start,
            end=end,
            zone=zone,
            duration=duration,
            step=int(data.get("step") or DEFAULT_STEP),
            member=request.user,
        )
        body = {
            "trainer": trainer.pk,
            "location": location.pk,
            "location_timezone": location.timezone,
            "timezone": request.user.timezone,
            "duration": duration,
            "slots": [{"starts_at": s.starts_at, "ends_at": s.ends_at} for s in slots],
        }
        with timezone.override(zone):
            return Response(SlotsSerializer(body).data)


class BookingListView(APIView):
    @extend_schema(
        parameters=[WHEN_PARAMETER],
        responses={200: BookingSerializer(many=True), **error_schemas(400, 401, 403)},
        operation_id="bookings_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        when = request.query_params.get("when") or "upcoming"
        bookings = bookings_visible_to(user=request.user)
        now = timezone.now()
        if when == "upcoming":
            bookings = bookings.filter(status__in=UPCOMING_BOOKING_STATUSES, ends_at__gt=now).order_by("starts_at")
        elif when == "past":
            bookings = bookings.filter(Q(ends_at__lte=now) | ~Q(status__in=UPCOMING_BOOKING_STATUSES)).order_by(
                "-starts_at"
            )
        elif when == "all":
            bookings = bookings.order_by("-starts_at")
        else:
            raise serializers.ValidationError({"when": ["Choose upcoming, past or all."]})
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(bookings, request, view=self) or []
        return paginator.get_paginated_response(BookingSerializer(page, many=True).data)

    @extend_schema(
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="bookings_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = BookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = Client.objects.select_related("trainer__user", "member").filter(pk=data.pop("client")).first()
        if client is None:
            raise NotFound("No such client.")
        booking = services.booking_create(
            actor=request.user, client=client, location=_location(data.pop("location")), **data
        )
        return Response(_out(booking.pk, request.user), status=status.HTTP_201_CREATED)


class BookingDetailView(APIView):
    @extend_schema(responses={200: BookingSerializer, **error_schemas(401, 403, 404)}, operation_id="bookings_retrieve")
    def get(self, request: PersonApiRequest, booking_id: UUID) -> Response:
        return Response(_out(booking_id, request.user))

    @extend_schema(
        request=BookingRescheduleSerializer,
        responses={200: BookingSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="bookings_reschedule",
    )
    def patch(self, request: PersonApiRequest, booking_id: UUID) -> Response:
        booking = booking_get_for_user(user=request.user, booking_id=booking_id)
        serializer = BookingRescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        location = _location(data.pop("location")) if "location" in data else None
        services.booking_reschedule(actor=request.user, booking=booking, location=location, **data)
        return Response(_out(booking_id, request.user))


class BookingConfirmView(APIView):
    @extend_schema(
        request=None,
        responses={200: BookingSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="bookings_confirm",
    )
    def post(self, request: PersonApiRequest, booking_id: UUID) -> Response:
        booking = booking_get_for_user(user=request.user, booking_id=booking_id)
        services.booking_confirm(actor=request.user, booking=booking)
        return Response(_out(booking_id, request.user))


class BookingCancelView(APIView):
    @extend_schema(
        request=BookingCancelSerializer,
        responses={200: BookingSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="bookings_cancel",
    )
    def post(self, request: PersonApiRequest, booking_id: UUID) -> Response:
        booking = booking_get_for_user(user=request.user, booking_id=booking_id)
        serializer = BookingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.booking_cancel(actor=request.user, booking=booking, reason=serializer.validated_data.get("reason", ""))
        return Response(_out(booking_id, request.user))


class BookingNoShowView(APIView):
    @extend_schema(
        request=None,
        responses={200: BookingSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="bookings_no_show",
    )
    def post(self, request: PersonApiRequest, booking_id: UUID) -> Response:
        booking = booking_get_for_user(user=request.user, booking_id=booking_id)
        services.booking_mark_no_show(actor=request.user, booking=booking)
        return Response(_out(booking_id, request.user))


class WorkingHoursListView(APIView):
    @extend_schema(
        responses={200: WorkingHoursSerializer(many=True), **error_schemas(401, 403)},
        operation_id="working_hours_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        hours = _managed(request.user, WorkingHours.objects.all(), via_location=True).order_by(
            "trainer", "weekday", "starts"
        )
        return Response(WorkingHoursSerializer(hours, many=True).data)

    @extend_schema(
        request=WorkingHoursCreateSerializer,
        responses={201: WorkingHoursSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="working_hours_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = WorkingHoursCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trainer = _trainer_for(request.user, data.pop("trainer", None))
        hours = availability_services.working_hours_add(
            actor=request.user, trainer=trainer, location=_location(data.pop("location")), **data
        )
        return Response(WorkingHoursSerializer(hours).data, status=status.HTTP_201_CREATED)


class WorkingHoursDetailView(APIView):
    @extend_schema(responses={204: None, **error_schemas(401, 403, 404)}, operation_id="working_hours_destroy")
    def delete(self, request: PersonApiRequest, hours_id: UUID) -> Response:
        queryset = WorkingHours.objects.select_related("trainer", "location").filter(pk=hours_id)
        hours = _managed(request.user, queryset, via_location=True).first()
        if hours is None:
            raise NotFound("No such working hours.")
        availability_services.working_hours_delete(actor=request.user, hours=hours)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimeOffListView(APIView):
    @extend_schema(
        responses={200: TimeOffSerializer(many=True), **error_schemas(401, 403)}, operation_id="time_off_list"
    )
    def get(self, request: PersonApiRequest) -> Response:
        since = timezone.now() - dt.timedelta(days=30)
        time_off = _managed(request.user, TimeOff.objects.filter(ends_at__gte=since), via_location=False)
        return Response(TimeOffSerializer(time_off.order_by("starts_at")[:500], many=True).data)

    @extend_schema(
        request=TimeOffCreateSerializer,
        responses={201: TimeOffSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="time_off_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = TimeOffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trainer = _trainer_for(request.user, data.pop("trainer", None))
        off = availability_services.time_off_add(actor=request.user, trainer=trainer, **data)
        return Response(TimeOffSerializer(off).data, status=status.HTTP_201_CREATED)


class TimeOffDetailView(APIView):
    @extend_schema(responses={204: None, **error_schemas(401, 403, 404)}, operation_id="time_off_destroy")
    def delete(self, request: PersonApiRequest, time_off_id: UUID) -> Response:
        queryset = TimeOff.objects.select_related("trainer").filter(pk=time_off_id)
        off = _managed(request.user, queryset, via_location=False).first()
        if off is None:
            raise NotFound("No such time off.")
        availability_services.time_off_delete(actor=request.user, time_off=off)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("trainers/<uuid:trainer_id>/slots/", TrainerSlotsView.as_view(), name="trainer-slots"),
    path("bookings/", BookingListView.as_view(), name="bookings"),
    path("bookings/<uuid:booking_id>/", BookingDetailView.as_view(), name="booking"),
    path("bookings/<uuid:booking_id>/confirm/", BookingConfirmView.as_view(), name="booking-confirm"),
    path("bookings/<uuid:booking_id>/cancel/", BookingCancelView.as_view(), name="booking-cancel"),
    path("bookings/<uuid:booking_id>/no-show/", BookingNoShowView.as_view(), name="booking-no-show"),
    path("working-hours/", WorkingHoursListView.as_view(), name="working-hours"),
    path("working-hours/<uuid:hours_id>/", WorkingHoursDetailView.as_view(), name="working-hours-detail"),
    path("time-off/", TimeOffListView.as_view(), name="time-off"),
    path("time-off/<uuid:time_off_id>/", TimeOffDetailView.as_view(), name="time-off-detail"),
]
