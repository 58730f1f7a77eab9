"""Streaks: consecutive active days in the person's local dates, overall and per activity type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import Session, Streak

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StreakSpan:
    current_length: int
    longest_length: int
    current_start: dt.date | None
    last_active_date: dt.date | None


def streak_from_dates(dates: list[dt.date], *, today: dt.date) -> StreakSpan:
    """Gaps and islands over sorted distinct dates. The current streak is the last island when it ends
    today or yesterday (today may not have been trained yet), otherwise 0."""
    if not dates:
        return StreakSpan(0, 0, None, None)
    dates = sorted(set(dates))
    longest = 1
    start = dates[0]
    run = 1
    for previous, day in zip(dates, dates[1:], strict=False):
        if day - previous == ONE_DAY:
            run += 1
        else:
            run, start = 1, day
        longest = max(longest, run)
    last = dates[-1]
    if last >= today - ONE_DAY:
        return StreakSpan(run, longest, start, last)
    return StreakSpan(0, longest, None, last)


@transaction.atomic
def streaks_refresh(*, user: User) -> None:
    """Called by session_finish (and after a session is deleted): recomputes the person's streaks from
    scratch, so a deleted session shortens them too. One read of the distinct (type, day) pairs, one
    upsert, one delete of types no longer trained."""
    pairs = list(Session.objects.for_user(user).performed().values_list("activity_type_id", "local_date").distinct())
    today = timezone.localdate(timezone.now(), user.zone)
    by_type: dict[UUID | None, list[dt.date]] = {None: []}
    for type_id, day in pairs:
        by_type[None].append(day)
        by_type.setdefault(type_id, []).append(day)
    rows: list[Streak] = []
    for activity_type_id, dates in by_type.items():
        span = streak_from_dates(dates, today=today)
        if span.last_active_date is None:
            continue
        rows.append(
            Streak(
                user=user,
                activity_type_id=activity_type_id,
                current_length=span.current_length,
                longest_length=span.longest_length,
                current_start=span.current_start,
                last_active_date=span.last_active_date,
                updated_at=timezone.now(),
            )
        )
    kept = [key for key in by_type if key is not None and by_type[key]]
    stale = Streak.objects.filter(user=user).exclude(activity_type_id__in=kept)
    if by_type[None]:
        stale = stale.exclude(activity_type__isnull=True)
    stale.delete()
    if rows:
        # In a fixed order, so two sessions of the same person finishing at once lock the rows alike.
        rows.sort(key=lambda row: (row.activity_type_id is not None, str(row.activity_type_id)))
        Streak.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "activity_type"],
            update_fields=["current_length", "longest_length", "current_start", "last_active_date", "updated_at"],
        )
