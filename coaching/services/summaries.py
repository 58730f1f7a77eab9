"""Daily and weekly summaries (seed 000 7.1, 7.2): computed from their sources, set-based, kept fresh.

How a summary stays right:
- The services that write sessions, meals, water, weights, habit logs and journal entries announce the
  person's local dates they changed (fitjourney.hooks.changes.days_changed) inside their transaction;
  coaching.receivers calls `summaries_mark_pending`, which writes PendingSummary markers in that same
  transaction (a rolled-back change leaves none) and, after the commit, schedules one debounced refresh per
  person: many changes within SUMMARY_REFRESH_DELAY_SECONDS cause one task and one refresh.
- `summaries_refresh_pending` (that task) recomputes the marked days and deletes exactly the markers it took.
- A periodic sweep refreshes markers whose task was lost; a nightly repair recomputes the last
  SUMMARY_REPAIR_DAYS days of everybody with activity and fixes (and logs) any row that drifted.

What counts (each value can be recomputed from the sources, and the tests do exactly that):
- training: finished, non-template, non-deleted sessions by `local_date`. Workouts are those of physical
  types (`ActivityType.is_physical`), other activities the rest (painting, chess…); minutes are the summed
  `duration_seconds` / 60 and calories the summed `calories_kcal` of the workouts only, both rounded half
  up. A day with only other activities still has a row (and its streak), with 0 workouts.
- nutrition: items of non-deleted meals by the meal's `date` (a meal counts when it has an item); energy
  rounded to whole kcal, macros to 0.01 g; a nutrient a food does not report counts as 0. Water by `date`.
- weight: the last weight measured that local day (BodyMetric `local_date`), to 0.01 kg.
- habits: Habit.is_due_on semantics per day — active daily habits from start to end, custom ones on their
  weekdays, weekly ones only on the day they are completed. A deleted habit keeps counting on the days
  before it was deleted (its history stays). Completed = completed logs of the habits due that day.
- journal: a non-deleted entry that day.
A row exists for a (person, day) when any source has data that day (a habit counts when one of the day's
due habits has a log); a refreshed day whose sources are all empty loses its row.

Weeks run Monday to Sunday: totals are sums of the daily rows; averages of food are over the days with
food logged and the water average over the days with water logged (an empty day is not a day of fasting);
weights are the first and last recorded in the week; habit totals count the due habits of all seven days
(including days without a daily row and days still to come), so the rate of a week in progress is the
share of the whole week's habits done so far, and needs no recomputing as days pass. A week exists when
one of its days has a row.

The computation is one grouped query per source for all the people and days asked for (never one per
person or per day), then one upsert per 2,000 rows and one delete, and the same for the weeks: the same
eighteen or so queries for one person's day or 250 people's months.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import operator
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial, reduce
from typing import Any

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import BodyMetric, User
from fitjourney.batch import isolated
from nutrition.models import Meal, MealItem, WaterLog
from training.models import Session, SessionStatus

from ..models import DailySummary, Habit, HabitLog, JournalEntry, PendingSummary, WeeklySummary

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
WEIGHT = "weight"
WRITE_BATCH = 2000  # rows per upsert statement
REBUILD_PEOPLE_BATCH = 250  # people per transaction in rebuild and repair
PENDING_BATCH = 1000  # markers per transaction in the pending refresh
SWEEP_PEOPLE = 5000  # people per sweep run (the oldest markers first; the next run takes the rest)
FAILED_RETRY = dt.timedelta(hours=1)  # a day whose refresh failed is tried again this much later

DAILY_FIELDS = (
    "workouts",
    "other_activities",
    "active_minutes",
    "calories_burned",
    "meals",
    "calories_eaten",
    "protein_g",
    "carbohydrate_g",
    "fat_g",
    "water_ml",
    "weight_kg",
    "habits_completed",
    "habits_total",
    "has_journal_entry",
)
WEEKLY_FIELDS = (
    "week_end",
    "workouts",
    "other_activities",
    "active_minutes",
    "calories_burned",
    "calories_eaten",
    "avg_calories_eaten",
    "avg_protein_g",
    "avg_carbohydrate_g",
    "avg_fat_g",
    "avg_water_ml",
    "start_weight_kg",
    "end_weight_kg",
    "workout_days",
    "journal_days",
    "habits_completed",
    "habits_total",
    "habit_completion_rate",
)

Key = tuple[uuid.UUID, dt.date]
Row = dict[str, Any]  # a summary's values by field name
Progress = Callable[[int, int, str], None]
PersonId = uuid.UUID | str


def _uuid(value: PersonId) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _whole(value: Decimal | int | float | None) -> int:
    return int(Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _cents(value: Decimal | int | float | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------
# Which cells to compute


@dataclass(frozen=True)
class _Scope:
    """The (person, day) cells to recompute: exact days per person, or people × an optional date range
    (`user_ids` None: everybody)."""

    days: dict[uuid.UUID, frozenset[dt.date]] | None = None
    user_ids: tuple[uuid.UUID, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[PersonId, dt.date]]) -> _Scope:
        days: dict[uuid.UUID, set[dt.date]] = defaultdict(set)
        for user_id, day in pairs:
            days[_uuid(user_id)].add(day)
        return cls(days={user_id: frozenset(dates) for user_id, dates in days.items()})

    @classmethod
    def of_range(
        cls, user_ids: Iterable[PersonId] | None = None, start: dt.date | None = None, end: dt.date | None = None
    ) -> _Scope:
        ids = None if user_ids is None else tuple(sorted({_uuid(u) for u in user_ids}))
        return cls(user_ids=ids, start=start, end=end)

    @property
    def empty(self) -> bool:
        if self.days is not None:
            return not self.days
        return self.user_ids is not None and not self.user_ids

    def q(self, user_field: str, date_field: str) -> Q:
        """The filter selecting these cells on a model with a person and a local date."""
        if self.days is not None:
            # One term per person: exact, so a refresh of (A, Monday) and (B, Friday) never touches (A, Friday).
            return reduce(
                operator.or_,
                (
                    Q(**{user_field: user_id, f"{date_field}__in": sorted(dates)})
                    for user_id, dates in self.days.items()
                ),
            )
        condition = Q()
        if self.user_ids is not None:
            condition &= Q(**{f"{user_field}__in": self.user_ids})
        if self.start is not None:
            condition &= Q(**{f"{date_field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{date_field}__lte": self.end})
        return condition

    def weeks(self) -> _Scope:
        """The whole Monday-to-Sunday weeks these cells fall in, as a scope of days."""
        if self.days is not None:
            weeks: dict[uuid.UUID, set[dt.date]] = defaultdict(set)
            for user_id, dates in self.days.items():
                for day in dates:
                    monday = _monday(day)
                    weeks[user_id].update(monday + dt.timedelta(days=n) for n in range(7))
            return _Scope(days={user_id: frozenset(dates) for user_id, dates in weeks.items()})
        start = _monday(self.start) if self.start is not None else None
        end = _monday(self.end) + dt.timedelta(days=6) if self.end is not None else None
        return _Scope(user_ids=self.user_ids, start=start, end=end)


# ---------------------------------------------------------------------------------------------------
# Computing


def _habits_sql(*, until_today: bool = False) -> str:
    habit, log, person = Habit._meta.db_table, HabitLog._meta.db_table, User._meta.db_table
    # Habit.is_due_on, set-based: for each asked cell, the person's habits due that day, how many of those
    # were completed, and how many have a log (a check-in makes the day one "with data"). `until_today`:
    # only days up to the person's today (in their zone, at the moment passed as the last parameter), so a
    # week in progress does not count days still to come.
    upto = "AND cell.day <= (%s::timestamptz AT TIME ZONE person.timezone)::date" if until_today else ""
    return f"""
        WITH cell AS (SELECT * FROM unnest(%s::uuid[], %s::date[]) AS cell(user_id, day))
        SELECT cell.user_id, cell.day,
               count(habit.id) AS due,
               count(habit.id) FILTER (WHERE log.completed) AS completed,
               count(log.id) AS logged
        FROM cell
        JOIN {person} person ON person.id = cell.user_id
        JOIN {habit} habit ON habit.user_id = cell.user_id
        LEFT JOIN {log} log ON log.habit_id = habit.id AND log.log_date = cell.day
        WHERE habit.is_active
          AND habit.start_date <= cell.day
          AND (habit.end_date IS NULL OR cell.day <= habit.end_date)
          AND (habit.deleted_at IS NULL OR cell.day < (habit.deleted_at AT TIME ZONE person.timezone)::date)
          AND (habit.frequency = 'daily'
               OR (habit.frequency = 'custom' AND EXTRACT(ISODOW FROM cell.day)::int = ANY(habit.weekdays))
               OR (habit.frequency = 'weekly' AND log.completed))
          {upto}
        GROUP BY cell.user_id, cell.day
    """


def _habit_counts(cells: Iterable[Key], *, until: dt.datetime | None = None) -> dict[Key, tuple[int, int, int]]:
    """(due, completed, logged) per cell, in one query whatever the number of cells; with `until`, cells
    after the person's local date at that moment count nothing."""
    cells = list(cells)
    if not cells:
        return {}
    params: list[Any] = [[c[0] for c in cells], [c[1] for c in cells]]
    if until is not None:
        params.append(until)
    with connection.cursor() as cursor:
        cursor.execute(_habits_sql(until_today=until is not None), params)
        return {(user_id, day): (due, completed, logged) for user_id, day, due, completed, logged in cursor.fetchall()}


