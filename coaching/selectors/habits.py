"""Reads of habits: the habits of a day with that day's check-in, history, streaks and completion.

Streaks and rates are computed in Python from one read of the logs (completed dates plus the recent
window), never a query per day. What counts:

- A daily habit is due every day from its start to its end; a custom one on its ISO weekdays; a weekly
  one once per ISO week (Monday to Sunday), on whichever day it is done. Pausing (is_active) hides a
  habit from the day's check-in but does not rewrite its history.
- The current streak counts consecutive due days (weeks for weekly habits) completed, back from today.
  Today (this week) not yet done does not break it: the day is not over.
- The best streak is the longest such run since the start. A check-in on a day that was not due (a
  custom habit done on a free day) neither counts nor breaks.
- The completion rate covers the last 30 days: completed due days / due days, where today counts only
  once done. None when nothing was due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import Frequency, Habit, HabitLog, HabitTemplate

ONE_DAY = dt.timedelta(days=1)
WINDOW_DAYS = 30


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def habit_scheduled_on(habit: Habit, day: dt.date) -> bool:
    """Whether `day` is one of the habit's due days by its schedule alone (weekly habits: never a
    particular day). Unlike Habit.is_due_on this ignores pausing: history keeps its meaning."""
    if day < habit.start_date or (habit.end_date and day > habit.end_date):
        return False
    if habit.frequency == Frequency.CUSTOM:
        return day.isoweekday() in habit.weekdays
    return habit.frequency == Frequency.DAILY


# ---------------------------------------------------------------------------------------------------
# Lookups


def habit_templates_for_user(*, user: User) -> QuerySet[HabitTemplate]:
    """The system templates and the person's own, system ones first."""
    return HabitTemplate.objects.filter(Q(is_system=True) | Q(created_by=user)).order_by("-is_system", "name")


def habits_for_user(*, user: User) -> QuerySet[Habit]:
    """The person's habits (deleted ones hidden), active first, oldest first."""
    return Habit.objects.for_user(user).order_by("-is_active", "created_at")


def habit_get_for_user(*, user: User, habit_id: UUID | str) -> Habit:
    """Only the owner's own (not deleted) habit; anybody else gets a 404, as for a missing one."""
    habit = Habit.objects.for_user(user).filter(pk=habit_id).first()
    if habit is None:
        raise NotFound("Habit not found.")
    return habit


