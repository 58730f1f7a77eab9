"""Page: the weekly review (/review/?week=<any day of the week>), charts and totals from the stored
daily and weekly summaries. Charts are drawn by static/js/charts.js from JSON in the page, each with a
table beside it. Ends with `urlpatterns`."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import dateformat, timezone
from django.views.decorators.http import require_GET

from ..selectors import today as selectors
from .today import DAY_PATTERN, EARLIEST, KG_PER_LB, weight_unit

TENTH = Decimal("0.1")


def _week_day(value: str, today: dt.date) -> dt.date:
    """Any day of a week up to the current one; malformed or later weeks are a 404."""
    if not value:
        return today
    if not DAY_PATTERN.fullmatch(value):
        raise Http404("Not a date.")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404("Not a date.") from exc
    if day < EARLIEST or selectors.week_of(day)[0] > selectors.week_of(today)[0]:
        raise Http404("No such week.")
    return day


def _weight_value(kg, user) -> float:
    value = Decimal(kg) / KG_PER_LB if user.unit_system == "imperial" else Decimal(kg)
    return float(value.quantize(TENTH, rounding=ROUND_HALF_UP))


def _chart(unit: str, labels: list[str], series: list[tuple[str, list]]) -> dict:
    return {
        "unit": unit,
        "labels": labels,
        "series": [{"name": name, "values": values} for name, values in series],
        "has_data": any(value for _, values in series for value in values),
    }


def _rows(chart: dict) -> list[tuple]:
    """The chart's numbers as table rows (label, value per series): the text fallback of every chart."""
    return list(zip(chart["labels"], *(series["values"] for series in chart["series"]), strict=True))


def _charts(review: selectors.Review, user) -> dict:
    days = [review.daily.get(day) for day in review.days]
    day_labels = [day.isoformat() for day in review.days]
    minutes = _chart("min", day_labels, [("Active minutes", [s.active_minutes if s else 0 for s in days])])
    calories = _chart(
        "kcal",
        day_labels,
        [
            ("Eaten", [s.calories_eaten if s else 0 for s in days]),
            ("Burned", [s.calories_burned if s else 0 for s in days]),
        ],
    )
    # Over 12 weeks only the weeks that have a value are points: a week without a weigh-in (or without
    # habits due) is a gap, not a zero.
    weeks = [(w, review.weekly[w]) for w in review.weeks if w in review.weekly]
    weighed = [(w, s) for w, s in weeks if s.end_weight_kg is not None]
    weight = _chart(
        weight_unit(user),
        [w.isoformat() for w, _ in weighed],
        [("Weight at the end of the week", [_weight_value(s.end_weight_kg, user) for _, s in weighed])],
    )
    rated = [(w, s) for w, s in weeks if s.habit_completion_rate is not None]
    habits = _chart(
        "%",
        [w.isoformat() for w, _ in rated],
        [("Habit completion", [float(s.habit_completion_rate) for _, s in rated])],
    )
    # A week of habits all missed is still a week with habits: the chart shows its zero.
    habits["has_data"] = bool(rated)
    habits["max"] = 100
    weight["has_data"] = bool(weighed)
    weekdays = [dateformat.format(day, "D") for day in review.days]
    minutes["ticks"] = calories["ticks"] = weekdays
    return {"minutes": minutes, "calories": calories, "weight": weight, "habits": habits}


def _totals(week, user) -> dict | None:
    if week is None:
        return None
    change = week.weight_change_kg
    change_shown = ""
    if change is not None:
        value = Decimal(change) / KG_PER_LB if user.unit_system == "imperial" else Decimal(change)
        value = value.quantize(TENTH, rounding=ROUND_HALF_UP)
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        change_shown = f"{sign}{abs(value)} {weight_unit(user)}"
    return {
        "workouts": week.workouts,
        "workout_days": week.workout_days,
        "active_minutes": week.active_minutes,
        "avg_calories_eaten": week.avg_calories_eaten,
        "weight_change": change_shown,
        "habit_rate": week.habit_completion_rate,
        "habits_completed": week.habits_completed,
        "habits_total": week.habits_total,
        "journal_days": week.journal_days,
    }


@login_required
@require_GET
def review_view(request):
    today = timezone.localdate()
    day = _week_day(request.GET.get("week", ""), today)
    review = selectors.review_week(user=request.user, day=day)
    charts = _charts(review, request.user)
    this_monday = selectors.week_of(today)[0]
    next_monday = review.week_start + dt.timedelta(weeks=1)
    context = {
        "review": review,
        "is_current": review.week_start == this_monday,
        "previous_week": review.week_start - dt.timedelta(weeks=1),
        "next_week": next_monday if next_monday <= this_monday else None,
        "totals": _totals(review.this_week, request.user),
        **charts,
        **{f"{name}_rows": _rows(chart) for name, chart in charts.items()},
    }
    return render(request, "coaching/review.html", context)


urlpatterns = [
    path("review/", review_view, name="review"),
]
