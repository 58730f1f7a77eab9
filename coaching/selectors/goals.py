"""Reads of goals, and their progress computed from the person's logs.

`goals_progress` measures any list of goals in ONE query whatever their number and kinds: a UNION ALL
with one branch per source the goals need (body metrics, personal records, training sessions, distance,
habit logs, the nutrition diary), each branch returning rows of (metric, subject, tag, day, value) that
are already aggregated per week (or month) over a bounded window (SERIES_WEEKS), so the cost is the
size of the window, not of the history. From those rows come the current value, the percent of the way,
a projection and a weekly chart series per goal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet

from accounts.models import User
from training.models import DISTANCE_METRIC, PersonalRecord, RecordType

from ..models import METRICS, Direction, Goal, GoalMetric, GoalMilestone, GoalStatus

SERIES_WEEKS = 26  # the chart's window, and the furthest back any branch reads
RATE_DAYS = 28  # "the current 4-week rate" of the projection
HABIT_DAYS = 28  # habit completion: the share of the last 4 weeks' days done
NUTRITION_DAYS = 7  # energy and protein: the average of the last 7 logged days (today excluded)
PROJECTION_MAX_DAYS = 5 * 366
TODAY_GOALS_SHOWN = 3

# (metric, subject) → rows; the metrics each branch serves.
BODY_TYPES = {GoalMetric.BODY_WEIGHT: "weight", GoalMetric.BODY_FAT: "body_fat"}
LIFT_TYPES = {GoalMetric.EXERCISE_E1RM: "one_rm", GoalMetric.EXERCISE_MAX_WEIGHT: "max_weight"}


@dataclass
class GoalProgress:
    goal: Goal
    current: Decimal | None
    percent: int
    reached: bool
    projection: dt.date | None  # at the current rate, the day the target is reached; None: not at this rate
    period: str  # what `current` covers: "latest", "this week", "this month", "last 4 weeks", "last 7 days"
    series: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    rate_per_week: Decimal | None = None


# ---------------------------------------------------------------------------------------------------
# Lists


def goals_active_for(*, user: User) -> QuerySet[Goal]:
    """The person's active goals, primary first."""
    return Goal.objects.filter(user=user, status=GoalStatus.ACTIVE).order_by("priority", "role")


def goals_for_user(*, user: User, status: str | None = GoalStatus.ACTIVE) -> QuerySet[Goal]:
    """The person's goals with their subjects (one join) and milestones (one prefetch): the goals page
    and the API list read nothing more per goal."""
    goals = Goal.objects.filter(user=user).select_related("exercise", "habit", "activity_type")
    if status:
        goals = goals.filter(status=status)
    milestones = Prefetch("milestones", queryset=GoalMilestone.objects.order_by("percent"))
    return goals.prefetch_related(milestones).order_by("priority", "created_at")


def goals_top_for(*, user: User, count: int = TODAY_GOALS_SHOWN) -> list[Goal]:
    """Today's and the review's card: the most important measured active goals. One query."""
    return list(
        Goal.objects.filter(user=user, status=GoalStatus.ACTIVE)
        .exclude(metric="")
        .select_related("exercise", "habit", "activity_type")
        .order_by("priority", "created_at")[:count]
    )


def goals_card(*, user: User, count: int = TODAY_GOALS_SHOWN) -> list[GoalProgress]:
    """Today's and the weekly review's goals card: the top measured goals with their progress. Two
    queries (one when the person has no measured goal)."""
    goals = goals_top_for(user=user, count=count)
    if not goals:
        return []
    progress = goals_progress(user=user, goals=goals)
    return [progress[goal.pk] for goal in goals]


def goal_exercise_suggestions(*, user: User, limit: int = 100) -> list[str]:
    """The names of the exercises the person has an estimated 1RM for (the goal form suggests them). One
    query on the records' (user, exercise, type) index."""
    return list(
        PersonalRecord.objects.filter(user=user, record_type=RecordType.ONE_RM)
        .order_by("exercise__name")
        .values_list("exercise__name", flat=True)[:limit]
    )


