"""API: the gym's statistics and places (issue 13, seed 004's "useful queries"). Ends with `urlpatterns`.

- GET /trainer-dashboard/ — the caller's trainer dashboard (seed "trainer dashboard stats"): today's and
  this week's bookings, the summary numbers, the clients needing attention and why. `?trainer=` names
  another trainer: for gym staff of one of that trainer's locations and superusers. No trainer profile (or
  a trainer outside the caller's scope) is a 404. Times in the trainer's time zone, with the offset.
- GET /clients/{id}/timeline/?days=&end= — a client's timeline for their trainer (the active link's
  granted data only; anybody else, gym staff included, gets a 404). Weights in the caller's units beside kg.
- GET /clients/{id}/stats/ — a link's numbers (seed "trainee stats") for its trainer, gym staff of the
  trainer's locations and superusers; GET /trainer-links/{id}/stats/ — the same for the link's member.
- GET /locations/ — the active locations with their opening hours, for anyone signed in.

Reads only, through coaching.selectors (dashboard, timeline, gym_stats, locations); a constant number of
queries each, whatever the history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.request_info import PersonApiRequest
from fitjourney import units
from fitjourney.api.serializers import QueryDateField, StrictSerializer, error_schema, error_schemas
from fitjourney.dates import EARLIEST_DATE

from ..models import AttentionReason, Booking, ClientProgress, Location, Weekday
from ..selectors.gym_stats import (
    ClientStats,
    client_for_staff_side,
    client_stats,
    link_for_member,
    trainer_dashboard_for,
)
from ..selectors.locations import locations_active
from ..selectors.timeline import MAX_DAYS, Timeline, client_timeline

NO_DASHBOARD = {
    404: error_schema("You have no trainer profile, or no such trainer whose dashboard you may see (`trainer`).")
}
NO_CLIENT = {404: error_schema("No such client you may see (another trainer's client is not found either).")}
NO_ACTIVE_CLIENT = {404: error_schema("No such active client of yours.")}
NO_LINK = {404: error_schema("No such trainer link of yours.")}


def _decimal(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=None, decimal_places=None, read_only=True, **kwargs)


def _person(user: User | None) -> dict[str, Any]:
    if user is None:  # erased: the link's history stays, anonymised
        return {"id": None, "name": "Former member"}
    return {"id": user.pk, "name": user.get_full_name() or user.username}


# ---------------------------------------------------------------------------------------------------
# Shared output


class GymPersonOut(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="Null: a member who erased their account.")
    name = serializers.CharField()


class GymNamedOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class GymTrainerOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField(source="__str__")


# ---------------------------------------------------------------------------------------------------
# Trainer dashboard


class DashboardQuery(StrictSerializer):
    trainer = serializers.UUIDField(
        required=False,
        help_text="Another trainer's dashboard: for gym staff of one of their locations and superusers. "
        "Left out: the caller's own.",
    )


class DashboardBookingOut(serializers.Serializer):
    id = serializers.UUIDField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    status = serializers.CharField(help_text="scheduled, confirmed or completed (bookings that hold their time).")
    kind = serializers.CharField(help_text="training, assessment or consultation.")
    title = serializers.CharField()
    client = serializers.UUIDField(source="client_id", help_text="The coaching link.")
    member = serializers.SerializerMethodField()
    location = GymNamedOut()

    @extend_schema_field(GymPersonOut)
    def get_member(self, booking: Booking) -> dict[str, Any]:
        return _person(booking.member)


class AttentionReasonOut(serializers.Serializer):
    code = serializers.CharField(help_text=", ".join(AttentionReason.values))
    # DRF's metaclass collects the declared field; only the stubs see it as Field.label.
    label = serializers.CharField()  # type: ignore[assignment]


class AttentionOut(serializers.Serializer):
    """A client needing attention, with the numbers behind it (empty where the member granted nothing)."""

    client = serializers.UUIDField(source="client_id", help_text="The coaching link.")
    member = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    last_session_date = serializers.DateField(allow_null=True)
    sessions_28d = serializers.IntegerField(allow_null=True)
    adherence_pct = _decimal(allow_null=True)
    e1rm_change_pct = _decimal(allow_null=True, help_text="Main lifts, last 4 weeks against the 4 before.")
    weight_change_kg = _decimal(allow_null=True, help_text="Over the last 28 days, in kg.")
    weight_change = serializers.SerializerMethodField(help_text="The same in the caller's units (`weight_unit`).")
    weight_unit = serializers.SerializerMethodField(help_text="kg or lb")
    refreshed_at = serializers.DateTimeField()

    @extend_schema_field(GymPersonOut)
    def get_member(self, progress: ClientProgress) -> dict[str, Any]:
        return _person(progress.client.member)

    @extend_schema_field(AttentionReasonOut(many=True))
    def get_reasons(self, progress: ClientProgress) -> list[dict[str, str]]:
        return [
            {"code": code, "label": str(AttentionReason(code).label)}
            for code in progress.attention
            if code in AttentionReason.values
        ]

    @extend_schema_field(_decimal(allow_null=True))
    def get_weight_change(self, progress: ClientProgress) -> str | None:
        shown = units.weight_shown(progress.weight_change_kg, self.context["viewer"])
        return None if shown is None else _decimal().to_representation(shown)

    def get_weight_unit(self, progress: ClientProgress) -> str:
        return units.weight_unit(self.context["viewer"])


class TrainerDashboardOut(serializers.Serializer):
    trainer = GymTrainerOut(help_text="Whose dashboard.")
    day = serializers.DateField(help_text="The trainer's today (their time zone).")
    timezone = serializers.CharField(source="trainer.user.timezone", help_text="Times below are in this zone.")
    refreshed_at = serializers.DateTimeField(
        source="summary.refreshed_at",
        allow_null=True,
        help_text="When the summary numbers were computed (after each change, and nightly); null: not yet, and "
        "the numbers that rest on the summary are null.",
    )
    active_clients = serializers.IntegerField(source="trainer.active_clients")
    sessions_month = serializers.IntegerField(
        source="summary.sessions_month", allow_null=True, help_text="Session cards this calendar month."
    )
    completed_90d = serializers.IntegerField(source="summary.completed_90d", allow_null=True)
    cancelled_90d = serializers.IntegerField(source="summary.cancelled_90d", allow_null=True)
    no_show_90d = serializers.IntegerField(source="summary.no_show_90d", allow_null=True)
    completion_rate = _decimal(
        source="summary.completion_rate",
        allow_null=True,
        help_text="Completed among the last 90 days' completed, cancelled and missed bookings, %.",
    )
    no_show_rate = _decimal(
        source="summary.no_show_rate", allow_null=True, help_text="No-shows among completed and missed, %."
    )
    rating_average = _decimal(source="trainer.rating_average", help_text="Clients' ratings of session cards, 0–5.")
    rating_count = serializers.IntegerField(source="trainer.rating_count")
    clients_needing_attention = serializers.IntegerField(source="summary.clients_needing_attention", allow_null=True)
    attention = AttentionOut(many=True, help_text="The longest without a session first (20 at most).")
    today = DashboardBookingOut(many=True)
    week = DashboardBookingOut(many=True, help_text="Monday to Sunday of the trainer's week.")


class TrainerDashboardView(APIView):
    @extend_schema(
        parameters=[DashboardQuery],
        responses={200: TrainerDashboardOut, **error_schemas(400, 401, 403), **NO_DASHBOARD},
        operation_id="trainer_dashboard_retrieve",
    )
    def get(self, request: PersonApiRequest) -> Response:
        query = DashboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        dashboard = trainer_dashboard_for(user=request.user, trainer_id=query.validated_data.get("trainer"))
        with timezone.override(dashboard.trainer.user.zone):
            return Response(TrainerDashboardOut(dashboard, context={"viewer": request.user}).data)


# ---------------------------------------------------------------------------------------------------
# Client timeline


class TimelineQuery(StrictSerializer):
    days = serializers.IntegerField(required=False, default=90, min_value=1, max_value=MAX_DAYS)
    end = QueryDateField(required=False, help_text="The last day (YYYY-MM-DD); default: the member's today.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("end")
        if end is not None and end - dt.timedelta(days=attrs["days"] - 1) < EARLIEST_DATE:
            raise serializers.ValidationError({"end": [f"The period starts from {EARLIEST_DATE} on."]})
        return attrs


class TimelineEntryOut(serializers.Serializer):
    at = serializers.SerializerMethodField(
        help_text="The moment, with the offset of the member's time zone; null for what only has a day "
        "(cards, food, journal)."
    )
    day = serializers.DateField(help_text="The member's local date.")
    kind = serializers.CharField(help_text="session, card, body, nutrition, habit, checkin or journal")
    title = serializers.CharField()
    detail = serializers.CharField(help_text="In the caller's units.")
    object_id = serializers.UUIDField(allow_null=True)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_at(self, entry: Any) -> str | None:
        if not isinstance(entry.at, dt.datetime):
            return None
        return serializers.DateTimeField().to_representation(entry.at)


class GrantedOut(serializers.Serializer):
    training = serializers.BooleanField()
    body = serializers.BooleanField()
    nutrition = serializers.BooleanField()
    habits = serializers.BooleanField()
    checkins = serializers.BooleanField()
    journal = serializers.BooleanField()


class TimelineWeightPointOut(serializers.Serializer):
    date = serializers.DateField()
    kg = _decimal()
    value = _decimal(help_text="In the caller's units (`weight_unit`).")


class TimelineLiftPointOut(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday of the week.")
    e1rm_kg = _decimal()
    e1rm = _decimal(help_text="In the caller's units (`weight_unit`).")


class TimelineLiftOut(serializers.Serializer):
    exercise = serializers.CharField(help_text="The exercise's name.")
    points = TimelineLiftPointOut(many=True)


class TimelineAdherencePointOut(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday of the week.")
    days_done = serializers.IntegerField(help_text="Program days done that week.")


class TimelineOut(serializers.Serializer):
    client = serializers.UUIDField(source="client.pk", help_text="The coaching link.")
    member = serializers.SerializerMethodField()
    start = serializers.DateField()
    end = serializers.DateField()
    timezone = serializers.CharField(source="client.member.timezone", help_text="The member's time zone.")
    granted = GrantedOut(help_text="What the member shares: the kinds of entries and series shown.")
    entries = TimelineEntryOut(many=True, help_text="Newest first.")
    weight_unit = serializers.SerializerMethodField(help_text="The caller's weight unit: kg or lb.")
    weight = serializers.SerializerMethodField(help_text="Body weight, oldest first (needs the body grant).")
    lifts = serializers.SerializerMethodField(
        help_text="The best estimated 1RM per week of the most-trained lifts (needs the training grant)."
    )
    adherence = serializers.SerializerMethodField(help_text="Program days done per week (needs the training grant).")

    @extend_schema_field(GymPersonOut)
    def get_member(self, timeline: Timeline) -> dict[str, Any]:
        return _person(timeline.client.member)

    def get_weight_unit(self, timeline: Timeline) -> str:
        return units.weight_unit(self.context["viewer"])

    @extend_schema_field(TimelineWeightPointOut(many=True))
    def get_weight(self, timeline: Timeline) -> Any:
        viewer = self.context["viewer"]
        points = [{"date": day, "kg": kg, "value": units.weight_shown(kg, viewer)} for day, kg in timeline.weight]
        return TimelineWeightPointOut(points, many=True).data

    @extend_schema_field(TimelineLiftOut(many=True))
    def get_lifts(self, timeline: Timeline) -> Any:
        viewer = self.context["viewer"]
        lifts = [
            {
                "exercise": name,
                "points": [
                    {"week": week, "e1rm_kg": kg, "e1rm": units.weight_shown(kg, viewer)} for week, kg in points
                ],
            }
            for name, points in timeline.lifts.items()
        ]
        return TimelineLiftOut(lifts, many=True).data

    @extend_schema_field(TimelineAdherencePointOut(many=True))
    def get_adherence(self, timeline: Timeline) -> Any:
        points = [{"week": week, "days_done": n} for week, n in timeline.adherence]
        return TimelineAdherencePointOut(points, many=True).data


class ClientTimelineView(APIView):
    @extend_schema(
        parameters=[TimelineQuery],
        responses={200: TimelineOut, **error_schemas(400, 401, 403), **NO_ACTIVE_CLIENT},
        operation_id="clients_timeline",
    )
    def get(self, request: PersonApiRequest, client_id: UUID) -> Response:
        """The active client's sessions, cards, body metrics, food, habits, check-ins and journal over `days`
        days up to `end`, each kind only where the member granted it, with the charts' series."""
        query = TimelineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        timeline = client_timeline(
            trainer_user=request.user,
            client_id=client_id,
            days=query.validated_data["days"],
            end=query.validated_data.get("end"),
        )
        member = timeline.client.member
        assert member is not None  # the selector's link has a member
        with timezone.override(member.zone):
            return Response(TimelineOut(timeline, context={"viewer": request.user}).data)


