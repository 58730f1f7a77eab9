"""How long personal-record detection takes when a person with two years of training finishes a 30-set
session (seed 002: < 100 ms; our aim: < 30 ms p95).

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/records_detect.py [--days 730] [--runs 30]

Builds one person with `--days` of history (4 sessions a week, 5 exercises × 4 sets each, their records
detected once), then, `--runs` times, logs a fresh 30-set session (6 exercises × 5 sets, some of them new
bests) and times `records_detect` alone and the whole `session_finish` (records, streaks, the day's
summary marker), each in a savepoint rolled back after the measurement so every run starts from the same
records. A floor (`SELECT 1` through the ORM's connection) is measured in the same run. Everything runs
inside one transaction that is rolled back: nothing is kept. See bench/README.md.
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

from accounts.models import User  # noqa: E402
from training.models import ActivityType, Exercise, Session, SessionExercise, SessionStatus, Set  # noqa: E402
from training.services import records as records_service  # noqa: E402
from training.services import sessions as sessions_service  # noqa: E402


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _weight_training() -> ActivityType:
    kind = ActivityType.objects.filter(uses_exercises=True).order_by("display_order").first()
    if kind is None:
        raise SystemExit("No activity type with exercises: run `python manage.py load_reference_data` first.")
    return kind


def _build(days: int) -> tuple[User, ActivityType, list[Exercise]]:
    person = User.objects.create_user(email="bench-records@example.com", username="bench_records", password=None)
    kind = _weight_training()
    exercises = list(Exercise.objects.filter(owner__isnull=True, tracks_weight=True).order_by("name")[:12])
    now = timezone.now()
    sessions = []
    for n in range(days):
        if n % 7 in (1, 3, 5):  # four sessions a week
            continue
        started = now - dt.timedelta(days=days - n, hours=3)
        sessions.append(
            Session(
                user=person,
                activity_type=kind,
                status=SessionStatus.FINISHED,
                started_at=started,
                ended_at=started + dt.timedelta(hours=1),
                local_date=timezone.localdate(started, person.zone),
            )
        )
    Session.objects.bulk_create(sessions, batch_size=500)
    entries = [
        SessionExercise(session=s, exercise=exercises[(i + k) % len(exercises)], order=k + 1, set_count=4)
        for i, s in enumerate(sessions)
        for k in range(5)
    ]
    SessionExercise.objects.bulk_create(entries, batch_size=2000)
    Set.objects.bulk_create(
        [
            # Slow progress over two years: 40 kg to about 100 kg.
            Set(session_exercise=e, number=n, reps=5 + n, weight_kg=Decimal(40 + i // 50))
            for i, e in enumerate(entries)
            for n in range(1, 5)
        ],
        batch_size=5000,
    )
    # The records as they stand after two years (one detection over the newest session of each exercise
    # is enough for the benchmark: it only needs a PersonalRecord row per exercise and type to compare with).
    for s in sessions[-len(exercises) :]:
        records_service.records_detect(session=s)
    return person, kind, exercises


def _log_session(person: User, kind: ActivityType, exercises: list[Exercise]) -> Session:
    started = timezone.now() - dt.timedelta(hours=1)
    session = Session.objects.create(
        user=person,
        activity_type=kind,
        started_at=started,
        local_date=timezone.localdate(started, person.zone),
        status=SessionStatus.IN_PROGRESS,
    )
    entries = SessionExercise.objects.bulk_create(
        [
            SessionExercise(session=session, exercise=exercise, order=k + 1, set_count=5)
            for k, exercise in enumerate(exercises[:6])
        ]
    )
    Set.objects.bulk_create(
        [
            # The last set of every other exercise beats the records.
            Set(session_exercise=e, number=n, reps=8, weight_kg=Decimal(90 + (20 if n == 5 and k % 2 else 0)))
            for k, e in enumerate(entries)
            for n in range(1, 6)
        ]
    )
    session.ended_at = timezone.now()
    session.status = SessionStatus.FINISHED
    session.save(update_fields=["ended_at", "status"])
    return session


def _timed(call) -> tuple[float, int]:
    """Seconds and queries of `call` alone."""
    with CaptureQueriesContext(connection) as captured:
        begin = time.perf_counter()
        call()
        elapsed = time.perf_counter() - begin
    return elapsed, len(captured)


def _measure(call, runs: int) -> tuple[list[float], int]:
    samples, queries = [], 0
    for _ in range(runs + 1):  # the first is a warm-up
        sid = transaction.savepoint()
        try:
            elapsed, queries = call()
        finally:
            transaction.savepoint_rollback(sid)
        samples.append(elapsed)
    return samples[1:], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            person, kind, exercises = _build(args.days)
            sets = Set.objects.filter(session_exercise__session__user=person).count()
            print(f"data: {args.days} days, {sets:,} sets ({time.perf_counter() - start:.1f} s to create)")

            def select_one() -> None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchone()

            def floor() -> tuple[float, int]:
                return _timed(select_one)

            def detect() -> tuple[float, int]:
                session = _log_session(person, kind, exercises)
                return _timed(lambda: records_service.records_detect(session=session))

            def finish() -> tuple[float, int]:
                session = _log_session(person, kind, exercises)
                Session.objects.filter(pk=session.pk).update(status=SessionStatus.IN_PROGRESS)
                session.refresh_from_db()
                return _timed(lambda: sessions_service.session_finish(user=person, session=session))

            for label, call in (("floor: SELECT 1", floor), ("records_detect", detect), ("session_finish", finish)):
                samples, queries = _measure(call, args.runs)
                p50, p95 = _percentiles(samples)
                print(f"{label:18} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({queries} queries)")
            raise Rollback
    except Rollback:
        print("rolled back: nothing kept")


if __name__ == "__main__":
    main()
