"""Bookings with a trainer (seed 004 schedules): made by the member for themself or by the trainer for
their own client (gym staff of the location and superusers manage them too), confirmed by the trainer,
cancelled by either side (late inside BOOKING_LATE_CANCEL_HOURS of the start), marked a no-show by the
trainer after the start, moved to another time with the same checks. `booking_complete` is for the
session-card service.

Overlaps are the database's to refuse (exclusion constraints over active bookings of the trainer and of
the member): the insert runs in a savepoint and the constraint's message becomes the field error, so two
concurrent requests for one slot make one booking and one clear refusal. The other side is told after
commit (a task calls `booking_notify`); reminders 24 hours and 1 hour before go out from a beat task.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationType, User
from accounts.services.notifications import notify
from fitjourney.batch import isolated
from fitjourney.dates import check_planned_date
from fitjourney.errors import NotAllowed, NotFound
from fitjourney.queue import enqueue_on_commit
from training.models import Enrollment, ProgramSession

from ..models import (
    UPCOMING_BOOKING_STATUSES,
    Booking,
    BookingKind,
    BookingStatus,
    CalendarFeed,
    Client,
    ClientStatus,
    Location,
)
from ..models.gym import MAX_BOOKING_MINUTES
from ..selectors.bookings import availability_error, min_notice
from .availability import check_moment, constraint_error, staff_of

logger = logging.getLogger(__name__)

# What the booking form and the API's serializer send (besides the client link).
BOOKING_FIELDS = (
    "location",
    "starts_at",
    "duration_minutes",
    "ends_at",
    "kind",
    "title",
    "notes",
    "enrollment",
    "program_session",
)
BOOKING_RESCHEDULE_FIELDS = ("location", "starts_at", "duration_minutes")
MAX_REASON_LENGTH = 500

MEMBER, TRAINER, MANAGER = "member", "trainer", "manager"


# ---------------------------------------------------------------------------------------------------
# Who is acting


def _side(*, actor: User, client: Client, location: Location | None) -> str:
    """The actor's side of a link: the member, the trainer, or a manager (staff of the location, a
    superuser). Anyone else — another trainer included — gets NotFound: the link is not there for them."""
    if actor.pk == client.member_id:
        return MEMBER
    if actor.pk == client.trainer.user_id:
        return TRAINER
    if actor.is_superuser or (location is not None and staff_of(actor, location)):
        return MANAGER
    raise NotFound("No such client.")


def _booking_side(*, actor: User, booking: Booking) -> str:
    return _side(actor=actor, client=booking.client, location=booking.location)


def late_cancel_window() -> dt.timedelta:
    return dt.timedelta(hours=settings.BOOKING_LATE_CANCEL_HOURS)


def is_late_cancellation(booking: Booking, *, now: dt.datetime | None = None) -> bool:
    """Cancelling now would be late (the pages show this before the person confirms)."""
    return booking.starts_at - (now or timezone.now()) < late_cancel_window()


# ---------------------------------------------------------------------------------------------------
# Checks shared by create and reschedule


def _times(starts_at: Any, duration_minutes: Any) -> tuple[dt.datetime, dt.datetime]:
    if not isinstance(starts_at, dt.datetime):
        raise ValidationError({"starts_at": ["Choose the start time."]})
    check_moment(starts_at, field="starts_at")
    try:
        minutes = int(duration_minutes)
    except (TypeError, ValueError):
        raise ValidationError({"duration_minutes": ["Enter the length in minutes."]}) from None
    if minutes < 1:
        raise ValidationError({"duration_minutes": ["A booking lasts more than zero minutes."]})
    if minutes > MAX_BOOKING_MINUTES:
        raise ValidationError({"duration_minutes": [f"A booking lasts at most {MAX_BOOKING_MINUTES // 60} hours."]})
    return starts_at, starts_at + dt.timedelta(minutes=minutes)


def _minutes(starts_at: Any, duration_minutes: Any, ends_at: Any) -> Any:
    """The length from `duration_minutes` or from `ends_at` (one of them; an hour when neither is given)."""
    if ends_at is None:
        return 60 if duration_minutes is None else duration_minutes
    if duration_minutes is not None:
        raise ValidationError({"ends_at": ["Give the length or the end, not both."]})
    if not isinstance(ends_at, dt.datetime) or not isinstance(starts_at, dt.datetime):
        raise ValidationError({"ends_at": ["Choose the end time."]})
    check_moment(ends_at, field="ends_at")
    length = ends_at - starts_at
    if length.total_seconds() % 60:
        raise ValidationError({"ends_at": ["End on a whole minute."]})
    return int(length.total_seconds() // 60)


def _check_time(
    *, client: Client, location: Location, side: str, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime
) -> None:
    if client.status != ClientStatus.ACTIVE:
        message = (
            "This coaching invitation has not been accepted yet: bookings need an active link."
            if client.status == ClientStatus.INVITED
            else "This coaching link is not active: bookings need an active link."
        )
        raise ValidationError({"client": [message]})
    if not location.is_active or not client.trainer.locations.filter(pk=location.pk).exists():
        raise ValidationError({"location": ["The trainer does not work at this location."]})
    if starts_at <= now:
        raise ValidationError({"starts_at": ["Choose a time in the future."]})
    if side == MEMBER and starts_at < now + min_notice():
        hours = settings.BOOKING_MIN_NOTICE_MINUTES / 60
        raise ValidationError({"starts_at": [f"Book at least {hours:g} hours ahead."]})
    member = client.member
    if member is None:  # an erased member's link has ended: refused above; kept for the type checker
        raise ValidationError({"client": ["This coaching link is not active: bookings need an active link."]})
    zone = member.zone
    check_planned_date(timezone.localdate(starts_at, zone), zone=zone, field="starts_at", now=now)
    problem = availability_error(trainer=client.trainer, location=location, starts_at=starts_at, ends_at=ends_at)
    if problem:
        raise ValidationError({"starts_at": [problem]})


def _program(
    *, client: Client, enrollment: Any, program_session: Any
) -> tuple[Enrollment | None, ProgramSession | None]:
    chosen = None
    if enrollment not in (None, ""):
        chosen = Enrollment.objects.filter(pk=getattr(enrollment, "pk", enrollment), user=client.member_id).first()
        if chosen is None:
            raise ValidationError({"enrollment": ["No such program enrolment of this member."]})
    day = None
    if program_session not in (None, ""):
        if chosen is None:
            raise ValidationError({"program_session": ["Choose the enrolment the program day belongs to."]})
        day = ProgramSession.objects.filter(
            pk=getattr(program_session, "pk", program_session), program=chosen.program_id
        ).first()
        if day is None:
            raise ValidationError({"program_session": ["No such day in this program."]})
    return chosen, day


def _save(booking: Booking) -> None:
    """The insert or update in a savepoint: an overlap is the exclusion constraint's clear message."""
    booking.full_clean(validate_constraints=False, exclude=["duration_minutes"])
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise constraint_error(error, Booking, field="starts_at") from None


