"""The gym at scale (issue 13): 500 trainers, 9,500 clients and 100,000 bookings; p50/p95 of the trainer
dashboard's read, one trainer's dashboard refresh and a client's 90-day timeline, with the floor
(`SELECT 1`) in the same run (the slots have their own benchmark, bench/booking_slots.py). Seed 004 asks
< 50 ms for most endpoints; we aim for p95 < 25 ms.

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/gym.py [--trainers 500] [--clients 19] \
        [--bookings 200] [--runs 50]

Everything is written with bulk_create inside one transaction that is rolled back: nothing is kept.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
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
from coaching.models import (  # noqa: E402
    Booking,
    BookingStatus,
    Client,
    ClientStatus,
    InvitedBy,
    Location,
    OpeningHours,
    SessionCard,
    Trainer,
    WorkingHours,
)
from coaching.selectors.dashboard import trainer_dashboard  # noqa: E402
from coaching.selectors.timeline import client_timeline  # noqa: E402
from coaching.services.dashboard import trainer_dashboard_refresh  # noqa: E402
from training.models import ActivityType, Exercise, Session, SessionExercise, SessionStatus, Set  # noqa: E402


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _measure(call: Callable[[], object], runs: int) -> tuple[list[float], int]:
    samples, queries = [], 0
    for _ in range(runs + 1):  # the first is a warm-up
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            call()
            samples.append(time.perf_counter() - begin)
        queries = len(captured)
    return samples[1:], queries


def _build(trainers_n: int, clients_per: int, bookings_per: int) -> tuple[Trainer, Client]:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    location = Location.objects.create(name="Bench gym", capacity=500)
    OpeningHours.objects.bulk_create(
        [OpeningHours(location=location, weekday=d, opens=dt.time(6), closes=dt.time(22)) for d in range(7)]
    )
    people = User.objects.bulk_create(
        [
            User(email=f"bench-gym-{n}@example.com", username=f"bench_gym_{n}", password="!")
            for n in range(trainers_n * (clients_per + 1))
        ],
        batch_size=5000,
    )
    trainer_users, member_users = people[:trainers_n], people[trainers_n:]
    trainers = Trainer.objects.bulk_create([Trainer(user=u, bio="Bench") for u in trainer_users], batch_size=2000)
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(trainer=t, location=location, weekday=d, starts=dt.time(7), ends=dt.time(20))
            for t in trainers
            for d in range(6)
        ],
        batch_size=5000,
    )
    clients = Client.objects.bulk_create(
        [
            Client(
                member=member_users[i * clients_per + j],
                trainer=t,
                status=ClientStatus.ACTIVE,
                invited_by=InvitedBy.MEMBER,
                grant_training=True,
                grant_body=True,
                accepted_at=now - dt.timedelta(days=200),
            )
            for i, t in enumerate(trainers)
            for j in range(clients_per)
        ],
        batch_size=5000,
    )
    # Each trainer: `bookings_per` hours, two a day (08:00 and 10:00), from 90 days ago onwards, their
    # clients in turn: no trainer or member is ever in two places at once (the exclusion constraints).
    rows = []
    for i, t in enumerate(trainers):
        mine = clients[i * clients_per : (i + 1) * clients_per]
        for k in range(bookings_per):
            start = now.replace(hour=8 + 2 * (k % 2)) - dt.timedelta(days=90) + dt.timedelta(days=k // 2)
            client = mine[k % clients_per]
            rows.append(
                Booking(
                    trainer=t,
                    client=client,
                    member_id=client.member_id,
                    location=location,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    status=BookingStatus.COMPLETED if start < now else BookingStatus.SCHEDULED,
                )
            )
    Booking.objects.bulk_create(rows, batch_size=5000)
    # The client under test: 90 days of training and weigh-ins, and cards.
    client = clients[0]
    member = client.member
    kind = ActivityType.objects.filter(uses_exercises=True).order_by("display_order").first()
    lifts = list(Exercise.objects.filter(owner__isnull=True).order_by("name")[:4])
    if kind is None or len(lifts) < 4:
        raise SystemExit("Reference data missing: run `python manage.py load_reference_data` first.")
    sessions = Session.objects.bulk_create(
        [
            Session(
                user=member,
                activity_type=kind,
                status=SessionStatus.FINISHED,
                started_at=now - dt.timedelta(days=d),
                ended_at=now - dt.timedelta(days=d) + dt.timedelta(hours=1),
                local_date=(now - dt.timedelta(days=d)).date(),
            )
            for d in range(0, 90, 2)
        ]
    )
    entries = SessionExercise.objects.bulk_create(
        [SessionExercise(session=s, exercise=lifts[k], order=k + 1) for s in sessions for k in range(4)]
    )
    Set.objects.bulk_create(
        [Set(session_exercise=e, number=n, reps=5, weight_kg=Decimal(80)) for e in entries for n in range(1, 5)]
    )
    BodyMetric.objects.bulk_create(
        [
            BodyMetric(
                user=member,
                metric_type_id="weight",
                value=Decimal(80),
                measured_at=now - dt.timedelta(days=d),
                local_date=(now - dt.timedelta(days=d)).date(),
            )
            for d in range(90)
        ]
    )
    SessionCard.objects.bulk_create(
        [
            SessionCard(client=client, trainer=client.trainer, date=s.local_date, title="Bench", duration_minutes=60)
            for s in sessions[:20]
        ]
    )
    trainer_dashboard_refresh(trainer_id=client.trainer_id)
    return client.trainer, client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainers", type=int, default=500)
    parser.add_argument("--clients", type=int, default=19, help="clients per trainer (500 × 19 = 9,500)")
    parser.add_argument("--bookings", type=int, default=200, help="bookings per trainer (500 × 200 = 100,000)")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            begin = time.perf_counter()
            trainer, client = _build(args.trainers, args.clients, args.bookings)
            built = time.perf_counter() - begin
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE accounts_user, accounts_bodymetric, coaching_booking, coaching_client, coaching_trainer, "
                    "coaching_sessioncard, coaching_clientprogress, training_session, training_sessionexercise, "
                    "training_set"
                )
            total = Booking.objects.count()
            print(
                f"{args.trainers} trainers, {args.trainers * args.clients} clients, {total} bookings "
                f"(built in {built:.1f} s); {args.runs} runs each"
            )

            def floor() -> None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")

            cases: list[tuple[str, Callable[[], object]]] = [
                ("floor (SELECT 1)", floor),
                ("dashboard read", lambda: trainer_dashboard(user=trainer.user)),
                ("dashboard refresh (19 clients)", lambda: trainer_dashboard_refresh(trainer_id=trainer.pk)),
                (
                    "client timeline, 90 days",
                    lambda: client_timeline(trainer_user=trainer.user, client_id=client.pk, days=90),
                ),
            ]
            for label, call in cases:
                samples, queries = _measure(call, args.runs)
                p50, p95 = _percentiles(samples)
                print(f"  {label:<32} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   {queries} queries")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
