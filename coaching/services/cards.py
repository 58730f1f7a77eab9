"""Session cards, client statistics, trainer ratings and program assignment (issue 13; seed 004 triggers
1, 2, 4, 5, 6 and 7 as services).

Writing a card is one transaction: the workout is logged for the client as a training `Session` (so
records, streaks, summaries, goals and programs see it like any other) marked as recorded by the trainer,
the booking it serves is completed, the program day it serves is marked done through the session's
enrolment, and the link's cached statistics are recomputed. The trainer's rating average is shared by
all their clients (a hot row): it is recomputed after the commit, in its own single-statement transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import BodyMetric, User
from accounts.services.body import body_metric_record
from accounts.services.notifications import notify
from fitjourney.errors import NotFound
from training.models import Enrollment, Program, Session, Set
from training.services import sessions as session_services
from training.services.enrollments import enrollment_create

from ..models import Booking, BookingStatus, Client, ClientStatus, SessionCard, Trainer
from ..models.gym import MAX_BOOKING_MINUTES, UPCOMING_BOOKING_STATUSES
from .bookings import booking_complete
from .dashboard import trainer_dashboard_refresh_later

CARD_FIELDS = ("title", "duration_minutes", "feedback", "next_session_goals", "effort_rating")
NOT_FOUND = "No such client of yours."
HUNDRED = Decimal(100)


def _trainer_of(user: User) -> Trainer:
    trainer = Trainer.objects.filter(user=user).first()
    if trainer is None:
        raise NotFound(NOT_FOUND)
    return trainer


def _own_active_client(user: User, client: Client) -> tuple[Trainer, Client, User]:
    """The trainer's ACTIVE link (locked for this transaction) and its member; anybody else's, an ended
    one or an erased member's is 404."""
    trainer = _trainer_of(user)
    locked = (
        Client.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(pk=client.pk, trainer=trainer, status=ClientStatus.ACTIVE, member__isnull=False)
        .first()
    )
    if locked is None or locked.member is None:
        raise NotFound(NOT_FOUND)
    return trainer, locked, locked.member


# ---------------------------------------------------------------------------------------------------
# Statistics (seed triggers 1 and 5) and the rating (trigger 6)


def client_stats_refresh(*, client: Client, today: dt.date | None = None) -> Client:
    """Sessions, last session, attendance and the weekly streak of one link, from its cards and bookings:
    two grouped queries and one update, whatever the history's size (indexes (client, date) and
    (trainer, starts_at))."""
    today = today or (client.member.local_today() if client.member else timezone.localdate())
    cards = SessionCard.objects.filter(client=client).aggregate(n=Count("id"), last=Max("date"))
    outcome = Booking.objects.filter(client=client, starts_at__lte=timezone.now()).aggregate(
        done=Count("id", filter=Q(status=BookingStatus.COMPLETED)),
        missed=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
    )
    kept = outcome["done"] + outcome["missed"]
    client.sessions_count = cards["n"]
    client.last_session_date = cards["last"]
    client.attendance_pct = (HUNDRED * outcome["done"] / kept).quantize(Decimal("0.01")) if kept else Decimal(0)
    client.current_streak = _weekly_streak(
        SessionCard.objects.filter(client=client, date__gte=today - dt.timedelta(weeks=104)).values_list(
            "date", flat=True
        ),
        today,
    )
    client.save(update_fields=["sessions_count", "last_session_date", "attendance_pct", "current_streak", "updated_at"])
    return client


def _weekly_streak(dates: Iterable[dt.date], today: dt.date) -> int:
    """Weeks in a row, ending this week or last week, with at least one session."""
    weeks = {day - dt.timedelta(days=day.weekday()) for day in dates}
    monday = today - dt.timedelta(days=today.weekday())
    if monday not in weeks:
        monday -= dt.timedelta(weeks=1)
    streak = 0
    while monday in weeks:
        streak += 1
        monday -= dt.timedelta(weeks=1)
    return streak


def trainer_rating_refresh(*, trainer_id: Any) -> None:
    """The trainer's average of their clients' ratings and how many there are, in ONE statement: run after
    the rating's commit, so no client's transaction ever waits on the trainer's row."""
    rated = SessionCard.objects.filter(trainer_id=OuterRef("pk"), client_rating__isnull=False).order_by()
    Trainer.objects.filter(pk=trainer_id).update(
        rating_average=Coalesce(
            Subquery(rated.values("trainer_id").annotate(a=Avg("client_rating")).values("a")[:1]),
            Decimal(0),
        ),
        rating_count=Coalesce(
            Subquery(rated.values("trainer_id").annotate(n=Count("id")).values("n")[:1]),
            0,
        ),
        updated_at=timezone.now(),
    )


