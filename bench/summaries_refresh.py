"""How fast the daily and weekly summaries are computed: 1,000 people with a month of data each.

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/summaries_refresh.py \
        [--people 1000] [--days 30] [--runs 30]

Creates with bulk_create, inside a transaction that is rolled back, `--people` people with `--days` days of
data each: a finished session a day, three meals of two items, four water logs, a weight, three habits
(daily, three weekdays, weekly) with their logs, and a journal entry every other day. Then times
`summaries_rebuild` for all of them (printing daily and weekly rows and rows/s), the debounced refresh of
one person's marked day (p50/p95 over `--runs`, with its query count), the sweep of one marked day for
every person, and the nightly repair of the last 14 days when nothing drifted. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitjourney.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import BodyMetric, User  # noqa: E402
from coaching.models import DailySummary, Frequency, Habit, HabitLog, JournalEntry, PendingSummary, WeeklySummary  # noqa: E402
from coaching.services import summaries as services  # noqa: E402
from nutrition.models import Food, Meal, MealItem, MealType, WaterLog  # noqa: E402
from training.models import ActivityCategory, ActivityType, Session, SessionStatus  # noqa: E402

MEAL_TYPES = [MealType.BREAKFAST, MealType.LUNCH, MealType.DINNER]


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _populate(people: int, days: int) -> tuple[list, dt.date, dict[str, int]]:
    stamp = time.time_ns()
    users = User.objects.bulk_create(
        User(email=f"bench-summary-{stamp}-{n}@example.test", username=f"bs{stamp}{n}", timezone="Europe/Amsterdam")
        for n in range(people)
    )
    category, _ = ActivityCategory.objects.get_or_create(slug="bench-physical", defaults={"name": "Bench physical"})
    kind, _ = ActivityType.objects.get_or_create(
        slug="bench-running", defaults={"name": "Bench running", "category": category, "met": 8}
    )
    foods = Food.objects.bulk_create(
        Food(
            name=f"Bench summary food {n}", energy_kcal=100 + n, protein_g=5, carbohydrate_g=15, fat_g=3, is_system=True
        )
        for n in range(20)
    )
    today = timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    dates = [first + dt.timedelta(days=n) for n in range(days)]
    now = timezone.now()

    sessions, meals, water, weights, habits, journal = [], [], [], [], [], []
    for p, user in enumerate(users):
        for d, day in enumerate(dates):
            start = dt.datetime.combine(day, dt.time(7, p % 60), tzinfo=dt.UTC)
            sessions.append(
                Session(
                    user=user,
                    activity_type=kind,
                    status=SessionStatus.FINISHED,
                    started_at=start,
                    ended_at=start + dt.timedelta(minutes=30 + d % 40),
                    local_date=day,
                    calories_kcal=Decimal(300 + d),
                )
            )
            meals.extend(Meal(user=user, date=day, meal_type=t) for t in MEAL_TYPES)
            water.extend(WaterLog(user=user, amount_ml=250, logged_at=now, date=day) for _ in range(4))
            weights.append(
                BodyMetric(
                    user=user,
                    metric_type_id="weight",
                    value=Decimal("80") - Decimal(d) / 10,
                    measured_at=start,
                    local_date=day,
                )
            )
            if d % 2 == 0:
                journal.append(JournalEntry(user=user, entry_date=day, title="Bench day", mood="good"))
        habits.extend(
            [
                Habit(user=user, name="Water", tracking_type="boolean", start_date=first),
                Habit(
                    user=user,
                    name="Gym",
                    tracking_type="boolean",
                    frequency=Frequency.CUSTOM,
                    weekdays=[1, 3, 5],
                    start_date=first,
                ),
                Habit(
                    user=user, name="Long walk", tracking_type="boolean", frequency=Frequency.WEEKLY, start_date=first
                ),
            ]
        )
    Session.objects.bulk_create(sessions, batch_size=5000)
    Meal.objects.bulk_create(meals, batch_size=5000)
    items = [
        MealItem(
            meal=meal,
            food=foods[(m + i) % len(foods)],
            quantity=100,
            grams=100,
            energy_kcal=foods[(m + i) % len(foods)].energy_kcal,
            protein_g=5,
            carbohydrate_g=15,
            fat_g=3,
        )
        for m, meal in enumerate(meals)
        for i in range(2)
    ]
    MealItem.objects.bulk_create(items, batch_size=5000)
    WaterLog.objects.bulk_create(water, batch_size=5000)
    BodyMetric.objects.bulk_create(weights, batch_size=5000)
    JournalEntry.objects.bulk_create(journal, batch_size=5000)
    Habit.objects.bulk_create(habits, batch_size=5000)
    logs = []
    for h, habit in enumerate(habits):
        for d, day in enumerate(dates):
            if habit.frequency == Frequency.WEEKLY and day.weekday() != 5:
                continue
            if habit.frequency == Frequency.CUSTOM and day.isoweekday() not in habit.weekdays:
                continue
            logs.append(HabitLog(habit=habit, log_date=day, logged_at=now, completed=(h + d) % 3 != 0))
    HabitLog.objects.bulk_create(logs, batch_size=5000)
    counts = {
        "sessions": len(sessions),
        "meals": len(meals),
        "meal items": len(items),
        "water logs": len(water),
        "weights": len(weights),
        "habits": len(habits),
        "habit logs": len(logs),
        "journal entries": len(journal),
    }
    return [u.pk for u in users], today, counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            started = time.perf_counter()
            user_ids, today, counts = _populate(args.people, args.days)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"Created {sum(counts.values()):,} source rows in {time.perf_counter() - started:.1f} s:")
            print("  " + ", ".join(f"{n:,} {what}" for what, n in counts.items()))

            started = time.perf_counter()
            rows = services.summaries_rebuild(user_ids=user_ids)
            seconds = time.perf_counter() - started
            daily = DailySummary.objects.filter(user_id__in=user_ids).count()
            weekly = WeeklySummary.objects.filter(user_id__in=user_ids).count()
            assert rows == daily + weekly, (rows, daily, weekly)
            print(
                f"Rebuild of {len(user_ids):,} people: {daily:,} daily + {weekly:,} weekly rows in {seconds:.2f} s "
                f"= {rows / seconds:,.0f} rows/s ({daily / seconds:,.0f} daily rows/s)"
            )

            person = user_ids[len(user_ids) // 2]
            day = today - dt.timedelta(days=3)
            samples = []
            for _ in range(args.runs + 1):
                services.summaries_mark_pending(user_id=person, dates=[day])
                with CaptureQueriesContext(connection) as ctx:
                    begin = time.perf_counter()
                    assert services.summaries_refresh_pending(user_id=person) == 1
                    samples.append(time.perf_counter() - begin)
            p50, p95 = _percentiles(samples[1:])
            print(
                f"Pending refresh of one person's day: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
                f"({len(ctx)} queries, {args.runs} runs)"
            )

            PendingSummary.objects.bulk_create(PendingSummary(user_id=u, date=day) for u in user_ids)
            PendingSummary.objects.filter(user_id__in=user_ids).update(queued_at=timezone.now() - dt.timedelta(hours=1))
            started = time.perf_counter()
            swept = services.summaries_refresh_pending(older_than=dt.timedelta(minutes=2))
            seconds = time.perf_counter() - started
            print(f"Sweep of {swept:,} marked days (one per person): {seconds:.2f} s")

            started = time.perf_counter()
            changed = services.summaries_repair(days=14)
            seconds = time.perf_counter() - started
            print(f"Nightly repair of the last 14 days of everybody: {seconds:.2f} s, {changed} rows changed")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