# ---------------------------------------------------------------------------------------------------
# Writes


@transaction.atomic
def booking_create(
    *,
    actor: User,
    client: Client,
    location: Location,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    ends_at: dt.datetime | None = None,
    kind: str = BookingKind.TRAINING,
    title: str = "",
    notes: str = "",
    enrollment: Any = None,
    program_session: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    now = now or timezone.now()
    side = _side(actor=actor, client=client, location=location)
    starts_at, ends_at = _times(starts_at, _minutes(starts_at, duration_minutes, ends_at))
    if kind not in BookingKind.values:
        raise ValidationError({"kind": ["Choose a kind of session."]})
    _check_time(client=client, location=location, side=side, starts_at=starts_at, ends_at=ends_at, now=now)
    chosen, day = _program(client=client, enrollment=enrollment, program_session=program_session)
    booking = Booking(
        trainer=client.trainer,
        client=client,
        member=client.member,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        title=title.strip() or BookingKind(kind).label,
        notes=notes.strip(),
        enrollment=chosen,
        program_session=day,
        created_by=actor,
    )
    _save(booking)
    _notify_later(booking, "created", actor)
    return booking


@transaction.atomic
def booking_reschedule(
    *,
    actor: User,
    booking: Booking,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
    location: Location | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Moves an upcoming booking; a move by the member needs the trainer's confirmation again."""
    now = now or timezone.now()
    side = _booking_side(actor=actor, booking=booking)
    if booking.status not in UPCOMING_BOOKING_STATUSES or booking.starts_at <= now:
        raise ValidationError({"starts_at": ["Only an upcoming booking can be moved."]})
    location = location or booking.location
    minutes = booking.duration_minutes if duration_minutes is None else duration_minutes
    starts_at, ends_at = _times(starts_at, minutes)
    _check_time(client=booking.client, location=location, side=side, starts_at=starts_at, ends_at=ends_at, now=now)
    booking.location, booking.starts_at, booking.ends_at = location, starts_at, ends_at
    booking.reminder_day_sent_at = booking.reminder_hour_sent_at = None
    if side == MEMBER:
        booking.status, booking.confirmed_at = BookingStatus.SCHEDULED, None
    _save(booking)
    booking.refresh_from_db(fields=["duration_minutes"])
    _notify_later(booking, "moved", actor)
    return booking


@transaction.atomic
def booking_confirm(*, actor: User, booking: Booking, now: dt.datetime | None = None) -> Booking:
    if _booking_side(actor=actor, booking=booking) == MEMBER:
        raise NotAllowed("Only the trainer confirms a booking.")
    if booking.status == BookingStatus.CONFIRMED:
        return booking
    if booking.status != BookingStatus.SCHEDULED or booking.ends_at <= (now or timezone.now()):
        raise ValidationError({"status": ["Only an upcoming scheduled booking can be confirmed."]})
    booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now or timezone.now()
    booking.save(update_fields=["status", "confirmed_at", "updated_at"])
    _notify_later(booking, "confirmed", actor)
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking, reason: str = "", now: dt.datetime | None = None) -> Booking:
    """Late when inside BOOKING_LATE_CANCEL_HOURS of the start (the person was told before confirming)."""
    now = now or timezone.now()
    _booking_side(actor=actor, booking=booking)
    if booking.status not in UPCOMING_BOOKING_STATUSES:
        raise ValidationError({"status": ["Only an upcoming booking can be cancelled."]})
    if booking.starts_at <= now:
        raise ValidationError({"status": ["The session has started: it can no longer be cancelled."]})
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": [f"Keep the reason under {MAX_REASON_LENGTH} characters."]})
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by, booking.cancelled_at, booking.cancellation_reason = actor, now, reason
    booking.late_cancellation = is_late_cancellation(booking, now=now)
    booking.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancelled_at",
            "cancellation_reason",
            "late_cancellation",
            "updated_at",
        ]
    )
    _notify_later(booking, "cancelled", actor)
    return booking


