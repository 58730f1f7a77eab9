"""How fast the history page and exercise search are for a person with 1,000 sessions.

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/training_history.py [--sessions 1000] [--runs 30]

Everything happens inside one transaction that is rolled back at the end, so any database can be used
(the dev one, a test one); nothing is left behind. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitjourney.settings.local")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models.functions import Lower  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from training.models import ActivityCategory, ActivityType, Exercise, Session, SessionExercise, Set  # noqa: E402

SEARCHES = ["bench press", "squat", "dedlift", "curl", "row", "ohp", "db bench", "pull up"]


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _build(sessions: int) -> User:
    person = User.objects.create_user(email="bench-history@example.com", username="bench_history", password=None)
    # Past the intake, or every page leads there (coaching.middleware).
    User.objects.filter(pk=person.pk).update(intake_completed_at=timezone.now())
    person.refresh_from_db()
    category, _ = ActivityCategory.objects.get_or_create(slug="bench-physical", defaults={"name": "Bench physical"})
    kind, _ = ActivityType.objects.get_or_create(
        slug="bench-lifting", defaults={"name": "Bench lifting", "category": category, "uses_exercises": True}
    )
    exercises = list(Exercise.objects.filter(owner__isnull=True)[:20]) or Exercise.objects.bulk_create(
        [Exercise(name=f"Bench exercise {n}", activity_type=kind) for n in range(20)]
    )
    now = timezone.now()
    rows = []
    for n in range(sessions):
        started = now - dt.timedelta(days=n, hours=2)
        rows.append(
            Session(
                user=person,
                activity_type=kind,
                name=f"Session {n} {'legs' if n % 3 else 'push'}",
                notes="Felt strong, good pump" if n % 5 == 0 else "",
                status="finished",
                started_at=started,
                ended_at=started + dt.timedelta(hours=1),
                local_date=timezone.localdate(started, person.zone),
                total_volume_kg=5000,
            )
        )
    Session.objects.bulk_create(rows, batch_size=500)
    entries = [
        SessionExercise(session=session, exercise=exercises[(i + k) % len(exercises)], order=k + 1)
        for i, session in enumerate(rows)
        for k in range(4)
    ]
    SessionExercise.objects.bulk_create(entries, batch_size=2000)
    Set.objects.bulk_create(
        [Set(session_exercise=entry, number=s, reps=8, weight_kg=60 + s) for entry in entries for s in range(1, 5)],
        batch_size=5000,
    )
    return person


def _search(person):
    try:
        from training.selectors.library import exercises_search
    except ImportError:
        exercises_search = None

    def run(q: str) -> list:
        if exercises_search is not None:
            return list(exercises_search(user=person, q=q))
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            Exercise.objects.visible_to(person)
            .annotate(similarity=TrigramSimilarity(Lower("name"), q))
            .filter(similarity__gt=0.2)
            .order_by("-similarity")[:20]
        )

    return run, "training.selectors.library.exercises_search" if exercises_search else "trigram query"


def _time(call, runs: int) -> list[float]:
    call()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


@override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            person = _build(args.sessions)
            print(
                f"data: {args.sessions} sessions, {SessionExercise.objects.filter(session__user=person).count()} "
                f"exercises, {Set.objects.filter(session_exercise__session__user=person).count()} sets "
                f"({time.perf_counter() - start:.1f} s to create)"
            )
            client = Client()
            client.force_login(person)
            pages = {
                "history page 1": "/train/history/",
                "history page 10": "/train/history/?page=10",
                "history search 'strong'": "/train/history/?q=strong",
            }
            for label, url in pages.items():
                status = client.get(url).status_code
                assert status == 200, f"{url}: {status}"
                p50, p95 = _percentiles(_time(lambda url=url: client.get(url), args.runs))
                print(f"{label:28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
            search, how = _search(person)
            for q in SEARCHES:
                p50, p95 = _percentiles(_time(lambda q=q: search(q), args.runs))
                print(f"exercise search {q!r:14} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({how})")
            raise Rollback
    except Rollback:
        print("rolled back: nothing kept")


if __name__ == "__main__":
    main()