def _empty_daily() -> dict:
    return {
        "workouts": 0,
        "other_activities": 0,
        "active_minutes": 0,
        "calories_burned": 0,
        "meals": 0,
        "calories_eaten": 0,
        "protein_g": Decimal("0.00"),
        "carbohydrate_g": Decimal("0.00"),
        "fat_g": Decimal("0.00"),
        "water_ml": 0,
        "weight_kg": None,
        "habits_completed": 0,
        "habits_total": 0,
        "has_journal_entry": False,
    }


def _daily_compute(scope: _Scope) -> dict[Key, dict]:
    """The daily values of every cell of `scope` that has data: one grouped query per source."""
    if scope.empty:
        return {}
    rows: dict[Key, dict] = defaultdict(_empty_daily)

    # Painting or chess is logged and keeps a streak, but is no workout: it adds no active minutes and
    # no calories burned (issue 14, point 3). One grouped query with filtered aggregates.
    physical = Q(activity_type__is_physical=True)
    sessions = (
        Session.objects.filter(
            scope.q("user_id", "local_date"),
            status=SessionStatus.FINISHED,
            is_template=False,
            deleted_at__isnull=True,
        )
        .values("user_id", "local_date")
        .annotate(
            n=Count("id", filter=physical),
            other=Count("id", filter=~physical),
            seconds=Sum("duration_seconds", filter=physical),
            kcal=Sum("calories_kcal", filter=physical),
        )
        .order_by()
    )
    for done in sessions:
        row = rows[(done["user_id"], done["local_date"])]
        row["workouts"] = done["n"]
        row["other_activities"] = done["other"]
        row["active_minutes"] = _whole(Decimal(done["seconds"] or 0) / 60)
        row["calories_burned"] = _whole(done["kcal"])

    food = (
        MealItem.objects.filter(scope.q("meal__user_id", "meal__date"), meal__deleted_at__isnull=True)
        .values("meal__user_id", "meal__date")
        .annotate(
            meals=Count("meal_id", distinct=True),
            kcal=Sum("energy_kcal"),
            protein=Sum("protein_g"),
            carbohydrate=Sum("carbohydrate_g"),
            fat=Sum("fat_g"),
        )
        .order_by()
    )
    for eaten in food:
        row = rows[(eaten["meal__user_id"], eaten["meal__date"])]
        row["meals"] = eaten["meals"]
        row["calories_eaten"] = _whole(eaten["kcal"])
        row["protein_g"] = _cents(eaten["protein"])
        row["carbohydrate_g"] = _cents(eaten["carbohydrate"])
        row["fat_g"] = _cents(eaten["fat"])

    water = WaterLog.objects.filter(scope.q("user_id", "date")).values("user_id", "date").annotate(ml=Sum("amount_ml"))
    for drunk in water.order_by():
        rows[(drunk["user_id"], drunk["date"])]["water_ml"] = drunk["ml"]

    # One weight per person per day is a database rule; DISTINCT ON keeps "the last of the day" true anyway.
    weights = (
        BodyMetric.objects.filter(scope.q("user_id", "local_date"), metric_type_id=WEIGHT)
        .order_by("user_id", "local_date", "-measured_at")
        .distinct("user_id", "local_date")
        .values_list("user_id", "local_date", "value")
    )
    for user_id, day, value in weights:
        rows[(user_id, day)]["weight_kg"] = _cents(value)

    journal = (
        JournalEntry.objects.filter(scope.q("user_id", "entry_date"))
        .values_list("user_id", "entry_date")
        .distinct()
        .order_by()
    )
    for key in journal:
        rows[key]["has_journal_entry"] = True

    # Habits: the days with a log are candidates; the due habits of every candidate day are counted in one
    # query (a day with a row for other reasons still needs its habit totals).
    log_days = (
        HabitLog.objects.filter(scope.q("habit__user_id", "log_date"))
        .values_list("habit__user_id", "log_date")
        .distinct()
        .order_by()
    )
    candidates = set(rows) | set(log_days)
    counts = _habit_counts(candidates)
    for key in candidates:
        due, completed, logged = counts.get(key, (0, 0, 0))
        if key in rows:
            rows[key]["habits_total"] = due
            rows[key]["habits_completed"] = completed
        elif logged:
            rows[key].update(habits_total=due, habits_completed=completed)
    return dict(rows)