@transaction.atomic
def booking_mark_no_show(*, actor: User, booking: Booking, now: dt.datetime | None = None) -> Booking:
    if _booking_side(actor=actor, booking=booking) == MEMBER:
        raise NotAllowed("Only the trainer marks a no-show.")
    if booking.status not in UPCOMING_BOOKING_STATUSES:
        raise ValidationError({"status": ["Only a scheduled or confirmed booking can be marked a no-show."]})
    if booking.starts_at > (now or timezone.now()):
        raise ValidationError({"status": ["A no-show is marked after the start."]})
    booking.status = BookingStatus.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    _notify_later(booking, "no_show", actor)
    return booking


@transaction.atomic
def booking_complete(*, booking: Booking) -> Booking:
    """Called by the session-card service when the card is written (one transaction with the card)."""
    if booking.status == BookingStatus.COMPLETED:
        return booking
    if booking.status not in UPCOMING_BOOKING_STATUSES:
        raise ValidationError({"booking": ["A cancelled or missed booking cannot be completed."]})
    booking.status = BookingStatus.COMPLETED
    booking.save(update_fields=["status", "updated_at"])
    return booking


# ---------------------------------------------------------------------------------------------------
# Notifications and reminders

EVENTS = {
    "created": ("New booking", "{who} booked {title} on {when} at {place}."),
    "moved": ("Booking moved", "{who} moved {title} to {when} at {place}."),
    "confirmed": ("Booking confirmed", "{who} confirmed {title} on {when} at {place}."),
    "cancelled": ("Booking cancelled", "{who} cancelled {title} on {when} at {place}."),
    "no_show": ("Marked as missed", "{who} marked {title} on {when} as missed."),
}


def _notify_later(booking: Booking, event: str, actor: User) -> None:
    from ..tasks.bookings import booking_notify_task

    enqueue_on_commit(booking_notify_task, str(booking.pk), event, str(actor.pk))


