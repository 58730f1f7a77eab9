"""The gym's statistics for the API (seed 004 "useful queries": trainee stats, trainer dashboard stats):
who may ask for which, and the reads behind them — each a fixed number of queries whatever the history.

- `client_stats`: one link's numbers (the seed's trainee stats): bookings by outcome and still upcoming,
  the cached numbers on the link, the member's current program (only where the viewer may see the
  member's training) and the last cards. Four queries: the link, one grouped count of its bookings, the
  enrolment, the cards.
- `client_for_staff_side` / `link_for_member`: the link a trainer-side viewer (its trainer, gym staff of
  the trainer's locations, a superuser) or its member may ask about; anybody else's is NotFound.
- `trainer_dashboard_for`: the dashboard the caller may see (their own, or a trainer in their scope).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from fitjourney.errors import NotFound
from training.models import Enrollment
from training.selectors.enrollments import enrollment_current

from ..models import UPCOMING_BOOKING_STATUSES, Booking, BookingStatus, Client, SessionCard
from .dashboard import Dashboard, trainer_dashboard
from .gym_scope import clients_in_scope, trainers_in_scope

RECENT_CARDS = 5


@dataclass(frozen=True)
class ClientStats:
    client: Client
    sessions_total: int
    sessions_completed: int
    sessions_cancelled: int
    sessions_no_show: int
    upcoming_bookings: int
    # Cached on the link by coaching.services.cards (cards written, last card's date, attendance, streak).
    sessions_recorded: int
    last_session_date: dt.date | None
    attendance_pct: Decimal
    current_streak: int
    program_visible: bool
    current_program: Enrollment | None
    assigned_by_trainer: bool
    recent_cards: list[SessionCard] = field(default_factory=list)


def _links() -> QuerySet[Client]:
    return Client.objects.select_related("member", "trainer__user")


def client_for_staff_side(*, user: User, client_id: UUID | str) -> Client:
    """A link seen from the gym's side: by its trainer (any status), gym staff of one of the trainer's
    locations, or a superuser (coaching.selectors.gym_scope); anybody else's is NotFound."""
    client = clients_in_scope(user).select_related("member", "trainer__user").filter(pk=client_id).first()
    if client is None:
        raise NotFound("No such client.")
    return client


def link_for_member(*, user: User, link_id: UUID | str) -> Client:
    """One of the member's own links (any status); anybody else's is NotFound."""
    client = _links().filter(pk=link_id, member=user).first()
    if client is None:
        raise NotFound("No such trainer link.")
    return client


def _may_see_training(viewer: User, client: Client) -> bool:
    """The member's program is their training data: the member, their trainer while the active link grants
    training, and superusers see it; gym staff of a location do not (they run the place, not the member's
    training)."""
    if client.member_id is None:
        return False
    if viewer.pk == client.member_id or viewer.is_superuser:
        return True
    return viewer.pk == client.trainer.user_id and client.grants("training")


def client_stats(*, viewer: User, client: Client, now: dt.datetime | None = None) -> ClientStats:
    """The numbers of one link (the caller checked the viewer may see it: see the two getters above)."""
    now = now or timezone.now()
    # One grouped count over the link's bookings (the client_id foreign-key index): a link's bookings are
    # a few hundred at most, and each outcome is one FILTER of the same scan.
    counts = Booking.objects.filter(client=client).aggregate(
        total=Count("id"),
        completed=Count("id", filter=Q(status=BookingStatus.COMPLETED)),
        cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
        no_show=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
        upcoming=Count("id", filter=Q(status__in=UPCOMING_BOOKING_STATUSES, ends_at__gt=now)),
    )
    visible = _may_see_training(viewer, client)
    enrollment = enrollment_current(client.member) if visible and client.member is not None else None
    cards = list(
        SessionCard.objects.filter(client=client)
        .only("id", "date", "title", "created_at")
        .order_by("-date", "-created_at")[:RECENT_CARDS]
    )
    return ClientStats(
        client=client,
        sessions_total=counts["total"],
        sessions_completed=counts["completed"],
        sessions_cancelled=counts["cancelled"],
        sessions_no_show=counts["no_show"],
        upcoming_bookings=counts["upcoming"],
        sessions_recorded=client.sessions_count,
        last_session_date=client.last_session_date,
        attendance_pct=client.attendance_pct,
        current_streak=client.current_streak,
        program_visible=visible,
        current_program=enrollment,
        assigned_by_trainer=enrollment is not None and enrollment.assigned_by_id == client.trainer.user_id,
        recent_cards=cards,
    )


def trainer_dashboard_for(*, user: User, trainer_id: UUID | str | None = None) -> Dashboard:
    """The caller's own dashboard, or that of `trainer_id` when it is in the caller's scope (the trainer
    themself, gym staff of one of the trainer's locations, a superuser); anybody else's is NotFound."""
    if trainer_id is not None and not trainers_in_scope(user).filter(pk=trainer_id).exists():
        raise NotFound("No such trainer.")
    return trainer_dashboard(user=user, trainer_id=trainer_id)


__all__ = ["ClientStats", "client_for_staff_side", "client_stats", "link_for_member", "trainer_dashboard_for"]