def _rating_later(trainer_id: Any) -> None:
    transaction.on_commit(lambda: trainer_rating_refresh(trainer_id=trainer_id))
    trainer_dashboard_refresh_later(trainer_id=trainer_id)


# ---------------------------------------------------------------------------------------------------
# Cards


def _check_card_fields(fields: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        errors.update({name: ["Unknown field."] for name in sorted(unknown)})
    title = fields.get("title", "")
    if not isinstance(title, str) or not title.strip():
        errors["title"] = ["Give the session a title."]
    minutes = fields.get("duration_minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_BOOKING_MINUTES:
        errors["duration_minutes"] = [f"Between 1 and {MAX_BOOKING_MINUTES} minutes."]
    effort = fields.get("effort_rating")
    if effort is not None and (not isinstance(effort, int) or isinstance(effort, bool) or not 1 <= effort <= 5):
        errors["effort_rating"] = ["Rate the effort from 1 to 5."]
    goals = fields.get("next_session_goals", [])
    if not isinstance(goals, list | tuple) or len(goals) > 10 or any(not isinstance(g, str) for g in goals):
        errors["next_session_goals"] = ["Up to 10 short goals."]
    if errors:
        raise ValidationError(errors)


def _bookable(trainer: Trainer, client: Client, booking: Booking | None) -> Booking | None:
    if booking is None:
        return None
    locked = Booking.objects.select_for_update().filter(pk=booking.pk, trainer=trainer, client=client).first()
    if locked is None:
        raise NotFound("No such booking of this client.")
    if SessionCard.objects.filter(booking=locked).exists():
        raise ValidationError({"booking": ["This booking already has its card."]})
    if locked.status not in UPCOMING_BOOKING_STATUSES:
        raise ValidationError({"booking": [f"This booking is {locked.get_status_display().lower()}."]})
    if locked.starts_at > timezone.now():
        raise ValidationError({"booking": ["This session has not started yet."]})
    return locked


def _program_day(member: User, booking: Booking | None) -> dict[str, Any]:
    """The enrolment and program day the session serves, when the booking names them and the enrolment
    is still the member's current one."""
    if booking is None or booking.enrollment_id is None:
        return {}
    current = Enrollment.objects.filter(pk=booking.enrollment_id, user=member, status="active").exists()
    if not current:
        return {}
    return {"enrollment_id": booking.enrollment_id, "program_session_id": booking.program_session_id}


def _log_workout(
    *,
    trainer: Trainer,
    client: Client,
    member: User,
    booking: Booking | None,
    workout: Mapping[str, Any],
    minutes: int,
) -> Session:
    """The workout in the member's training log, recorded by the trainer, finished after the program day
    it serves is attached (so finishing moves the program on)."""
    if not client.grant_write:
        raise ValidationError(
            {
                "workout": [
                    f"{member.get_full_name() or member.username} has not allowed you to record sessions for them."
                ]
            }
        )
    data = dict(workout)
    data["finished"] = False
    started_at = data.get("started_at") or (
        booking.starts_at if booking else timezone.now() - dt.timedelta(minutes=minutes)
    )
    data["started_at"] = started_at
    data.pop("ended_at", None)
    try:
        session = session_services.session_create_whole(user=member, data=data, recorded_by=trainer.user)
    except ValidationError as exc:
        raise ValidationError({f"workout.{k}": v for k, v in exc.message_dict.items()}) from exc
    attach = _program_day(member, booking)
    if attach:
        Session.objects.filter(pk=session.pk).update(**attach)
        for name, value in attach.items():
            setattr(session, name, value)
    return session_services.session_finish(
        user=member, session=session, ended_at=started_at + dt.timedelta(minutes=minutes)
    )


def _totals(session: Session | None) -> dict[str, Any]:
    if session is None:
        return {"total_exercises": 0, "total_sets": 0, "total_volume_kg": Decimal(0)}
    sets = Set.objects.filter(session_exercise__session=session)
    return {
        "total_exercises": session.exercises.count(),
        "total_sets": sets.count(),
        "total_volume_kg": session.total_volume_kg or Decimal(0),
    }


@transaction.atomic
def session_card_write(
    *,
    user: User,
    client: Client,
    booking: Booking | None = None,
    workout: Mapping[str, Any] | None = None,
    **fields: Any,
) -> SessionCard:
    """The trainer's card of a session with their client (seed 004 session_cards), optionally for a
    booking (which it completes) and with the workout (`workout`: the body of POST /api/v1/sessions/ —
    activity type, exercises and sets — logged in the client's training log; needs the client's write
    grant). One transaction: nothing is saved when any part is refused."""
    fields.setdefault("next_session_goals", [])
    _check_card_fields(fields)
    trainer, client, member = _own_active_client(user, client)
    booking = _bookable(trainer, client, booking)
    session = None
    if workout:
        session = _log_workout(
            trainer=trainer,
            client=client,
            member=member,
            booking=booking,
            workout=workout,
            minutes=fields["duration_minutes"],
        )
    day_source = session.started_at if session else (booking.starts_at if booking else timezone.now())
    card = SessionCard(
        trainer=trainer,
        client=client,
        booking=booking,
        session=session,
        date=timezone.localdate(day_source, member.zone),
        title=fields["title"].strip(),
        duration_minutes=fields["duration_minutes"],
        feedback=fields.get("feedback", "").strip(),
        next_session_goals=[g.strip() for g in fields["next_session_goals"] if g.strip()],
        effort_rating=fields.get("effort_rating"),
        **_totals(session),
    )
    try:
        with transaction.atomic():
            card.save(force_insert=True)
    except IntegrityError as exc:  # the booking's card raced in from another request
        raise ValidationError({"booking": ["This booking already has its card."]}) from exc
    if booking is not None:
        booking_complete(booking=booking)
    client_stats_refresh(client=client)
    trainer_dashboard_refresh_later(trainer_id=trainer.pk)
    notify(
        user=member,
        type="workout",
        title=f"Your session card from {trainer}",
        message=card.feedback[:200] or card.title,
        related=card,
        action_url=f"/coach/cards/{card.pk}/",
    )
    return card


def session_card_get_for_member(*, user: User, card_id: Any) -> SessionCard:
    card = (
        SessionCard.objects.select_related("trainer__user", "client", "session")
        .filter(pk=card_id, client__member=user)
        .first()
    )
    if card is None:
        raise NotFound("No such session card.")
    return card


@transaction.atomic
def session_card_rate(*, user: User, card: SessionCard, rating: int, comment: str = "") -> SessionCard:
    """The client rates the trainer for one session (1–5, with a comment; changeable). The trainer's average
    is recomputed after the commit (trigger 6)."""
    locked = SessionCard.objects.select_for_update().filter(pk=card.pk, client__member=user).first()
    if locked is None:
        raise NotFound("No such session card.")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": ["Rate from 1 to 5."]})
    if len(comment) > 2000:
        raise ValidationError({"comment": ["At most 2,000 characters."]})
    locked.client_rating = rating
    locked.client_comment = comment.strip()
    locked.rated_at = timezone.now()
    locked.save(update_fields=["client_rating", "client_comment", "rated_at", "updated_at"])
    _rating_later(locked.trainer_id)
    return locked


# ---------------------------------------------------------------------------------------------------
# Program assignment (seed 004 program_assignments: an enrolment made by the trainer)


@transaction.atomic
def program_assign(
    *, user: User, client: Client, program: Program, start_date: dt.date | None = None, replace: bool = True
) -> Enrollment:
    """The trainer enrols their client in a published program (public, or the trainer's own private one).
    One current enrolment per person stays a database rule: the client's current program is left
    (`replace`) or the assignment is refused."""
    trainer, client, member = _own_active_client(user, client)
    enrollment = enrollment_create(
        user=member, program=program, start_date=start_date, assigned_by=trainer.user, replace=replace
    )
    notify(
        user=member,
        type="workout",
        title=f"{trainer} assigned you {program.name}",
        message=f"Starts {enrollment.start_date:%-d %b %Y}. Today shows each day's workout.",
        related=enrollment,
        action_url="/train/program/",
    )
    return enrollment


# ---------------------------------------------------------------------------------------------------
# Body metrics recorded by the trainer


@transaction.atomic
def client_body_metric_record(
    *,
    user: User,
    client: Client,
    metric_type: str,
    value: Decimal,
    unit: str | None = None,
    measured_at: dt.datetime | None = None,
    notes: str = "",
) -> BodyMetric:
    """A measurement the trainer takes of their client (weighed at the gym), in the client's log and
    marked as recorded by the trainer. Needs an active link sharing body metrics and allowing the trainer
    to record (the write grant); without them it is refused and nothing is saved."""
    trainer, client, member = _own_active_client(user, client)
    if not (client.grant_body and client.grant_write):
        name = member.get_full_name() or member.username
        raise ValidationError({"value": [f"{name} has not allowed you to record body metrics for them."]})
    return body_metric_record(
        user=member,
        metric_type=metric_type,
        value=value,
        unit=unit,
        measured_at=measured_at,
        recorded_by=trainer.user,
        notes=notes,
    )


__all__ = [
    "CARD_FIELDS",
    "client_body_metric_record",
    "client_stats_refresh",
    "program_assign",
    "session_card_get_for_member",
    "session_card_rate",
    "session_card_write",
    "trainer_rating_refresh",
]