def _when(booking: Booking, person: User) -> str:
    return timezone.localtime(booking.starts_at, person.zone).strftime("%a %d %b %Y %H:%M")


def _action_url(booking: Booking, person: User) -> str:
    return reverse("coaching:bookings") if person.pk == booking.member_id else reverse("admin:index")


def booking_notify(*, booking_id: UUID | str, event: str, actor_id: UUID | str | None) -> int:
    """Tells the other side (both, when gym staff acted) what happened; returns how many were told."""
    booking = Booking.objects.select_related("member", "trainer__user", "location").filter(pk=booking_id).first()
    if booking is None or event not in EVENTS:
        return 0
    # An erased member (member null) is told nothing.
    people = [p for p in (booking.member, booking.trainer.user) if p is not None]
    actor = next((p for p in people if str(p.pk) == str(actor_id)), None)
    who = actor.get_full_name() or actor.username if actor else "The gym"
    title, template = EVENTS[event]
    told = 0
    for person in people:
        if actor is not None and person.pk == actor.pk:
            continue
        notify(
            user=person,
            type=NotificationType.SCHEDULE,
            title=title,
            message=template.format(
                who=who, title=booking.title or "a session", when=_when(booking, person), place=booking.location
            ),
            related=booking,
            action_url=_action_url(booking, person),
        )
        told += 1
    return told


REMINDER_BATCH = 1000


def booking_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Sends the reminders due: 24 hours before (when more than an hour is left) and 1 hour before, to the
    member and the trainer. Each is claimed with a conditional UPDATE before it is sent, so two workers
    running at once send it once; one booking's failure is rolled back and logged, the rest go on."""
    now = now or timezone.now()
    hour, day = now + dt.timedelta(hours=1), now + dt.timedelta(hours=24)
    due = (
        Booking.objects.filter(status__in=UPCOMING_BOOKING_STATUSES, reminder_hour_sent_at__isnull=True)
        .filter(starts_at__gt=now, starts_at__lte=day)
        # What is due: the hour reminder, or the day reminder not sent yet (so sent ones never fill a batch).
        .filter(Q(starts_at__lte=hour) | Q(reminder_day_sent_at__isnull=True))
        .select_related("member", "trainer__user", "location")
        .order_by("starts_at")[:REMINDER_BATCH]
    )  # coaching_booking_reminders
    sent = 0
    for booking in due:
        field = "reminder_hour_sent_at" if booking.starts_at <= hour else "reminder_day_sent_at"
        if field == "reminder_day_sent_at" and booking.reminder_day_sent_at is not None:
            continue
        with isolated("booking reminders", person=booking.member_id, row=f"booking {booking.pk}"):
            stamps = {field: now}
            if field == "reminder_hour_sent_at":
                stamps["reminder_day_sent_at"] = booking.reminder_day_sent_at or now
            claimed = Booking.objects.filter(
                pk=booking.pk, status__in=UPCOMING_BOOKING_STATUSES, **{f"{field}__isnull": True}
            ).update(**stamps)
            if not claimed:
                continue
            soon = "in an hour" if field == "reminder_hour_sent_at" else "tomorrow"
            for person in (p for p in (booking.member, booking.trainer.user) if p is not None):
                notify(
                    user=person,
                    type=NotificationType.REMINDER,
                    title=f"{booking.title or 'Your session'} {soon}",
                    message=f"{_when(booking, person)} at {booking.location}.",
                    related=booking,
                    action_url=_action_url(booking, person),
                )
            sent += 1
    return sent


# ---------------------------------------------------------------------------------------------------
# The calendar feed


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> str:
    """Makes (or replaces) the person's secret feed address; returns the token, shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": _token_hash(token)})
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def calendar_feed_owner(*, token: str) -> User | None:
    """The person whose feed this token opens, or None (unknown, rotated or revoked)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    if feed is None or not feed.user.is_active or feed.user.deleted_at is not None:
        return None
    return feed.user


__all__ = [
    "BOOKING_FIELDS",
    "BOOKING_RESCHEDULE_FIELDS",
    "booking_cancel",
    "booking_complete",
    "booking_confirm",
    "booking_create",
    "booking_mark_no_show",
    "booking_notify",
    "booking_reminders_send",
    "booking_reschedule",
    "calendar_feed_owner",
    "calendar_feed_revoke",
    "calendar_feed_rotate",
    "is_late_cancellation",
    "late_cancel_window",
]
