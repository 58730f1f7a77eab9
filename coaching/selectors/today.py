"""Reads for the Today page and the weekly review.

The Today page costs the same whatever the amount of data (pinned in coaching/tests/test_today.py):
the shown week's daily summaries in one query, the day's habits in one (coaching.selectors.habits), the
person's plans, the shown day's source rows and the week's pending refreshes in one (`day_context`), and
the unread notifications in one. With the session and the user that is 6; the program the person follows
costs one more (two with one: the enrolment with its next day, and the day's exercises), the goals card
one or two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import Count, DateField, Exists, IntegerField, OuterRef, Subquery, Sum, UUIDField, Value, Window
from django.db.models.functions import Coalesce

from accounts.models import BodyMetric, User
from accounts.selectors.notifications import notifications_inbox
from nutrition.models import MealPlan, WaterLog
from nutrition.selectors.diary import DEFAULT_WATER_TARGET_ML
from training.models import ActivityType, Session, WorkoutSchedule
from training.selectors.enrollments import TodaysWorkout, todays_workout

from ..models import DailySummary, Habit, JournalEntry, PendingSummary, WeeklySummary
from .habits import habits_for_day
from .summaries import daily_summaries, summaries_pending_dates, weekly_summaries

# The activity a one-tap "Start workout" starts when the person has never logged one.
DEFAULT_ACTIVITY_SLUG = "weight-training"
NOTIFICATIONS_SHOWN = 3
REVIEW_WEEKS = 12


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding `day` (the weeks of WeeklySummary)."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


# ---------------------------------------------------------------------------------------------------
# Summaries


def daily_summaries_by_date(*, user: User, start: dt.date, end: dt.date) -> dict[dt.date, DailySummary]:
    """The stored daily summaries from `start` to `end`, by date; days never summarised are missing.
    One query on the (user, date) unique index."""
    return {row.date: row for row in daily_summaries(user=user, start=start, end=end)}


def pending_dates(*, user: User, start: dt.date, end: dt.date) -> set[dt.date]:
    """The days from `start` to `end` whose summary is waiting for a refresh. One query."""
    return summaries_pending_dates(user=user, start=start, end=end)


def weekly_summaries_by_start(*, user: User, start: dt.date, end: dt.date) -> dict[dt.date, WeeklySummary]:
    """The stored weekly summaries of the weeks from `start` to `end`, by Monday. One query."""
    return {row.week_start: row for row in weekly_summaries(user=user, start=start, end=end)}


# ---------------------------------------------------------------------------------------------------
# The person's plans and the shown day's source rows


@dataclass(frozen=True)
class DayContext:
    schedule: WorkoutSchedule | None
    plan: MealPlan | None
    water_target_ml: int
    # Straight from the source rows, so a change shows before the summary catches up.
    water_logged_ml: int
    session_in_progress_id: UUID | None
    start_activity_type_id: UUID | None
    journal_written: bool
    journal_mood: str
    latest_weight_kg: Decimal | None
    latest_weight_date: dt.date | None
    # The latest weight when it was recorded on the shown day itself.
    day_weight_kg: Decimal | None
    # The days of the asked range whose summary waits for a refresh (empty when no range was asked).
    pending_dates: frozenset[dt.date] = frozenset()


def day_context(*, user: User, day: dt.date, pending_range: tuple[dt.date, dt.date] | None = None) -> DayContext:
    """The person's workout schedule, meal plan and water target, plus what the day's own rows say
    (water drunk, journal written, latest weight up to the day, a session in progress, the activity a
    one-tap start uses) and, given `pending_range`, the days of that range whose summary waits for a
    refresh, as ONE row: the plans are reverse one-to-ones joined from the user, the rest are
    correlated subqueries, each served by a (user, date) or (user, time) index. One round trip instead
    of seven keeps the page's cost flat."""
    sessions = Session.objects.filter(user=OuterRef("pk"), deleted_at__isnull=True, is_template=False)
    journal = JournalEntry.objects.filter(user=OuterRef("pk"), entry_date=day)
    weights = BodyMetric.objects.filter(user=OuterRef("pk"), metric_type_id="weight", local_date__lte=day).order_by(
        "-local_date"
    )
    water = (
        WaterLog.objects.filter(user=OuterRef("pk"), date=day)
        .order_by()
        .values("user")
        .annotate(total=Sum("amount_ml"))
        .values("total")
    )
    pending: Any = Value([], output_field=ArrayField(DateField()))
    if pending_range is not None:
        pending = ArraySubquery(
            PendingSummary.objects.filter(
                user=OuterRef("pk"), date__gte=pending_range[0], date__lte=pending_range[1]
            ).values("date")
        )
    row = (
        User.objects.filter(pk=user.pk)
        .select_related("workout_schedule", "meal_plan", "hydration_preferences")
        .annotate(
            pending_dates=pending,
            today_water_ml=Coalesce(Subquery(water, output_field=IntegerField()), Value(0)),
            today_in_progress=Subquery(sessions.filter(status="in_progress").order_by("-started_at").values("pk")[:1]),
            today_start_type=Coalesce(
                Subquery(sessions.order_by("-started_at").values("activity_type_id")[:1]),
                Subquery(ActivityType.objects.filter(slug=DEFAULT_ACTIVITY_SLUG).values("pk")[:1]),
                output_field=UUIDField(),
            ),
            today_journal=Exists(journal),
            today_mood=Subquery(journal.values("mood")[:1]),
            today_weight_kg=Subquery(weights.values("value")[:1]),
            today_weight_date=Subquery(weights.values("local_date")[:1]),
        )
        .get()  # the person asking: always there
    )
    hydration = getattr(row, "hydration_preferences", None)
    return DayContext(
        schedule=getattr(row, "workout_schedule", None),
        plan=getattr(row, "meal_plan", None),
        water_target_ml=hydration.daily_target_ml if hydration else DEFAULT_WATER_TARGET_ML,
        water_logged_ml=row.today_water_ml,
        session_in_progress_id=row.today_in_progress,
        start_activity_type_id=row.today_start_type,
        journal_written=row.today_journal,
        journal_mood=row.today_mood or "",
        latest_weight_kg=row.today_weight_kg,
        latest_weight_date=row.today_weight_date,
        day_weight_kg=row.today_weight_kg if row.today_weight_date == day else None,
        pending_dates=frozenset(row.pending_dates),
    )


