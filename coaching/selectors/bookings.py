"""Reads of availability and bookings: bookable slots, whether a time is inside the hours, and the
bookings each person may see (another person's booking is not there: NotFound).

Working hours and opening hours are wall-clock times in the LOCATION's time zone: a window is turned into
instants per local date with zoneinfo, so 09:00 in Berlin is 08:00 UTC before the last Sunday of March and
07:00 UTC after it. Slots are stepped in real time from each window's start, and returned as aware
datetimes; pages and the API show them in the viewer's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import (
    HOLDING_BOOKING_STATUSES,
    UPCOMING_BOOKING_STATUSES,
    Booking,
    Location,
    OpeningHours,
    TimeOff,
    Trainer,
    WorkingHours,
)
from ..models.gym import MAX_BOOKING_MINUTES

MAX_SLOT_DAYS = 31
SLOT_STEPS = (15, 30, 60)
DEFAULT_DURATION = 60
DEFAULT_STEP = 30

Interval = tuple[dt.time, dt.time]
Span = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime


def min_notice() -> dt.timedelta:
    return dt.timedelta(minutes=settings.BOOKING_MIN_NOTICE_MINUTES)


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    out = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                out.append((start, end))
    return sorted(out)


def _instant(day: dt.date, moment: dt.time, zone: ZoneInfo) -> dt.datetime:
    """A local wall-clock time as a UTC instant (a time in the spring-forward gap lands an hour later)."""
    return dt.datetime.combine(day, moment, tzinfo=zone).astimezone(dt.UTC)


def _by_weekday(rows: list[tuple[int, dt.time, dt.time]]) -> dict[int, list[Interval]]:
    days: dict[int, list[Interval]] = defaultdict(list)
    for weekday, start, end in rows:
        days[weekday].append((start, end))
    return days


def _spans(day: dt.date, intervals: list[Interval], zone: ZoneInfo) -> list[Span]:
    return [(_instant(day, start, zone), _instant(day, end, zone)) for start, end in intervals]


def check_slot_request(*, start: dt.date, end: dt.date, duration: int, step: int) -> None:
    if end < start:
        raise ValidationError({"to": ["The end of the range comes after its start."]})
    if (end - start).days + 1 > MAX_SLOT_DAYS:
        raise ValidationError({"to": [f"Ask for {MAX_SLOT_DAYS} days at most."]})
    if not 15 <= duration <= MAX_BOOKING_MINUTES:
        raise ValidationError({"duration": [f"Choose from 15 to {MAX_BOOKING_MINUTES} minutes."]})
    if step not in SLOT_STEPS:
        raise ValidationError({"step": [f"Choose a step of {', '.join(map(str, SLOT_STEPS))} minutes."]})


def slots_for(
    *,
    trainer: Trainer,
    location: Location,
    start: dt.date,
    end: dt.date,
    zone: dt.tzinfo,
    duration: int = DEFAULT_DURATION,
    step: int = DEFAULT_STEP,
    member: User | None = None,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Free slots of `duration` minutes whose start lies on the dates start..end in the viewer's `zone`.

    Four queries whatever the range: the trainer's hours at the location, the location's opening hours,
    the trainer's time off and the holding bookings of the trainer (and of `member`) in the range."""
    check_slot_request(start=start, end=end, duration=duration, step=step)
    range_start = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    range_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    earliest = max(range_start, (now or timezone.now()) + min_notice())
    if earliest >= range_end:
        return []
    loc_zone = ZoneInfo(location.timezone)
    hours = _by_weekday(
        list(WorkingHours.objects.filter(trainer=trainer, location=location).values_list("weekday", "starts", "ends"))
    )
    opening = _by_weekday(
        list(OpeningHours.objects.filter(location=location).values_list("weekday", "opens", "closes"))
    )
    busy: list[Span] = list(
        TimeOff.objects.filter(trainer=trainer, starts_at__lt=range_end, ends_at__gt=earliest).values_list(
            "starts_at", "ends_at"
        )
    )
    holders = Q(trainer=trainer) | Q(member=member) if member is not None else Q(trainer=trainer)
    busy += list(
        Booking.objects.filter(holders, status__in=HOLDING_BOOKING_STATUSES, starts_at__lt=range_end)
        .filter(ends_at__gt=earliest)
        .values_list("starts_at", "ends_at")
    )
    busy.sort()
    length = dt.timedelta(minutes=duration)
    stride = dt.timedelta(minutes=step)
    slots: list[Slot] = []
    day = timezone.localdate(range_start, loc_zone)
    last = timezone.localdate(range_end, loc_zone)
    while day <= last:
        weekday = day.weekday()
        for window_start, window_end in _spans(day, _intersect(hours[weekday], opening[weekday]), loc_zone):
            moment = window_start
            while moment + length <= window_end:
                finish = moment + length
                if earliest <= moment < range_end and not any(
                    b_start < finish and b_end > moment for b_start, b_end in busy
                ):
                    slots.append(Slot(moment, finish))
                moment += stride
        day += dt.timedelta(days=1)
    return slots


