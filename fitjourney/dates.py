"""The one rule for the dates and times people enter.

Every date or date-time a person types (a meal, a drink, a session, a weight, a habit check-in, a journal
entry, a check-in) lies between EARLIEST_DATE and the day after their local today: a day of slack for a
person travelling or a device clock ahead, nothing further (nobody has eaten tomorrow's lunch yet). What is
planned (schedules, habits' start and end, goals, bookings) may lie up to PLANNED_YEARS ahead.

Services apply the rule (`check_entry_date`, `check_entry_datetime`, `check_planned_date`); forms and
serializers get the same messages through them. The database keeps every stored date of those columns
inside [EARLIEST_DATE, LATEST_DATE] (`date_range_check`), so no row can ever make date arithmetic overflow
(a week of 9999-12-31 has no Sunday) whatever path wrote it. Query parameters naming dates go through
`parse_query_date`, which refuses dates outside the same bounds.

This module knows no app: it takes a time zone, not a person.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

EARLIEST_DATE = dt.date(1900, 1, 1)
# The database's outer bound for any stored date: far beyond anything planned, far from year 9999.
LATEST_DATE = dt.date(2100, 12, 31)
# How far past the person's local today an entry may be dated.
FUTURE_DAYS = 1
# How far ahead something planned may be (habits' end dates, goals, bookings).
PLANNED_YEARS = 5


def local_today(zone: dt.tzinfo | None = None, *, now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now(), zone or ZoneInfo("UTC"))


def entry_bounds(zone: dt.tzinfo | None = None, *, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """(earliest, latest) local dates an entry may have for a person in `zone`."""
    return EARLIEST_DATE, local_today(zone, now=now) + dt.timedelta(days=FUTURE_DAYS)


def planned_bounds(zone: dt.tzinfo | None = None, *, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    today = local_today(zone, now=now)
    try:
        latest = today.replace(year=today.year + PLANNED_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + PLANNED_YEARS, day=28)
    return EARLIEST_DATE, min(latest, LATEST_DATE)


def _fmt(day: dt.date) -> str:
    return day.isoformat()


def entry_date_error(day: dt.date, *, zone: dt.tzinfo | None = None, now: dt.datetime | None = None) -> str | None:
    """The message for a date outside the entry rule, or None when it is inside."""
    earliest, latest = entry_bounds(zone, now=now)
    if day < earliest:
        return f"Enter a date from {_fmt(earliest)} on."
    if day > latest:
        return f"The date cannot be later than {_fmt(latest)} (tomorrow)."
    return None


def check_entry_date(
    day: dt.date | None, *, zone: dt.tzinfo | None, field: str, now: dt.datetime | None = None
) -> None:
    """Raises ValidationError({field: …}) when `day` (a local date) breaks the entry rule."""
    if day is None:
        return
    message = entry_date_error(day, zone=zone, now=now)
    if message:
        raise ValidationError({field: [message]})


def check_entry_datetime(
    moment: dt.datetime | None, *, zone: dt.tzinfo | None, field: str, now: dt.datetime | None = None
) -> None:
    """The entry rule for a moment: its local date in `zone` obeys `check_entry_date`."""
    if moment is None:
        return
    zone = zone or ZoneInfo("UTC")
    try:
        day = timezone.localdate(moment, zone) if timezone.is_aware(moment) else moment.date()
    except OverflowError:  # 9999-12-31T23:00-05:00 has no UTC equivalent
        raise ValidationError({field: [f"Enter a time from {_fmt(EARLIEST_DATE)} on and not in the future."]}) from None
    check_entry_date(day, zone=zone, field=field, now=now)


def check_planned_date(
    day: dt.date | None, *, zone: dt.tzinfo | None, field: str, now: dt.datetime | None = None
) -> None:
    """Raises ValidationError({field: …}) when a planned date lies before 1900 or too far ahead."""
    if day is None:
        return
    earliest, latest = planned_bounds(zone, now=now)
    if day < earliest:
        raise ValidationError({field: [f"Enter a date from {_fmt(earliest)} on."]})
    if day > latest:
        raise ValidationError({field: [f"Plan no further ahead than {_fmt(latest)}."]})


def query_date_error(day: dt.date) -> str | None:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"Enter a date between {_fmt(EARLIEST_DATE)} and {_fmt(LATEST_DATE)}."
    return None


def parse_query_date(value: str, *, field: str) -> dt.date:
    """A YYYY-MM-DD query parameter inside the stored range, else ValidationError({field: …})."""
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError({field: ["Enter a date as YYYY-MM-DD."]}) from None
    message = query_date_error(day)
    if message:
        raise ValidationError({field: [message]})
    return day


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_from_path(value: str) -> dt.date | None:
    """A YYYY-MM-DD part of a URL inside the stored range, or None (the caller answers 404)."""
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return None if query_date_error(day) else day


def date_range_check(field: str) -> Q:
    """The CHECK condition keeping a stored date column inside [EARLIEST_DATE, LATEST_DATE]."""
    return Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_DATE})


def datetime_range_check(field: str, *, nullable: bool = False) -> Q:
    """The same for a timestamp column (bounds at UTC midnight, a day of margin for time zones)."""
    low = dt.datetime.combine(EARLIEST_DATE - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    high = dt.datetime.combine(LATEST_DATE + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    condition = Q(**{f"{field}__gte": low, f"{field}__lt": high})
    return condition | Q(**{f"{field}__isnull": True}) if nullable else condition


__all__ = [
    "EARLIEST_DATE",
    "FUTURE_DAYS",
    "LATEST_DATE",
    "PLANNED_YEARS",
    "check_entry_date",
    "check_entry_datetime",
    "check_planned_date",
    "date_from_path",
    "date_range_check",
    "datetime_range_check",
    "entry_bounds",
    "entry_date_error",
    "local_today",
    "parse_query_date",
    "planned_bounds",
    "query_date_error",
]