def _weekly_compute(scope: _Scope) -> dict[Key, dict]:
    """The weekly values of every week with a daily row in `scope` (a scope of whole weeks), from the
    daily rows (one grouped query) plus the habit totals of all the weeks' days (one query)."""
    if scope.empty:
        return {}
    has_food, has_water = Q(meals__gt=0), Q(water_ml__gt=0)
    aggregates = (
        DailySummary.objects.filter(scope.q("user_id", "date"))
        .annotate(week=TruncWeek("date"))
        .values("user_id", "week")
        .annotate(
            total_workouts=Sum("workouts"),
            total_other=Sum("other_activities"),
            total_minutes=Sum("active_minutes"),
            total_burned=Sum("calories_burned"),
            total_eaten=Sum("calories_eaten"),
            food_days=Count("id", filter=has_food),
            food_kcal=Sum("calories_eaten", filter=has_food),
            food_protein=Sum("protein_g", filter=has_food),
            food_carbohydrate=Sum("carbohydrate_g", filter=has_food),
            food_fat=Sum("fat_g", filter=has_food),
            water_days=Count("id", filter=has_water),
            water=Sum("water_ml", filter=has_water),
            weights=ArrayAgg("weight_kg", filter=Q(weight_kg__isnull=False), order_by="date", default=[]),
            days_with_workouts=Count("id", filter=Q(workouts__gt=0)),
            days_with_journal=Count("id", filter=Q(has_journal_entry=True)),
        )
        .order_by()
    )
    weeks: dict[Key, dict] = {}
    for r in aggregates:
        week = r["week"].date() if isinstance(r["week"], dt.datetime) else r["week"]
        food_days, water_days, weights = r["food_days"], r["water_days"], r["weights"]
        weeks[(r["user_id"], week)] = {
            "week_end": week + dt.timedelta(days=6),
            "workouts": r["total_workouts"],
            "other_activities": r["total_other"],
            "active_minutes": r["total_minutes"],
            "calories_burned": r["total_burned"],
            "calories_eaten": r["total_eaten"],
            "avg_calories_eaten": _whole(Decimal(r["food_kcal"]) / food_days) if food_days else 0,
            "avg_protein_g": _cents(Decimal(r["food_protein"]) / food_days) if food_days else Decimal("0.00"),
            "avg_carbohydrate_g": _cents(Decimal(r["food_carbohydrate"]) / food_days) if food_days else Decimal("0.00"),
            "avg_fat_g": _cents(Decimal(r["food_fat"]) / food_days) if food_days else Decimal("0.00"),
            "avg_water_ml": _whole(Decimal(r["water"]) / water_days) if water_days else 0,
            "start_weight_kg": weights[0] if weights else None,
            "end_weight_kg": weights[-1] if weights else None,
            "workout_days": r["days_with_workouts"],
            "journal_days": r["days_with_journal"],
            "habits_completed": 0,
            "habits_total": 0,
            "habit_completion_rate": None,
        }
    cells = [(user_id, week + dt.timedelta(days=n)) for user_id, week in weeks for n in range(7)]
    # The week in progress counts the days due so far (today included), not the days still to come.
    for (user_id, day), (due, completed, _) in _habit_counts(cells, until=timezone.now()).items():
        week = weeks[(user_id, _monday(day))]
        week["habits_total"] += due
        week["habits_completed"] += completed
    for week in weeks.values():
        if week["habits_total"]:
            week["habit_completion_rate"] = _cents(Decimal(100) * week["habits_completed"] / week["habits_total"])
    return weeks


