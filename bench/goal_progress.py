"""How long `goals_progress` takes for a person with two years of data and 8 goals (our aim: < 20 ms p95).

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/goal_progress.py [--days 730] [--runs 50]

Builds one person with `--days` of history: a weigh-in (and a body-fat reading every week) each day, four
sessions a week with 3 exercises × 4 sets (some with a distance), three meals a day of two items, two daily
habits ticked most days, and personal records for the lifted exercises; then 8 active goals (body weight,
body fat, two lifts, sessions a week, a habit, the month's distance, protein a day). It times
`goals_progress` for the 8 goals, with the floor (`SELECT 1`) in the same run. Everything runs inside one
transaction that is rolled back: nothing is kept. See bench/README.md.
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
from coaching.models import Direction, Goal, GoalMetric, Habit, HabitLog, TrackingType  # noqa: E402
from coaching.selectors.goals import goals_progress  # noqa: E402
from nutrition.models import Food, Meal, MealItem  # noqa: E402
from training.models import (  # noqa: E402
    ActivityType,
    Exercise,
    PersonalRecord,
    RecordType,
    Session,
    SessionExercise,
    SessionStatus,
    Set,
)


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _build(days: int) -> tuple[User, list[Goal]]:
    person = User.objects.create_user(email="bench-goals@example.com", username="bench_goals", password=None)
    kind = ActivityType.objects.filter(uses_exercises=True).order_by("display_order").first()
    exercises = list(Exercise.objects.filter(owner__isnull=True, tracks_weight=True).order_by("name")[:6])
    food = Food.objects.filter(energy_kcal__isnull=False).first()
    if kind is None or len(exercises) < 3 or food is None:
        raise SystemExit("Reference data missing: run `python manage.py load_reference_data` first.")
    today = person.local_today()
    now = timezone.now()
    metrics, sessions, meals, logs = [], [], [], []
    habits = [
        Habit.objects.create(
            user=person,
            name=f"Habit {n}",
            tracking_type=TrackingType.BOOLEAN,
            start_date=today - dt.timedelta(days=days),
        )
        for n in range(2)
    ]
    for n in range(days):
        day = today - dt.timedelta(days=days - n)
        at = now - dt.timedelta(days=days - n)
        metrics.append(
            BodyMetric(
                user=person,
                metric_type_id="weight",
                value=Decimal(95) - Decimal(n) / 100,
                measured_at=at,
                local_date=day,
            )
        )
        if n % 7 == 0:
            metrics.append(
                BodyMetric(
                    user=person,
                    metric_type_id="body_fat",
                    value=Decimal(28) - Decimal(n) / 200,
                    measured_at=at,
                    local_date=day,
                )
            )
        if n % 7 not in (1, 3, 5):
            sessions.append(
                Session(
                    user=person,
                    activity_type=kind,
                    status=SessionStatus.FINISHED,
                    started_at=at,
                    ended_at=at + dt.timedelta(hours=1),
                    local_date=day,
                )
            )
        for meal_type in ("breakfast", "lunch", "dinner"):
            meals.append(Meal(user=person, date=day, meal_type=meal_type))
        for habit in habits:
            logs.append(HabitLog(habit=habit, log_date=day, logged_at=at, completed=n % 5 != 0))
    BodyMetric.objects.bulk_create(metrics, batch_size=2000)
    Session.objects.bulk_create(sessions, batch_size=1000)
    Meal.objects.bulk_create(meals, batch_size=2000)
    HabitLog.objects.bulk_create(logs, batch_size=2000)
    MealItem.objects.bulk_create(
        [
            MealItem(meal=m, food=food, quantity=150, grams=150, energy_kcal=Decimal(300), protein_g=Decimal(25))
            for m in meals
            for _ in range(2)
        ],
        batch_size=5000,
    )
    entries = SessionExercise.objects.bulk_create(
        [
            SessionExercise(session=s, exercise=exercises[(i + k) % len(exercises)], order=k + 1, set_count=4)
            for i, s in enumerate(sessions)
            for k in range(3)
        ],
        batch_size=3000,
    )
    Set.objects.bulk_create(
        [
            Set(
                session_exercise=e, number=n, reps=5, weight_kg=Decimal(60), distance_m=Decimal(500) if n == 1 else None
            )
            for e in entries
            for n in range(1, 5)
        ],
        batch_size=5000,
    )
    for exercise in exercises[:2]:
        for record_type in (RecordType.ONE_RM, RecordType.MAX_WEIGHT):
            PersonalRecord.objects.create(
                user=person,
                exercise=exercise,
                record_type=record_type,
                value=Decimal(100),
                session=sessions[-1],
                achieved_at=now,
            )
    start = today - dt.timedelta(days=30)

    def goal(metric: str, direction: str, start_value: int | None, target: int, **subject: object) -> Goal:
        from coaching.models import METRICS

        spec = METRICS[metric]
        return Goal(
            user=person,
            kind=spec.kind,
            metric=metric,
            direction=direction,
            unit=spec.unit,
            start_value=start_value,
            target_value=target,
            start_date=start,
            **subject,
        )

    goals = Goal.objects.bulk_create(
        [
            goal(GoalMetric.BODY_WEIGHT, Direction.DOWN, 89, 80),
            goal(GoalMetric.BODY_FAT, Direction.DOWN, 25, 18),
            goal(GoalMetric.EXERCISE_E1RM, Direction.UP, 95, 120, exercise=exercises[0]),
            goal(GoalMetric.EXERCISE_MAX_WEIGHT, Direction.UP, 95, 120, exercise=exercises[1]),
            goal(GoalMetric.SESSIONS_PER_WEEK, Direction.UP, 2, 5),
            goal(GoalMetric.HABIT_COMPLETION, Direction.UP, 60, 95, habit=habits[0]),
            goal(GoalMetric.DISTANCE_MONTH, Direction.UP, 0, 20000),
            goal(GoalMetric.PROTEIN_DAY, Direction.UP, 100, 160),
        ]
    )
    return person, goals


def _measure(call, runs: int) -> tuple[list[float], int]:
    samples, queries = [], 0
    for _ in range(runs + 1):  # the first is a warm-up
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            call()
            samples.append(time.perf_counter() - begin)
        queries = len(captured)
    return samples[1:], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            begin = time.perf_counter()
            person, goals = _build(args.days)
            print(f"data: {args.days} days ({time.perf_counter() - begin:.1f} s to create), {len(goals)} goals")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

            def select_one() -> None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchone()

            for label, call in (
                ("floor: SELECT 1", select_one),
                ("goals_progress (8)", lambda: goals_progress(user=person, goals=goals)),
            ):
                samples, queries = _measure(call, args.runs)
                p50, p95 = _percentiles(samples)
                print(f"{label:20} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({queries} queries)")
            raise Rollback
    except Rollback:
        print("rolled back: nothing kept")


if __name__ == "__main__":
    main()