# ---------------------------------------------------------------------------------------------------
# Client stats (seed "trainee stats")


class CurrentProgramOut(serializers.Serializer):
    id = serializers.UUIDField(help_text="The enrolment.")
    program = serializers.UUIDField(source="program_id")
    program_name = serializers.CharField(source="program.name")
    status = serializers.CharField(help_text="active or paused")
    current_week = serializers.IntegerField()
    total_weeks = serializers.IntegerField(source="program.duration_weeks")
    progress_pct = _decimal()
    assigned_by_trainer = serializers.SerializerMethodField(
        help_text="Assigned by this link's trainer (false: self-enrolled, or assigned by someone else)."
    )

    def get_assigned_by_trainer(self, enrollment: Any) -> bool:
        return bool(self.context["assigned_by_trainer"])


class RecentCardOut(serializers.Serializer):
    id = serializers.UUIDField()
    date = serializers.DateField()
    title = serializers.CharField()


class ClientStatsOut(serializers.Serializer):
    client = serializers.UUIDField(source="client.pk", help_text="The coaching link.")
    status = serializers.CharField(source="client.status", help_text="invited, active, paused or ended")
    member = serializers.SerializerMethodField()
    trainer = serializers.SerializerMethodField()
    sessions_total = serializers.IntegerField(help_text="Bookings of this link, whatever their status.")
    sessions_completed = serializers.IntegerField()
    sessions_cancelled = serializers.IntegerField()
    sessions_no_show = serializers.IntegerField()
    upcoming_bookings = serializers.IntegerField(help_text="Scheduled or confirmed, not over yet.")
    sessions_recorded = serializers.IntegerField(help_text="Session cards the trainer wrote.")
    last_session_date = serializers.DateField(allow_null=True, help_text="The last session card's date.")
    attendance_pct = _decimal(help_text="Completed bookings among those completed or missed (no-show).")
    current_streak = serializers.IntegerField(help_text="Weeks in a row with a session, up to this or last week.")
    current_program_visible = serializers.BooleanField(
        source="program_visible",
        help_text="The member's program is their training data: false when the caller may not see it "
        "(gym staff; a trainer the member did not grant training).",
    )
    current_program = serializers.SerializerMethodField(help_text="Null: none, or not visible to the caller.")
    recent_cards = RecentCardOut(many=True, help_text="The last five session cards, newest first.")

    @extend_schema_field(GymPersonOut)
    def get_member(self, stats: ClientStats) -> dict[str, Any]:
        return _person(stats.client.member)

    @extend_schema_field(GymPersonOut)
    def get_trainer(self, stats: ClientStats) -> dict[str, Any]:
        trainer = stats.client.trainer
        return {"id": trainer.pk, "name": str(trainer)}

    @extend_schema_field(CurrentProgramOut(allow_null=True))
    def get_current_program(self, stats: ClientStats) -> Any:
        enrollment = stats.current_program
        if enrollment is None:
            return None
        return CurrentProgramOut(enrollment, context={"assigned_by_trainer": stats.assigned_by_trainer}).data