# ---------------------------------------------------------------------------------------------------
# Writing


def _lock_people(scope: _Scope) -> None:
    """One refresh at a time per person (a transaction-scoped advisory lock per person, taken in one
    query and in a fixed order): a week is computed from daily rows another refresh of the same person
    might be rewriting, and the later refresh must see them. Everybody-scopes (the repair's batches name
    their people) take none."""
    user_ids = list(scope.days) if scope.days is not None else scope.user_ids
    if not user_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(k) FROM ("
            "  SELECT DISTINCT hashtextextended('coaching.summaries:' || person::text, 0) AS k"
            "  FROM unnest(%s::uuid[]) AS person ORDER BY k"
            ") AS ordered",
            [list(user_ids)],
        )


def _daily_objects(rows: dict[Key, dict], stamp: dt.datetime) -> list[DailySummary]:
    return [
        DailySummary(user_id=user_id, date=day, refreshed_at=stamp, **values) for (user_id, day), values in rows.items()
    ]


def _weekly_objects(rows: dict[Key, dict], stamp: dt.datetime) -> list[WeeklySummary]:
    return [
        WeeklySummary(user_id=user_id, week_start=week, refreshed_at=stamp, **values)
        for (user_id, week), values in rows.items()
    ]


def _upsert_daily(objects: list[DailySummary]) -> None:
    DailySummary.objects.bulk_create(
        objects,
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["user", "date"],
        update_fields=[*DAILY_FIELDS, "refreshed_at", "updated_at"],
    )


