"""Writes for the exercise library: people add their own exercises; staff verify shared ones."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User

from ..models import ActivityType, Exercise, Level, Visibility

USER_SOURCE = "user"

logger = logging.getLogger(__name__)


@transaction.atomic
def exercise_create(
    *,
    owner: User,
    name: str,
    activity_type: ActivityType,
    category: str = "",
    description: str = "",
    instructions: list[str] | None = None,
    primary_muscles: list[str] | None = None,
    secondary_muscles: list[str] | None = None,
    equipment: str = "",
    level: str = "",
    met: Decimal | None = None,
    tracks_sets: bool = True,
    tracks_reps: bool = True,
    tracks_weight: bool = True,
    tracks_duration: bool = False,
    tracks_distance: bool = False,
    visibility: str = Visibility.PRIVATE,
) -> Exercise:
    """A person's own exercise. A public one is shown to everyone at once, marked unverified until staff
    verify it (the model's visibility rule); the owner always comes from the caller, never the payload."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the exercise a name."})
    if level and level not in Level.values:
        raise ValidationError({"level": "Choose beginner, intermediate or expert."})
    if not any((tracks_sets, tracks_reps, tracks_weight, tracks_duration, tracks_distance)):
        raise ValidationError({"tracks_sets": "Choose at least one thing to track."})
    if Exercise.objects.annotate(lowered=Lower("name")).filter(owner=owner, lowered=name.lower()).exists():
        raise ValidationError({"name": f"You already have an exercise called “{name}”."})
    exercise = Exercise(
        owner=owner,
        name=name,
        activity_type=activity_type,
        category=category.strip().lower(),
        description=description.strip(),
        instructions=[step.strip() for step in instructions or [] if step.strip()],
        primary_muscles=list(primary_muscles or []),
        secondary_muscles=list(secondary_muscles or []),
        equipment=equipment.strip().lower(),
        level=level,
        met=met,
        tracks_sets=tracks_sets,
        tracks_reps=tracks_reps,
        tracks_weight=tracks_weight,
        tracks_duration=tracks_duration,
        tracks_distance=tracks_distance,
        visibility=visibility,
        is_verified=False,
        source=USER_SOURCE,
    )
    exercise.full_clean(exclude=["search_vector"])
    exercise.save()
    return exercise


@transaction.atomic
def exercises_verify(*, exercises: QuerySet[Exercise]) -> int:
    """Marks the given exercises verified (staff vouch for a shared exercise); returns how many changed."""
    return exercises.filter(is_verified=False).update(is_verified=True, updated_at=timezone.now())


def exercise_usage_count_later(*, exercise_ids: Iterable[UUID | str]) -> None:
    """Counts a use of each exercise once the caller's transaction commits.

    A shared exercise (Bench Press) is used by everybody: incrementing its counter inside a request's
    transaction makes its row a hot lock that serialises every person logging it, and two sessions adding
    the same exercises in another order deadlock on it. After the commit each row is updated in its own
    single-statement transaction, in a fixed order; a lost increment (a crash between commit and count) only
    makes a popularity hint one lower."""
    ids = sorted({str(pk) for pk in exercise_ids})
    if ids:
        transaction.on_commit(lambda: _exercise_usage_count_add(ids))


def _exercise_usage_count_add(ids: list[str]) -> None:
    try:
        for pk in ids:
            Exercise.objects.filter(pk=pk).update(usage_count=F("usage_count") + 1)
    except DatabaseError:  # the person's session is saved; a popularity hint is not worth an error
        logger.warning("Could not count the use of exercises %s.", ids, exc_info=True)