class ClientStatsView(APIView):
    @extend_schema(
        responses={200: ClientStatsOut, **error_schemas(401, 403), **NO_CLIENT}, operation_id="clients_stats"
    )
    def get(self, request: PersonApiRequest, client_id: UUID) -> Response:
        """A client's numbers for their trainer (any status of the link), gym staff of one of the trainer's
        locations and superusers."""
        client = client_for_staff_side(user=request.user, client_id=client_id)
        return Response(ClientStatsOut(client_stats(viewer=request.user, client=client)).data)


class TrainerLinkStatsView(APIView):
    @extend_schema(
        responses={200: ClientStatsOut, **error_schemas(401, 403), **NO_LINK}, operation_id="trainer_links_stats"
    )
    def get(self, request: PersonApiRequest, link_id: UUID) -> Response:
        """The numbers of one of the caller's own trainer links, as their trainer sees them."""
        link = link_for_member(user=request.user, link_id=link_id)
        return Response(ClientStatsOut(client_stats(viewer=request.user, client=link)).data)


# ---------------------------------------------------------------------------------------------------
# Locations


class OpeningWindowOut(serializers.Serializer):
    opens = serializers.TimeField()
    closes = serializers.TimeField()


class OpeningDayOut(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 Monday … 6 Sunday")
    name = serializers.CharField()
    windows = OpeningWindowOut(many=True, help_text="Empty: closed that day.")


class LocationOut(serializers.ModelSerializer[Location]):
    opening_hours = serializers.SerializerMethodField(help_text="Monday to Sunday, in the location's time zone.")

    class Meta:
        model = Location
        fields = ("id", "name", "address", "timezone", "capacity", "facilities", "phone", "email", "opening_hours")

    @extend_schema_field(OpeningDayOut(many=True))
    def get_opening_hours(self, location: Location) -> Any:
        windows = list(location.opening_hours.all())  # prefetched
        days = [
            {
                "weekday": day.value,
                "name": str(day.label),
                "windows": [{"opens": w.opens, "closes": w.closes} for w in windows if w.weekday == day.value],
            }
            for day in Weekday
        ]
        return OpeningDayOut(days, many=True).data


class LocationListView(APIView):
    @extend_schema(responses={200: LocationOut(many=True), **error_schemas(401, 403)}, operation_id="locations_list")
    def get(self, request: PersonApiRequest) -> Response:
        """The gym's active locations by name (a member choosing where to book); two queries."""
        return Response(LocationOut(locations_active(), many=True).data)


urlpatterns = [
    path("trainer-dashboard/", TrainerDashboardView.as_view(), name="trainer-dashboard"),
    path("clients/<uuid:client_id>/timeline/", ClientTimelineView.as_view(), name="client-timeline"),
    path("clients/<uuid:client_id>/stats/", ClientStatsView.as_view(), name="client-stats"),
    path("trainer-links/<uuid:link_id>/stats/", TrainerLinkStatsView.as_view(), name="trainer-link-stats"),
    path("locations/", LocationListView.as_view(), name="locations"),
]