def _upsert_weekly(objects: list[WeeklySummary]) -> None:
    WeeklySummary.objects.bulk_create(
        objects,
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["user", "week_start"],
        update_fields=[*WEEKLY_FIELDS, "refreshed_at", "updated_at"],
    )


def _refresh(scope: _Scope) -> tuple[int, int]:
    """Recomputes and stores the daily rows of `scope`, deletes those whose day has no data any more, then
    does the same for the weeks around them. Returns (daily rows written, weekly rows written)."""
    if scope.empty:
        return 0, 0
    _lock_people(scope)
    stamp = timezone.now()
    daily = _daily_compute(scope)
    _upsert_daily(_daily_objects(daily, stamp))
    # Every row of the scope that was not just written has no data any more.
    DailySummary.objects.filter(scope.q("user_id", "date")).exclude(refreshed_at=stamp).delete()
    week_scope = scope.weeks()
    weekly = _weekly_compute(week_scope)
    _upsert_weekly(_weekly_objects(weekly, stamp))
    WeeklySummary.objects.filter(week_scope.q("user_id", "week_start")).exclude(refreshed_at=stamp).delete()
    return len(daily), len(weekly)


@transaction.atomic
def daily_summaries_refresh(
    *,
    pairs: Iterable[tuple] | None = None,
    user_ids: Iterable | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> int:
    """Recomputes the daily summaries of exactly `pairs` ((person id, local date) tuples), or of `user_ids`
    (everybody when None) from `start` to `end` (open ends when None), then the weeks they fall in.
    Idempotent. Returns how many daily rows were written."""
    scope = _Scope.of_pairs(pairs) if pairs is not None else _Scope.of_range(user_ids, start, end)
    return _refresh(scope)[0]


@transaction.atomic
def weekly_summaries_refresh(
    *,
    weeks: Iterable[tuple] | None = None,
    user_ids: Iterable | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> int:
    """Recomputes the weekly summaries of `weeks` ((person id, any date of the week) tuples), or of
    `user_ids` for the weeks from `start` to `end`, from the stored daily rows. Returns the rows written."""
    scope = (_Scope.of_pairs(weeks) if weeks is not None else _Scope.of_range(user_ids, start, end)).weeks()
    if scope.empty:
        return 0
    _lock_people(scope)
    stamp = timezone.now()
    rows = _weekly_compute(scope)
    _upsert_weekly(_weekly_objects(rows, stamp))
    WeeklySummary.objects.filter(scope.q("user_id", "week_start")).exclude(refreshed_at=stamp).delete()
    return len(rows)


# ---------------------------------------------------------------------------------------------------
# Pending refreshes (debounced)


def _refresh_cache_key(user_id: PersonId) -> str:
    return f"coaching:summary-refresh:{user_id}"


def _schedule_refresh(user_id: PersonId) -> None:
    """After the commit: one refresh task per person per window. The first change of a window adds the
    key and queues the task to run when the window closes; later changes find the key and join it."""
    from ..tasks.summaries import refresh_pending_summaries

    delay = settings.SUMMARY_REFRESH_DELAY_SECONDS
    key = _refresh_cache_key(user_id)
    added = False
    try:
        added = cache.add(key, 1, timeout=delay)
        if added:
            # Celery takes any sequence of arguments (its stubs say tuple); the task's id travels as a string.
            refresh_pending_summaries.apply_async(args=[str(user_id)], countdown=delay)  # type: ignore[arg-type]
    except Exception:  # the person's change is committed whatever happens here; the sweep catches up
        logger.warning("Could not schedule the summary refresh of %s; the sweep will do it.", user_id, exc_info=True)
        if added:
            with contextlib.suppress(Exception):  # the key expires on its own
                cache.delete(key)


def summaries_mark_pending(*, user_id: PersonId, dates: Iterable[dt.date]) -> int:
    """Marks the person's `dates` for a refresh, in the caller's transaction, and schedules the debounced
    refresh once it commits. Returns how many days were marked.

    A plain INSERT of new marker rows: it takes no lock another writer or a running refresh could hold
    (an upsert of the same day made concurrent writes of one person wait on and deadlock with each other).
    A refresh deletes exactly the rows it took, so a change that lands while it runs keeps its own marker
    and is refreshed next time."""
    dates = sorted(set(dates))
    if not dates:
        return 0
    PendingSummary.objects.bulk_create([PendingSummary(user_id=user_id, date=day) for day in dates])
    transaction.on_commit(partial(_schedule_refresh, user_id))
    return len(dates)


def _due_markers(
    *, user_id: PersonId | None, older_than: dt.timedelta | None, now: dt.datetime
) -> QuerySet[PendingSummary]:
    """Markers to refresh: a person's (or everybody's older than `older_than`), except those whose refresh
    failed less than FAILED_RETRY ago."""
    markers = PendingSummary.objects.filter(Q(failed_at__isnull=True) | Q(failed_at__lte=now - FAILED_RETRY))
    if user_id is not None:
        markers = markers.filter(user_id=user_id)
    if older_than is not None:
        markers = markers.filter(queued_at__lte=now - older_than)
    return markers


@transaction.atomic(savepoint=False)  # callers run it inside isolated(), whose transaction it joins
def _refresh_markers(markers: QuerySet[PendingSummary], *, limit: int) -> tuple[int, int]:
    """Takes up to `limit` markers (skipping those another refresh holds), refreshes their days and deletes
    them. Returns (markers taken, distinct days refreshed)."""
    taken = list(
        markers.select_for_update(skip_locked=True).order_by("queued_at").values_list("pk", "user_id", "date")[:limit]
    )
    days = {(user, day) for _, user, day in taken}
    if taken:
        _refresh(_Scope.of_pairs(days))
        PendingSummary.objects.filter(pk__in=[pk for pk, _, _ in taken]).delete()
    return len(taken), len(days)


def _refresh_one_by_one(*, markers: QuerySet[PendingSummary], now: dt.datetime) -> int:
    """After a failed batch: each person on their own, and the days of a person whose refresh fails each on
    their own, so only a day that itself fails is left behind, marked failed with its error and logged as a
    BATCH FAILURE naming the person, the day and the markers. Everybody else is refreshed all the same."""
    done = 0
    people = list(
        markers.values("user_id").annotate(oldest=Min("queued_at")).order_by("oldest").values_list("user_id", flat=True)
    )
    for person in people[:SWEEP_PEOPLE]:
        mine = markers.filter(user_id=person)
        with isolated("summary refresh", person=person, retried=True) as outcome:
            done += _refresh_markers(mine, limit=PENDING_BATCH)[1]
        if not outcome.failed:
            continue
        for day in sorted(set(mine.values_list("date", flat=True))):
            with isolated("summary refresh", person=person, row=f"day {day}", retried=True) as outcome:
                done += _refresh_markers(mine.filter(date=day), limit=PENDING_BATCH)[1]
            if outcome.failed:
                _mark_failed(person=person, day=day, markers=mine.filter(date=day), error=outcome.error, now=now)
    return done


def _mark_failed(
    *,
    person: PersonId,
    day: dt.date,
    markers: QuerySet[PendingSummary],
    error: BaseException | None,
    now: dt.datetime,
) -> None:
    text = f"{type(error).__name__}: {error}"[:2000]
    ids = list(markers.values_list("pk", flat=True))
    PendingSummary.objects.filter(pk__in=ids).update(failed_at=now, error=text, attempts=F("attempts") + 1)
    logger.error(
        "BATCH FAILURE: the summary of person %s on %s cannot be refreshed (markers %s); retried in %s: %s",
        person,
        day,
        ids,
        FAILED_RETRY,
        text,
    )


def summaries_refresh_pending(
    *, user_id: PersonId | None = None, older_than: dt.timedelta | None = None, batch_size: int = PENDING_BATCH
) -> int:
    """Refreshes the marked days of one person, or of everybody whose markers are older than `older_than`
    (the sweep), and deletes exactly the markers it took: a day marked again meanwhile stays marked.
    Markers another refresh holds are skipped (FOR UPDATE SKIP LOCKED). Returns how many days were refreshed.

    Markers are taken oldest first, `batch_size` at a time, and refreshed together (the same few queries
    for one person or a thousand). Should a batch fail, it is redone person by person and day by day
    (`_refresh_one_by_one`): one person's bad day never holds up anybody else, and once marked failed it is
    left out of the batches until FAILED_RETRY has passed."""
    done = 0
    while True:
        now = timezone.now()
        markers = _due_markers(user_id=user_id, older_than=older_than, now=now)
        with isolated("summary refresh", person=user_id or "everybody", retried=True) as outcome:
            taken, days = _refresh_markers(markers, limit=batch_size)
        if outcome.failed:
            return done + _refresh_one_by_one(markers=markers, now=now)
        done += days
        if taken < batch_size:
            return done


# ---------------------------------------------------------------------------------------------------
# Rebuild and repair


def _batches(items: list[uuid.UUID], size: int) -> Iterable[list[uuid.UUID]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _rebuild_people(people: list[uuid.UUID], *, since: dt.date | None) -> int:
    return sum(_refresh(_Scope.of_range(people, since, None)))


def _each_person(people: list[uuid.UUID], job: str, work: Callable[[list[uuid.UUID]], int]) -> int:
    """Runs `work` on a batch of people in one transaction; should it fail, on each person alone, so one
    person's bad data costs only their own rows (the failure is logged as a BATCH FAILURE)."""
    with isolated(job, person=f"{len(people)} people", retried=True) as outcome:
        result = work(people)
    if not outcome.failed:
        return result
    total = 0
    for person in people:
        with isolated(job, person=person):
            total += work([person])
    return total


def summaries_rebuild(
    *, user_ids: Iterable[PersonId] | None = None, since: dt.date | None = None, progress: Progress | None = None
) -> int:
    """Recomputes every summary (from `since` on) of `user_ids`, or of everybody, a batch of people per
    transaction; calls `progress(done, total, label)` after each batch. Returns the rows written (daily
    and weekly)."""
    people = User.all_objects.order_by("pk")
    if user_ids is not None:
        people = people.filter(pk__in=list(user_ids))
    ids = list(people.values_list("pk", flat=True))
    written = 0
    if progress:
        progress(0, len(ids), "people")
    for done, batch in enumerate(_batches(ids, REBUILD_PEOPLE_BATCH), start=1):
        written += _each_person(
            batch, "summary rebuild", lambda people: sum(_refresh(_Scope.of_range(people, since, None)))
        )
        if progress:
            progress(min(done * REBUILD_PEOPLE_BATCH, len(ids)), len(ids), "people")
    return written


def _people_with_activity(start: dt.date, end: dt.date) -> list[uuid.UUID]:
    """Everybody with a source row or a summary in the range (deleted rows included: a deletion changes a
    summary too). One query."""
    sources = [
        Session.objects.filter(local_date__range=(start, end)).values_list("user_id"),
        Meal.objects.filter(date__range=(start, end)).values_list("user_id"),
        WaterLog.objects.filter(date__range=(start, end)).values_list("user_id"),
        BodyMetric.objects.filter(metric_type_id=WEIGHT, local_date__range=(start, end)).values_list("user_id"),
        HabitLog.objects.filter(log_date__range=(start, end)).values_list("habit__user_id"),
        JournalEntry.all_objects.filter(entry_date__range=(start, end)).values_list("user_id"),
        DailySummary.objects.filter(date__range=(start, end)).values_list("user_id"),
    ]
    first, *rest = (qs.order_by() for qs in sources)
    return sorted({row[0] for row in first.union(*rest).order_by()})


def _repair_rows[Summary: (DailySummary, WeeklySummary)](
    model: type[Summary],
    scope: _Scope,
    computed: dict[Key, Row],
    fields: tuple[str, ...],
    date_field: str,
    objects: Callable[[dict[Key, Row], dt.datetime], list[Summary]],
    upsert: Callable[[list[Summary]], None],
) -> int:
    """Writes the computed rows that differ from the stored ones (or are missing), deletes stored rows
    without data, logs each, and returns how many rows changed."""
    stored = {
        (row["user_id"], row[date_field]): row
        for row in model.objects.filter(scope.q("user_id", date_field)).values("pk", "user_id", date_field, *fields)
    }
    name = model._meta.verbose_name
    fixes = {}
    for key, values in computed.items():
        if key not in stored:
            fixes[key] = values
            logger.warning("Repaired the %s of %s for %s: it was missing.", name, *key)
            continue
        differences = {f: f"{stored[key][f]} -> {values[f]}" for f in fields if stored[key][f] != values[f]}
        if differences:
            fixes[key] = values
            logger.warning("Repaired the %s of %s for %s: %s", name, *key, differences)
    stale = [row["pk"] for key, row in stored.items() if key not in computed]
    for key in stored.keys() - computed.keys():
        logger.warning("Repaired the %s of %s for %s: no data any more.", name, *key)
    if fixes:
        upsert(objects(fixes, timezone.now()))
    if stale:
        model.objects.filter(pk__in=stale).delete()
    return len(fixes) + len(stale)


def _repair_people(user_ids: list[uuid.UUID], start: dt.date, end: dt.date) -> int:
    days = _Scope.of_range(user_ids, start, end)
    _lock_people(days)
    changed = _repair_rows(
        DailySummary, days, _daily_compute(days), DAILY_FIELDS, "date", _daily_objects, _upsert_daily
    )
    # The weeks are computed from the daily rows just repaired.
    weeks = days.weeks()
    changed += _repair_rows(
        WeeklySummary, weeks, _weekly_compute(weeks), WEEKLY_FIELDS, "week_start", _weekly_objects, _upsert_weekly
    )
    return changed


def summaries_repair(*, days: int | None = None, today: dt.date | None = None) -> int:
    """Recomputes the last `days` days (SUMMARY_REPAIR_DAYS) of everybody with activity, and their weeks,
    and fixes the rows that differ from their sources (logging each). Returns how many rows changed."""
    days = settings.SUMMARY_REPAIR_DAYS if days is None else days
    today = today or timezone.localdate()
    # Time zones ahead of the server's are a day further: one day of margin on each side.
    start, end = today - dt.timedelta(days=days), today + dt.timedelta(days=1)
    changed = 0
    for batch in _batches(_people_with_activity(start, end), REBUILD_PEOPLE_BATCH):
        changed += _each_person(batch, "summary repair", lambda people: _repair_people(people, start, end))
    if changed:
        logger.warning("Summary repair fixed %d rows (%s to %s).", changed, start, end)
    return changed


__all__ = [
    "daily_summaries_refresh",
    "summaries_mark_pending",
    "summaries_rebuild",
    "summaries_refresh_pending",
    "summaries_repair",
    "weekly_summaries_refresh",
]