# ---------------------------------------------------------------------------------------------------
# Today's program workout


def program_workout_today(*, user: User) -> TodaysWorkout | None:
    """The next day of the program the person follows (training), which replaces the "most recent
    activity" start guess: one query without a program, three with one (the enrolment, the day with the
    session in progress, its exercises with the person's e1RMs)."""
    return todays_workout(user)


# ---------------------------------------------------------------------------------------------------
# Habits and notifications


def habits_due(*, user: User, day: dt.date) -> list[Habit]:
    """The habits to tick on `day`, each with `.log` (that day's HabitLog or None). One query."""
    return habits_for_day(user=user, day=day)


@dataclass(frozen=True)
class Unread:
    count: int
    latest: Sequence[Mapping[str, object]]  # id, title, created_at, action_url


def unread_notifications(*, user: User, limit: int = NOTIFICATIONS_SHOWN) -> Unread:
    """How many unread notifications the person has and the newest few, in ONE query: the count is a
    window over the whole filtered set, computed before the LIMIT."""
    rows = list(
        notifications_inbox(user=user, unread_only=True)
        .annotate(unread_total=Window(Count("id")))
        .values("id", "title", "created_at", "action_url", "unread_total")[:limit]
    )
    return Unread(count=rows[0]["unread_total"] if rows else 0, latest=rows)


# ---------------------------------------------------------------------------------------------------
# The whole page


@dataclass(frozen=True)
class TodayPage:
    day: dt.date
    week: list[dt.date]
    summaries: dict[dt.date, DailySummary]
    pending: set[dt.date]
    context: DayContext
    habits: list[Habit]
    unread: Unread

    @property
    def summary(self) -> DailySummary | None:
        return self.summaries.get(self.day)

    @property
    def is_pending(self) -> bool:
        return self.day in self.pending


def today_page(*, user: User, day: dt.date) -> TodayPage:
    """Everything the Today page shows for `day`, in four queries whatever the amount of data."""
    monday, sunday = week_of(day)
    context = day_context(user=user, day=day, pending_range=(monday, sunday))
    return TodayPage(
        day=day,
        week=[monday + dt.timedelta(days=n) for n in range(7)],
        summaries=daily_summaries_by_date(user=user, start=monday, end=sunday),
        pending=set(context.pending_dates),
        context=context,
        habits=habits_due(user=user, day=day),
        unread=unread_notifications(user=user),
    )


@dataclass(frozen=True)
class DaySummaryRegion:
    """What the summary region (sessions, energy, macros, water) needs; polled while a refresh is pending."""

    day: dt.date
    summary: DailySummary | None
    is_pending: bool
    context: DayContext


def day_summary_region(*, user: User, day: dt.date) -> DaySummaryRegion:
    """Two queries: the day's summary, and the day context (which says whether the day is pending)."""
    context = day_context(user=user, day=day, pending_range=(day, day))
    return DaySummaryRegion(
        day=day,
        summary=daily_summaries_by_date(user=user, start=day, end=day).get(day),
        is_pending=day in context.pending_dates,
        context=context,
    )


# ---------------------------------------------------------------------------------------------------
# The weekly review


@dataclass(frozen=True)
class Review:
    week_start: dt.date
    week_end: dt.date
    days: list[dt.date]
    daily: dict[dt.date, DailySummary]
    weeks: list[dt.date]  # the last REVIEW_WEEKS Mondays, oldest first, ending with the shown week
    weekly: dict[dt.date, WeeklySummary]

    @property
    def this_week(self) -> WeeklySummary | None:
        return self.weekly.get(self.week_start)


def review_week(*, user: User, day: dt.date) -> Review:
    """The shown week's daily summaries and the weekly summaries of the 12 weeks ending with it. Two
    queries."""
    monday, sunday = week_of(day)
    first = monday - dt.timedelta(weeks=REVIEW_WEEKS - 1)
    return Review(
        week_start=monday,
        week_end=sunday,
        days=[monday + dt.timedelta(days=n) for n in range(7)],
        daily=daily_summaries_by_date(user=user, start=monday, end=sunday),
        weeks=[first + dt.timedelta(weeks=n) for n in range(REVIEW_WEEKS)],
        weekly=weekly_summaries_by_start(user=user, start=first, end=monday),
    )
