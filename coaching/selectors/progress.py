"""Reads for the Progress page's charts, in SI units (coaching.presenters shows them in the person's): each
series is one aggregate query, so the page costs the same for a week of data as for ten years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Case, DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncWeek

from accounts.models import User
from accounts.selectors.body import body_weight_series
from training.models import Exercise, Session, Set

WEEKS = 12
WEIGHT_DAYS = 180


def progress_weight(*, user: User, today: dt.date) -> list[tuple[dt.date, Decimal, Decimal]]:
    """The last 180 days of weigh-ins as (day, kg, 7-day average kg), oldest first: the average is the mean
    of the weigh-ins in the 7 days ending on each day, so gaps do not drag it to zero."""
    points = [
        (day, Decimal(kg)) for day, kg in body_weight_series(user=user, since=today - dt.timedelta(days=WEIGHT_DAYS))
    ]
    rows = []
    for index, (day, kg) in enumerate(points):
        window = [v for d, v in points[max(0, index - 6) : index + 1] if (day - d).days < 7]
        rows.append((day, kg, sum(window, Decimal(0)) / len(window)))
    return rows


@dataclass(frozen=True)
class WeeklyTotals:
    weeks: list[dt.date]  # the Mondays, oldest first
    volume_kg: list[Decimal]
    minutes: list[int]


def progress_weekly(*, user: User, today: dt.date) -> WeeklyTotals:
    """Weekly training volume (kg) and active minutes for the last 12 weeks (Monday-based), weeks without
    sessions as 0. One grouped query."""
    first_monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS - 1)
    rows = (
        Session.objects.for_user(user)
        .performed()
        .filter(local_date__gte=first_monday, local_date__lte=today)
        .annotate(week=TruncWeek("local_date"))
        .values("week")
        # Active minutes are the workouts' (the daily summaries' rule): painting or chess adds none.
        .annotate(
            volume=Sum("total_volume_kg"),
            seconds=Coalesce(Sum("duration_seconds", filter=Q(activity_type__is_physical=True)), 0),
        )
        .order_by("week")
    )
    by_week: dict[dt.date, Any] = {}  # the grouped rows (a TypedDict per week to the stubs)
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        by_week[week] = row
    weeks = [first_monday + dt.timedelta(weeks=n) for n in range(WEEKS)]
    return WeeklyTotals(
        weeks=weeks,
        volume_kg=[Decimal(by_week[w]["volume"] or 0) if w in by_week else Decimal(0) for w in weeks],
        minutes=[round((by_week[w]["seconds"] or 0) / 60) if w in by_week else 0 for w in weeks],
    )


def progress_exercises(*, user: User) -> list[tuple[UUID, str]]:
    """The exercises the person has logged sets with weight for (the 1RM select)."""
    logged = Set.objects.filter(
        session_exercise__exercise=OuterRef("pk"),
        session_exercise__session__user=user,
        session_exercise__session__deleted_at__isnull=True,
        session_exercise__session__is_template=False,
        weight_kg__gt=0,
    )
    return list(Exercise.objects.filter(Exists(logged)).order_by("name").values_list("id", "name"))


def progress_one_rm(*, user: User, exercise_id: UUID) -> list[tuple[dt.date, Decimal]]:
    """Best estimated 1RM (Epley) in kg per day for one exercise, from completed working sets; one query."""
    epley = Case(
        When(reps=1, then=F("weight_kg")),
        default=ExpressionWrapper(
            F("weight_kg")
            * (Value(Decimal(1)) + Cast("reps", DecimalField(max_digits=6, decimal_places=2)) / Value(30)),
            output_field=DecimalField(max_digits=12, decimal_places=4),
        ),
        output_field=DecimalField(max_digits=12, decimal_places=4),
    )
    rows = (
        Set.objects.filter(
            session_exercise__exercise_id=exercise_id,
            session_exercise__session__user=user,
            session_exercise__session__deleted_at__isnull=True,
            session_exercise__session__is_template=False,
            is_completed=True,
            is_warmup=False,
            weight_kg__gt=0,
            reps__isnull=False,
        )
        .values(day=F("session_exercise__session__local_date"))
        .annotate(best=Max(epley))
        .order_by("day")
    )
    return [(row["day"], Decimal(row["best"])) for row in rows]