def habit_logs_in_range(
    *, habit: Habit, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[HabitLog]:
    """The habit's check-ins, newest first (the unique index (habit, log_date) read backwards)."""
    logs = HabitLog.objects.filter(habit=habit)
    if date_from is not None:
        logs = logs.filter(log_date__gte=date_from)
    if date_to is not None:
        logs = logs.filter(log_date__lte=date_to)
    return logs.order_by("-log_date")


def habit_log_get(*, habit: Habit, log_date: dt.date) -> HabitLog:
    log = HabitLog.objects.filter(habit=habit, log_date=log_date).first()
    if log is None:
        raise NotFound("No check-in that day.")
    return log


# ---------------------------------------------------------------------------------------------------
# The day's check-in


def habits_for_day(*, user: User, day: dt.date) -> list[Habit]:
    """The habits to check in on `day`, each with `.log` = that day's HabitLog or None. One query.

    Due that day: active and within start/end, and daily, or custom on one of its weekdays, or weekly
    and not yet completed earlier that week; plus any habit completed that day (a weekly habit done
    today, a custom habit done on a free day), so a tick never vanishes from under the finger.
    The day's log comes in the same query: a LEFT JOIN on (habit, log_date), which the unique
    constraint makes at most one row.
    """
    done_earlier_this_week = HabitLog.objects.filter(
        habit=OuterRef("pk"), completed=True, log_date__gte=week_start(day), log_date__lt=day
    )
    habits: list[Habit] = list(
        Habit.objects.for_user(user)
        .active_on(day)
        .annotate(day_log=FilteredRelation("logs", condition=Q(logs__log_date=day)))
        .filter(
            Q(frequency=Frequency.DAILY)
            | Q(frequency=Frequency.CUSTOM, weekdays__contains=[day.isoweekday()])
            | (Q(frequency=Frequency.WEEKLY) & ~Exists(done_earlier_this_week))
            | Q(day_log__completed=True)
        )
        # django-stubs knows no FilteredRelation names in select_related; Django follows them.
        .select_related("day_log")  # type: ignore[misc]
        .order_by("created_at")
    )
    for habit in habits:
        # select_related of a FilteredRelation sets the attribute only when the join found a row.
        habit.log = getattr(habit, "day_log", None)
    return habits


# ---------------------------------------------------------------------------------------------------
# Streaks, rates and the 30-day strip


@dataclass(frozen=True)
class HabitStats:
    current_streak: int
    best_streak: int
    # Percent of due days (weeks) completed in the last 30 days; None when nothing was due.
    completion_rate: int | None
    per: str = "day"  # "day" or "week": what a streak counts
    total_completed: int = 0


@dataclass
class StripDay:
    day: dt.date
    state: str  # done, partial, missed, pending (today, not yet), off (not due)
    value: Decimal | None = None

    @property
    def label(self) -> str:
        words = {
            "done": "done",
            "partial": "started",
            "missed": "missed",
            "pending": "not yet",
            "off": "not due",
        }
        return f"{self.day:%a %-d %b}: {words[self.state]}"


@dataclass
class HabitHistory:
    """What the logs say about one habit: its stats, the last 30 days and the logs read."""

    stats: HabitStats
    strip: list[StripDay] = field(default_factory=list)
    logs: dict[dt.date, HabitLog] = field(default_factory=dict)


def _runs(units: Iterable[dt.date], done: set[dt.date], current: dt.date) -> tuple[int, int]:
    """(current run, best run) over due units in order; the unit `current` not done yet is skipped."""
    run = best = 0
    for unit in units:
        if unit in done:
            run += 1
            best = max(best, run)
        elif unit != current:
            run = 0
    return run, best


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def habit_stats_from_dates(*, habit: Habit, completed: set[dt.date], today: dt.date) -> HabitStats:
    """Pure: the stats of `habit` given the dates it was completed (see the module docstring)."""
    per = "week" if habit.frequency == Frequency.WEEKLY else "day"
    end = min(habit.end_date or today, today)
    counted = [d for d in completed if habit.start_date <= d <= end]
    if habit.start_date > end:
        return HabitStats(0, 0, None, per, len(counted))
    window_start = max(habit.start_date, today - dt.timedelta(days=WINDOW_DAYS - 1))
    # Runs start at zero, so nothing before the first completion (or the rate's window) changes a
    # number: the walk starts there, not at a start date that may lie years back.
    first = max(habit.start_date, min([*counted, window_start]))
    if habit.frequency == Frequency.WEEKLY:
        this_week = week_start(today)
        weeks = sorted({week_start(d) for d in _days(first, end)})
        done = {week_start(d) for d in counted}
        current, best = _runs(weeks, done, this_week)
        window = [w for w in weeks if w >= week_start(window_start) and (w != this_week or w in done)]
        rate = round(100 * sum(1 for w in window if w in done) / len(window)) if window else None
        return HabitStats(current, best, rate, per, len(counted))
    due = [d for d in _days(first, end) if habit_scheduled_on(habit, d)]
    current, best = _runs(due, completed, today)
    window = [d for d in due if d >= window_start and (d != today or d in completed)]
    rate = round(100 * sum(1 for d in window if d in completed) / len(window)) if window else None
    return HabitStats(current, best, rate, per, len(counted))


def _strip(habit: Habit, logs: dict[dt.date, HabitLog], today: dt.date, days: int) -> list[StripDay]:
    strip = []
    for day in _days(today - dt.timedelta(days=days - 1), today):
        log = logs.get(day)
        if log is not None and log.completed:
            state = "done"
        elif log is not None and log.value:
            state = "partial"
        elif not habit_scheduled_on(habit, day):
            state = "off"
        else:
            state = "pending" if day == today else "missed"
        strip.append(StripDay(day, state, log.value if log is not None else None))
    return strip


def _due_today(habit: Habit, logs: dict[dt.date, HabitLog], completed: set[dt.date], today: dt.date) -> bool:
    """habits_for_day's rule, from data already read."""
    log = logs.get(today)
    if log is not None and log.completed:
        return True
    if not habit.is_active or today < habit.start_date or (habit.end_date and today > habit.end_date):
        return False
    if habit.frequency == Frequency.WEEKLY:
        return not any(week_start(today) <= d < today for d in completed)
    return habit_scheduled_on(habit, today)


WEEKDAY_NAMES = {1: "Mon", 2: "Tue", 3: "Wed", 4: "Thu", 5: "Fri", 6: "Sat", 7: "Sun"}


def habit_schedule_label(habit: Habit) -> str:
    """ "Every day", "Once a week" or "Mon, Wed, Fri"."""
    if habit.frequency == Frequency.CUSTOM:
        return ", ".join(WEEKDAY_NAMES[d] for d in sorted(habit.weekdays) if d in WEEKDAY_NAMES)
    return habit.get_frequency_display()


def _rest_note(habit: Habit, completed: set[dt.date], today: dt.date) -> str:
    """Why a habit is not on today's check-in list."""
    if not habit.is_active:
        return "Paused"
    if today < habit.start_date:
        return f"Starts {habit.start_date:%a %-d %b}"
    if habit.end_date and today > habit.end_date:
        return f"Ended {habit.end_date:%a %-d %b}"
    if habit.frequency == Frequency.WEEKLY:
        return "Done this week ✓"
    for n in range(1, 8):
        day = today + dt.timedelta(days=n)
        if habit_scheduled_on(habit, day):
            return f"Next: {day:%A}"
    return "Not due today"


def _history_logs(habits: list[Habit], since: dt.date) -> list[HabitLog]:
    """Every completed log (streaks need the whole run) and every log since `since` (the strip and the
    day's row), for all `habits` in one query."""
    if not habits:
        return []
    return list(
        HabitLog.objects.filter(habit__in=[h.pk for h in habits])
        .filter(Q(completed=True) | Q(log_date__gte=since))
        .order_by("log_date")
    )


def _attach(habits: list[Habit], logs: list[HabitLog], today: dt.date, days: int) -> None:
    by_habit: dict[UUID, dict[dt.date, HabitLog]] = {h.pk: {} for h in habits}
    for log in logs:
        by_habit[log.habit_id][log.log_date] = log
    for habit in habits:
        habit_logs = by_habit[habit.pk]
        completed = {d for d, log in habit_logs.items() if log.completed}
        habit.stats = habit_stats_from_dates(habit=habit, completed=completed, today=today)
        habit.strip = _strip(habit, habit_logs, today, days)
        habit.log = habit_logs.get(today)
        habit.due_today = _due_today(habit, habit_logs, completed, today)
        habit.rest_note = "" if habit.due_today else _rest_note(habit, completed, today)
        habit.schedule_label = habit_schedule_label(habit)
        habit.recent_logs = habit_logs


def habits_with_stats(*, habits: Iterable[Habit], today: dt.date, days: int = WINDOW_DAYS) -> list[Habit]:
    """`habits`, each with `.log` (today's), `.stats`, `.strip` (the last `days` days), `.due_today`,
    `.rest_note` and `.schedule_label`, from one query of their logs."""
    habits = list(habits)
    _attach(habits, _history_logs(habits, today - dt.timedelta(days=days - 1)), today, days)
    return habits


def habits_overview(
    *, user: User, today: dt.date, days: int = WINDOW_DAYS, habit_ids: Iterable[UUID] | None = None
) -> list[Habit]:
    """The person's habits for the habits page, with what habits_with_stats adds. Two queries however
    many habits and logs."""
    habits = habits_for_user(user=user)
    if habit_ids is not None:
        habits = habits.filter(pk__in=habit_ids)
    return habits_with_stats(habits=habits, today=today, days=days)


def habit_history(*, habit: Habit, today: dt.date, days: int = 56) -> HabitHistory:
    """One habit's stats, its last `days` days as a strip and those days' logs. One query."""
    _attach([habit], _history_logs([habit], today - dt.timedelta(days=days - 1)), today, days)
    return HabitHistory(stats=habit.stats, strip=habit.strip, logs=habit.recent_logs)


__all__ = [
    "HabitHistory",
    "HabitStats",
    "StripDay",
    "habit_get_for_user",
    "habit_history",
    "habit_log_get",
    "habit_logs_in_range",
    "habit_schedule_label",
    "habit_scheduled_on",
    "habit_stats_from_dates",
    "habit_templates_for_user",
    "habits_for_day",
    "habits_for_user",
    "habits_overview",
    "habits_with_stats",
    "week_start",
]
