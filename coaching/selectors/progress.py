"""Reads for coaching pages. The Progress page's chart data: each series is one aggregate query, so the page
costs the same for a week of data as for ten years."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DecimalField, Exists, ExpressionWrapper, F, Max, OuterRef, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncWeek

from accounts.selectors.body import body_weight_series, display_units_for
from training.models import Exercise, Session, Set

WEEKS = 12
WEIGHT_DAYS = 180
TENTH = Decimal("0.1")


def _round(value) -> float:
    return float(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP))


def progress_weight(*, user, today: dt.date) -> dict:
    """The last 180 days of weight in the person's unit, with a trailing 7-day moving average (the mean
    of the weigh-ins in the 7 days ending on each day, so gaps do not drag it to zero)."""
    points = body_weight_series(user=user, since=today - dt.timedelta(days=WEIGHT_DAYS))
    unit_symbol = "kg"
    if points:
        units = display_units_for(user=user)
        unit = units.get("weight")
        if unit is not None and unit.symbol != "kg":
            # Weights are stored in kg, the base of the weight kind (factor 1).
            points = [(day, Decimal(value) / unit.factor) for day, value in points]
            unit_symbol = unit.symbol
    labels, values, average = [], [], []
    for index, (day, value) in enumerate(points):
        window = [v for d, v in points[max(0, index - 6) : index + 1] if (day - d).days < 7]
        labels.append(day.isoformat())
        values.append(_round(value))
        average.append(_round(sum(window) / len(window)))
    return {
        "unit": unit_symbol,
        "labels": labels,
        "series": [{"name": "Weight", "values": values}, {"name": "7-day average", "values": average}],
    }


def progress_weekly(*, user, today: dt.date) -> tuple[dict, dict]:
    """Weekly training volume (kg) and active minutes for the last 12 weeks (Monday-based), weeks without
    sessions as 0. One grouped query."""
    first_monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=WEEKS - 1)
    rows = (
        Session.objects.for_user(user)
        .performed()
        .filter(local_date__gte=first_monday, local_date__lte=today)
        .annotate(week=TruncWeek("local_date"))
        .values("week")
        .annotate(volume=Sum("total_volume_kg"), seconds=Coalesce(Sum("duration_seconds"), 0))
        .order_by("week")
    )
    by_week = {}
    for row in rows:
        week = row["week"].date() if isinstance(row["week"], dt.datetime) else row["week"]
        by_week[week] = row
    weeks = [first_monday + dt.timedelta(weeks=n) for n in range(WEEKS)]
    labels = [week.isoformat() for week in weeks]
    volume = [_round(by_week[w]["volume"] or 0) if w in by_week else 0.0 for w in weeks]
    minutes = [round((by_week[w]["seconds"] or 0) / 60) if w in by_week else 0 for w in weeks]
    return (
        {"unit": "kg", "labels": labels, "series": [{"name": "Volume", "values": volume}], "has_data": any(volume)},
        {
            "unit": "min",
            "labels": labels,
            "series": [{"name": "Active minutes", "values": minutes}],
            "has_data": any(minutes),
        },
    )


def progress_exercises(*, user) -> list[tuple]:
    """The exercises the person has logged sets with weight for (the 1RM select)."""
    logged = Set.objects.filter(
        session_exercise__exercise=OuterRef("pk"),
        session_exercise__session__user=user,
        session_exercise__session__deleted_at__isnull=True,
        session_exercise__session__is_template=False,
        weight_kg__gt=0,
    )
    return list(Exercise.objects.filter(Exists(logged)).order_by("name").values_list("id", "name"))


def progress_one_rm(*, user, exercise_id) -> dict:
    """Best estimated 1RM (Epley) per day for one exercise, from completed working sets; one query."""
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
    labels, values = [], []
    for row in rows:
        labels.append(row["day"].isoformat())
        values.append(_round(row["best"]))
    return {"unit": "kg", "labels": labels, "series": [{"name": "Estimated 1RM", "values": values}]}