def goal_get_for_user(*, user: User, goal_id: Any) -> Goal:
    """One of the person's goals with its subjects and milestones; anybody else's is NotFound (404)."""
    from fitjourney.errors import NotFound

    try:
        return goals_for_user(user=user, status=None).get(pk=goal_id)
    except (Goal.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound("No such goal.") from error


# ---------------------------------------------------------------------------------------------------
# Progress


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _build_query(*, user: User, goals: Sequence[Goal], today: dt.date) -> tuple[str, list[Any]] | None:
    metrics = {goal.metric for goal in goals}
    since = _week(today) - dt.timedelta(weeks=SERIES_WEEKS - 1)
    branches: list[str] = []
    params: list[Any] = []
    uid = user.pk

    body = [BODY_TYPES[m] for m in BODY_TYPES if m in metrics]
    if body:
        # The latest reading of each type (the series index, newest first), and weekly averages.
        branches.append(
            "(SELECT CASE b.metric_type_id WHEN 'weight' THEN 'body_weight' ELSE 'body_fat' END, '', 'latest',"
            " b.local_date, b.value FROM (SELECT DISTINCT ON (metric_type_id) metric_type_id, local_date, value"
            " FROM accounts_bodymetric WHERE user_id = %s AND metric_type_id = ANY(%s)"
            " ORDER BY metric_type_id, measured_at DESC) b)"
        )
        params += [uid, body]
        branches.append(
            "(SELECT CASE metric_type_id WHEN 'weight' THEN 'body_weight' ELSE 'body_fat' END, '', 'week',"
            " date_trunc('week', local_date)::date, avg(value) FROM accounts_bodymetric"
            " WHERE user_id = %s AND metric_type_id = ANY(%s) AND local_date >= %s"
            " GROUP BY metric_type_id, date_trunc('week', local_date))"
        )
        params += [uid, body, since]

    lifts = [LIFT_TYPES[m] for m in LIFT_TYPES if m in metrics]
    exercises = sorted({str(g.exercise_id) for g in goals if g.metric in LIFT_TYPES and g.exercise_id})
    if lifts and exercises:
        # One row per (exercise, record type): the unique index of personal records.
        branches.append(
            "(SELECT CASE record_type WHEN 'one_rm' THEN 'exercise_e1rm' ELSE 'exercise_max_weight' END,"
            " exercise_id::text, 'latest', (achieved_at AT TIME ZONE %s)::date, value"
            " FROM training_personalrecord WHERE user_id = %s AND record_type = ANY(%s)"
            " AND exercise_id = ANY(%s::uuid[]))"
        )
        params += [user.timezone, uid, lifts, exercises]

    if GoalMetric.SESSIONS_PER_WEEK in metrics:
        # Tagged 'week' for physical types and 'week_other' for the rest: a goal without a type counts
        # workouts only (painting is no training, issue 14 point 3); a goal on one type counts that type.
        branches.append(
            "(SELECT 'sessions_per_week', s.activity_type_id::text,"
            " CASE WHEN t.is_physical THEN 'week' ELSE 'week_other' END, date_trunc('week', s.local_date)::date,"
            " count(*)::numeric FROM training_session s JOIN training_activitytype t ON t.id = s.activity_type_id"
            " WHERE s.user_id = %s AND s.status = 'finished'"
            " AND s.deleted_at IS NULL AND NOT s.is_template AND s.local_date >= %s"
            " GROUP BY s.activity_type_id, t.is_physical, date_trunc('week', s.local_date))"
        )
        params += [uid, since]

    if GoalMetric.DISTANCE_MONTH in metrics:
        # A session's distance: its sets' distances, or its distance metric when it has no set with one.
        branches.append(
            "(SELECT 'distance_month', s.activity_type_id::text, 'month', date_trunc('month', s.local_date)::date,"
            " sum(COALESCE((SELECT sum(st.distance_m) FROM training_set st JOIN training_sessionexercise se"
            " ON se.id = st.session_exercise_id WHERE se.session_id = s.id),"
            " (SELECT m.value_numeric FROM training_sessionmetric m WHERE m.session_id = s.id AND m.name = %s), 0))"
            " FROM training_session s WHERE s.user_id = %s AND s.status = 'finished' AND s.deleted_at IS NULL"
            " AND NOT s.is_template AND s.local_date >= %s"
            " GROUP BY s.activity_type_id, date_trunc('month', s.local_date))"
        )
        params += [DISTANCE_METRIC, uid, since]

    habits = sorted({str(g.habit_id) for g in goals if g.metric == GoalMetric.HABIT_COMPLETION and g.habit_id})
    if habits:
        branches.append(
            "(SELECT 'habit_completion', habit_id::text, 'week', date_trunc('week', log_date)::date,"
            " count(*) FILTER (WHERE completed)::numeric FROM coaching_habitlog"
            " WHERE habit_id = ANY(%s::uuid[]) AND log_date >= %s AND log_date <= %s"
            " GROUP BY habit_id, date_trunc('week', log_date))"
        )
        params += [habits, since, today]
        branches.append(
            "(SELECT 'habit_completion', habit_id::text, 'recent', %s::date, count(*) FILTER (WHERE completed)::numeric"
            " FROM coaching_habitlog WHERE habit_id = ANY(%s::uuid[]) AND log_date > %s AND log_date <= %s"
            " GROUP BY habit_id)"
        )
        params += [today, habits, today - dt.timedelta(days=HABIT_DAYS), today]

    if GoalMetric.ENERGY_DAY in metrics or GoalMetric.PROTEIN_DAY in metrics:
        # Per logged day from the diary itself (the daily summaries lag behind by their refresh delay).
        day_totals = (
            "SELECT m.date AS day, sum(i.energy_kcal) AS kcal, sum(i.protein_g) AS protein FROM nutrition_meal m"
            " JOIN nutrition_mealitem i ON i.meal_id = m.id WHERE m.user_id = %s AND m.deleted_at IS NULL"
            " AND m.date >= %s AND m.date < %s GROUP BY m.date"
        )
        branches.append(
            f"(SELECT unnest(ARRAY['energy_day', 'protein_day']), '', 'week', date_trunc('week', d.day)::date,"
            f" unnest(ARRAY[avg(d.kcal), avg(d.protein)]) FROM ({day_totals}) d"
            f" GROUP BY date_trunc('week', d.day))"
        )
        params += [uid, since, today]
        branches.append(
            f"(SELECT unnest(ARRAY['energy_day', 'protein_day']), '', 'recent', %s::date,"
            f" unnest(ARRAY[avg(d.kcal), avg(d.protein)]) FROM ({day_totals}) d HAVING count(*) > 0)"
        )
        params += [today, uid, today - dt.timedelta(days=NUTRITION_DAYS), today]

    if not branches:
        return None
    return " UNION ALL ".join(branches), params


Rows = dict[tuple[str, str, str], list[tuple[dt.date, Decimal]]]


def _fetch(*, user: User, goals: Sequence[Goal], today: dt.date) -> Rows:
    query = _build_query(user=user, goals=goals, today=today)
    rows: Rows = defaultdict(list)
    if query is None:
        return rows
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for metric, subject, tag, day, value in cursor.fetchall():
            if value is not None:
                rows[(metric, subject or "", tag)].append((day, Decimal(value)))
    for values in rows.values():
        values.sort()
    return rows


def _summed(rows: Rows, metric: str, subject: str | None, tag: str) -> list[tuple[dt.date, Decimal]]:
    """A series of one subject, or of all subjects summed when the goal names none."""
    if subject:
        return list(rows.get((metric, subject, tag), []))
    totals: dict[dt.date, Decimal] = defaultdict(Decimal)
    for (row_metric, _, row_tag), values in rows.items():
        if row_metric == metric and row_tag == tag:
            for day, value in values:
                totals[day] += value
    return sorted(totals.items())


def _reached(goal: Goal, value: Decimal | None, target: Decimal | None) -> bool:
    if value is None or target is None:
        return False
    return value <= target if goal.direction == Direction.DOWN else value >= target


def _percent(goal: Goal, current: Decimal | None) -> int:
    target = goal.target_value
    if current is None or target is None:
        return 0
    if _reached(goal, current, target):
        return 100
    spec = METRICS[goal.metric]
    start = goal.start_value
    if spec.is_rate or start is None:
        if goal.direction == Direction.DOWN:
            share = target / current if current else Decimal(1)
        else:
            share = current / target if target else Decimal(0)
    else:
        span = target - start
        share = (current - start) / span if span else Decimal(0)
    return max(0, min(99, int((share * 100).to_integral_value(rounding=ROUND_HALF_UP))))


def _rate_per_day(
    goal: Goal, current: Decimal | None, weekly: list[tuple[dt.date, Decimal]], latest_day: dt.date | None
) -> Decimal | None:
    """The change a day over the last 4 weeks (weekly averages), or since the start for a lift."""
    if goal.metric in BODY_TYPES:
        if len(weekly) < 2:
            return None
        last_week, last = weekly[-1]
        earlier = [(day, value) for day, value in weekly[:-1] if day >= last_week - dt.timedelta(days=RATE_DAYS)]
        if not earlier:
            return None
        first_week, first = earlier[0]
        days = (last_week - first_week).days
        return (last - first) / days if days else None
    if goal.metric in LIFT_TYPES:
        if current is None or goal.start_value is None or latest_day is None:
            return None
        days = (latest_day - goal.start_date).days
        return (current - goal.start_value) / days if days > 0 else None
    return None


def _projection(goal: Goal, current: Decimal | None, rate: Decimal | None, today: dt.date) -> dt.date | None:
    if current is None or goal.target_value is None:
        return None
    if _reached(goal, current, goal.target_value):
        return today
    if not rate:
        return None
    days = (goal.target_value - current) / rate
    if days <= 0 or days > PROJECTION_MAX_DAYS:
        return None  # moving away from the target, or not within five years at this rate
    return today + dt.timedelta(days=int(days.to_integral_value(rounding=ROUND_HALF_UP)))


def _measure(goal: Goal, rows: Rows, today: dt.date) -> GoalProgress:
    metric = goal.metric
    spec = METRICS[metric]
    current: Decimal | None = None
    series: list[tuple[dt.date, Decimal]] = []
    latest_day: dt.date | None = None
    period = "latest"
    if metric in BODY_TYPES:
        latest = rows.get((metric, "", "latest"), [])
        if latest:
            latest_day, current = latest[-1]
        series = rows.get((metric, "", "week"), [])
    elif metric in LIFT_TYPES:
        latest = rows.get((metric, str(goal.exercise_id), "latest"), [])
        if latest:
            latest_day, current = latest[-1]
        if goal.start_value is not None:
            series.append((goal.start_date, goal.start_value))
        if current is not None and latest_day is not None and latest_day > goal.start_date:
            series.append((latest_day, current))
    elif metric == GoalMetric.SESSIONS_PER_WEEK:
        if goal.activity_type_id:
            subject = str(goal.activity_type_id)
            series = rows.get((metric, subject, "week"), []) or rows.get((metric, subject, "week_other"), [])
        else:
            series = _summed(rows, metric, None, "week")
        this_week = _week(today)
        current = next((value for day, value in series if day == this_week), Decimal(0))
        period = "this week"
    elif metric == GoalMetric.DISTANCE_MONTH:
        series = _summed(rows, metric, str(goal.activity_type_id) if goal.activity_type_id else None, "month")
        this_month = today.replace(day=1)
        current = next((value for day, value in series if day == this_month), Decimal(0))
        period = "this month"
    elif metric == GoalMetric.HABIT_COMPLETION:
        subject = str(goal.habit_id)
        recent = rows.get((metric, subject, "recent"), [])
        done = recent[-1][1] if recent else Decimal(0)
        current = (done * 100 / HABIT_DAYS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        series = [
            (day, (value * 100 / 7).quantize(Decimal("0.1"))) for day, value in rows.get((metric, subject, "week"), [])
        ]
        period = "last 4 weeks"
    elif metric in (GoalMetric.ENERGY_DAY, GoalMetric.PROTEIN_DAY):
        recent = rows.get((metric, "", "recent"), [])
        current = recent[-1][1].quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if recent else None
        series = rows.get((metric, "", "week"), [])
        period = "last 7 days"
    if current is not None:
        current = current.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # the goal's columns hold 3 places
    rate = None if spec.is_rate else _rate_per_day(goal, current, series, latest_day)
    return GoalProgress(
        goal=goal,
        current=current,
        percent=_percent(goal, current),
        reached=_reached(goal, current, goal.target_value),
        projection=None if spec.is_rate else _projection(goal, current, rate, today),
        period=period,
        series=[(day, Decimal(value).quantize(Decimal("0.01"))) for day, value in series][-SERIES_WEEKS:],
        rate_per_week=(rate * 7).quantize(Decimal("0.01")) if rate is not None else None,
    )


def goals_progress(*, user: User, goals: Iterable[Goal], today: dt.date | None = None) -> dict[Any, GoalProgress]:
    """Progress of each measured goal (by id; unsaved goals by their object id too), in one query."""
    today = today or user.local_today()
    measured = [goal for goal in goals if goal.metric and goal.metric in METRICS]
    rows = _fetch(user=user, goals=measured, today=today)
    return {goal.pk: _measure(goal, rows, today) for goal in measured}


def metric_current_value(
    *,
    user: User,
    metric: str,
    exercise_id: Any = None,
    habit_id: Any = None,
    activity_type_id: Any = None,
    today: dt.date | None = None,
) -> Decimal | None:
    """The person's value of a metric now (a new goal starts from it). One query."""
    probe = Goal(
        user=user,
        metric=metric,
        exercise_id=exercise_id,
        habit_id=habit_id,
        activity_type_id=activity_type_id,
        start_date=today or user.local_today(),
    )
    return goals_progress(user=user, goals=[probe], today=today)[probe.pk].current


__all__ = [
    "SERIES_WEEKS",
    "GoalProgress",
    "goal_get_for_user",
    "goals_active_for",
    "goals_card",
    "goals_for_user",
    "goals_progress",
    "goals_top_for",
    "metric_current_value",
]
