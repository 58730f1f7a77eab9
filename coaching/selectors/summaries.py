"""Reads of the stored daily and weekly summaries (computed by coaching.services.summaries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import User

from ..models import DailySummary, PendingSummary, WeeklySummary


def daily_summaries(*, user: User, start: dt.date, end: dt.date) -> QuerySet[DailySummary]:
    """The person's stored days from `start` to `end`, oldest first (days with no data have no row).
    The (user, date) unique index serves it."""
    return DailySummary.objects.filter(user=user, date__gte=start, date__lte=end).order_by("date")


def weekly_summaries(*, user: User, start: dt.date, end: dt.date) -> QuerySet[WeeklySummary]:
    """The person's weeks that overlap `start`–`end`, oldest first."""
    return WeeklySummary.objects.filter(user=user, week_end__gte=start, week_start__lte=end).order_by("week_start")


def summaries_pending(*, user: User, dates: Iterable[dt.date]) -> bool:
    """Whether a refresh of any of these days is queued (the values shown are about to change)."""
    dates = list(dates)
    return bool(dates) and PendingSummary.objects.filter(user=user, date__in=dates).exists()


def summaries_pending_dates(*, user: User, start: dt.date, end: dt.date) -> set[dt.date]:
    """The days from `start` to `end` whose refresh is queued. One query."""
    return set(PendingSummary.objects.filter(user=user, date__gte=start, date__lte=end).values_list("date", flat=True))
