"""Reads of personal records and streaks, always scoped to their owner."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from ..models import PersonalRecord, Streak


def records_for_user(*, user: User, exercise_id: UUID | str | None = None) -> QuerySet[PersonalRecord]:
    # The exercise name and the session date show beside every record: joined, never lazy.
    records = PersonalRecord.objects.filter(user=user).select_related("exercise", "session")
    if exercise_id is not None:
        records = records.filter(exercise_id=exercise_id)
    return records.order_by("exercise__name", "record_type")


def streaks_for_user(*, user: User) -> list[Streak]:
    """The person's streaks, the overall one first. A stored current streak whose last day is before
    yesterday (in the person's time zone) has ended since it was computed, so it reads as 0."""
    today = timezone.localdate(timezone.now(), user.zone)
    streaks = list(Streak.objects.filter(user=user).select_related("activity_type").order_by("activity_type__name"))
    for streak in streaks:
        if streak.last_active_date is None or streak.last_active_date < today - dt.timedelta(days=1):
            streak.current_length = 0
            streak.current_start = None
    streaks.sort(key=lambda s: (s.activity_type_id is not None, s.activity_type.name if s.activity_type else ""))
    return streaks