def availability_error(
    *, trainer: Trainer, location: Location, starts_at: dt.datetime, ends_at: dt.datetime
) -> str | None:
    """Why [starts_at, ends_at) cannot be booked with the trainer at the location (None: it can).

    Three queries: the hours of that local weekday, the opening hours of it, and the time off."""
    zone = ZoneInfo(location.timezone)
    day = timezone.localdate(starts_at, zone)
    weekday = day.weekday()

    def inside(rows: list[tuple[dt.time, dt.time]]) -> list[Span]:
        return [span for span in _spans(day, sorted(rows), zone) if span[0] <= starts_at and ends_at <= span[1]]

    opening = list(OpeningHours.objects.filter(location=location, weekday=weekday).values_list("opens", "closes"))
    if not inside(opening):
        return "The location is closed at this time."
    hours = list(
        WorkingHours.objects.filter(trainer=trainer, location=location, weekday=weekday).values_list("starts", "ends")
    )
    if not inside(hours):
        return "The trainer does not work at this location at this time."
    if TimeOff.objects.filter(trainer=trainer, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        return "The trainer is away at this time."
    return None


# ---------------------------------------------------------------------------------------------------
# Bookings


def trainer_location_get(*, trainer: Trainer, location_id: UUID | str) -> Location:
    """One of the trainer's active locations, else a field error."""
    location = trainer.locations.filter(pk=location_id, is_active=True).first()
    if location is None:
        raise ValidationError({"location": ["The trainer does not work at this location."]})
    return location


def bookings_visible_to(*, user: User) -> QuerySet[Booking]:
    """The bookings a person may see: their own, their clients' (a trainer), their locations' (gym staff),
    all (a superuser). The people and the place come in the same query: every list shows them."""
    queryset = Booking.objects.select_related("trainer__user", "member", "location", "client")
    if user.is_superuser:
        return queryset
    # Subqueries rather than a join, so each arm can use its own index (member, trainer, location).
    return queryset.filter(
        Q(member=user)
        | Q(trainer__in=Trainer.objects.filter(user=user).values("pk"))
        | Q(location__in=user.gym_locations.values("pk"))
    )


def booking_get_for_user(*, user: User, booking_id: UUID | str) -> Booking:
    booking = bookings_visible_to(user=user).filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("No such booking.")
    return booking


def member_bookings(
    *, user: User, now: dt.datetime | None = None, limit: int = 50
) -> tuple[list[Booking], list[Booking]]:
    """(upcoming, past) bookings of a member: two queries, each at most `limit` rows, whatever the history
    (the upcoming ones through the partial index coaching_booking_upcoming)."""
    now = now or timezone.now()
    related = ("trainer__user", "location")
    upcoming = list(
        Booking.objects.filter(member=user, status__in=UPCOMING_BOOKING_STATUSES, ends_at__gt=now)
        .select_related(*related)
        .order_by("starts_at")[:limit]
    )
    past = list(
        Booking.objects.filter(member=user)
        .filter(Q(ends_at__lte=now) | ~Q(status__in=UPCOMING_BOOKING_STATUSES))
        .select_related(*related)
        .order_by("-starts_at")[:limit]
    )
    return upcoming, past


def feed_bookings(*, user: User, since: dt.datetime) -> QuerySet[Booking]:
    """A person's bookings for their calendar feed: as the member and, for a trainer, their clients'."""
    return (
        Booking.objects.filter(Q(member=user) | Q(trainer__user=user), ends_at__gte=since)
        .select_related("trainer__user", "member", "location")
        .order_by("starts_at")
    )


FEED_HISTORY = dt.timedelta(days=90)
FEED_LIMIT = 1000
ICAL_STATUS = {
    "scheduled": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "completed": "CONFIRMED",
    "cancelled": "CANCELLED",
    "no_show": "CANCELLED",
}


def calendar_ics(*, user: User, now: dt.datetime | None = None) -> bytes:
    """The person's bookings of the last 90 days and ahead as iCalendar (times in UTC; one query)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//FitJourney//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "FitJourney bookings")
    stamp = (now or timezone.now()).astimezone(dt.UTC)
    for booking in feed_bookings(user=user, since=stamp - FEED_HISTORY)[:FEED_LIMIT]:
        is_member = booking.member_id == user.pk
        other = booking.trainer.user if is_member else booking.member
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.pk}@fitjourney")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.starts_at.astimezone(dt.UTC))
        event.add("dtend", booking.ends_at.astimezone(dt.UTC))
        title = booking.title or booking.get_kind_display()
        name = (other.get_full_name() or other.username) if other is not None else "a former member"
        event.add("summary", f"{title} with {name}")
        event.add("location", ", ".join(part for part in (booking.location.name, booking.location.address) if part))
        event.add("status", ICAL_STATUS[booking.status])
        event.add("last-modified", booking.updated_at.astimezone(dt.UTC))
        calendar.add_component(event)
    return bytes(calendar.to_ical())


__all__ = [
    "calendar_ics",
    "DEFAULT_DURATION",
    "DEFAULT_STEP",
    "MAX_SLOT_DAYS",
    "SLOT_STEPS",
    "Slot",
    "availability_error",
    "booking_get_for_user",
    "bookings_visible_to",
    "check_slot_request",
    "feed_bookings",
    "member_bookings",
    "min_notice",
    "slots_for",
    "trainer_location_get",
]
