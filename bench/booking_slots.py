"""How long the bookable slots of a trainer take at gym scale (issue 13: 500 trainers, 9,500 clients,
100,000 bookings; our aim: < 25 ms p95).

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/booking_slots.py [--trainers 500] [--runs 50]

Builds `--trainers` trainers at 5 locations (open 06:00–22:00 every day, in Europe/Berlin), each working
09:00–17:00 every day with 19 clients and 200 bookings (8 a day over 25 days around today, a few cancelled)
and a day off; then times `slots_for` of random trainers for a week and for 31 days, and the booking check
a new booking runs (`availability_error`), with the floor (`SELECT 1`) in the same run. Everything runs
inside one transaction that is rolled back: nothing is kept. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitjourney.settings.local")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from coaching.models import (  # noqa: E402
    Booking,
    BookingStatus,
    Client,
    ClientStatus,
    InvitedBy,
    Location,
    OpeningHours,
    TimeOff,
    Trainer,
    WorkingHours,
)
from coaching.selectors.bookings import availability_error, slots_for  # noqa: E402

CLIENTS_PER_TRAINER = 19
BOOKINGS_PER_TRAINER = 200
ZONE = ZoneInfo("Europe/Berlin")


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _build(trainers: int) -> tuple[list[Trainer], list[Location]]:
    locations = Location.objects.bulk_create(
        [Location(name=f"Bench gym {n}", timezone="Europe/Berlin") for n in range(5)]
    )
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(location=location, weekday=day, opens=dt.time(6), closes=dt.time(22))
            for location in locations
            for day in range(7)
        ]
    )
    people = User.objects.bulk_create(
        [
            User(email=f"bench-gym-{n}@example.com", username=f"bench_gym_{n}")
            for n in range(trainers * (1 + CLIENTS_PER_TRAINER))
        ]
    )
    coaches = Trainer.objects.bulk_create([Trainer(user=people[n]) for n in range(trainers)])
    Trainer.locations.through.objects.bulk_create(
        [Trainer.locations.through(trainer=t, location=locations[n % 5]) for n, t in enumerate(coaches)]
    )
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(trainer=t, location=locations[n % 5], weekday=day, starts=dt.time(9), ends=dt.time(17))
            for n, t in enumerate(coaches)
            for day in range(7)
        ]
    )
    now = timezone.now()
    clients = Client.objects.bulk_create(
        [
            Client(
                member=people[trainers + n * CLIENTS_PER_TRAINER + k],
                trainer=t,
                status=ClientStatus.ACTIVE,
                invited_by=InvitedBy.MEMBER,
                accepted_at=now,
            )
            for n, t in enumerate(coaches)
            for k in range(CLIENTS_PER_TRAINER)
        ]
    )
    today = timezone.localdate(now, ZONE)
    rows = []
    for n, t in enumerate(coaches):
        for k in range(BOOKINGS_PER_TRAINER):
            day = today + dt.timedelta(days=k // 8 - 12)
            start = dt.datetime.combine(day, dt.time(9 + k % 8), tzinfo=ZONE)
            client = clients[n * CLIENTS_PER_TRAINER + k % CLIENTS_PER_TRAINER]
            cancelled = k % 10 == 0
            rows.append(
                Booking(
                    trainer=t,
                    client=client,
                    member_id=client.member_id,
                    location=locations[n % 5],
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                    status=BookingStatus.CANCELLED if cancelled else BookingStatus.SCHEDULED,
                    cancelled_at=now if cancelled else None,
                )
            )
    Booking.objects.bulk_create(rows, batch_size=5000)
    TimeOff.objects.bulk_create(
        [
            TimeOff(
                trainer=t,
                starts_at=dt.datetime.combine(today + dt.timedelta(days=3), dt.time(), tzinfo=ZONE),
                ends_at=dt.datetime.combine(today + dt.timedelta(days=4), dt.time(), tzinfo=ZONE),
            )
            for t in coaches
        ]
    )
    return coaches, locations


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
    parser.add_argument("--trainers", type=int, default=500)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    chooser = random.Random(13)
    try:
        with transaction.atomic():
            begin = time.perf_counter()
            coaches, locations = _build(args.trainers)
            print(
                f"data: {len(coaches)} trainers, {Client.objects.count()} clients, {Booking.objects.count()} "
                f"bookings ({time.perf_counter() - begin:.1f} s to create)"
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            today = timezone.localdate(timezone.now(), ZONE)

            def select_one() -> None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchone()

            def slots(days: int) -> Callable[[], None]:
                def call() -> None:
                    n = chooser.randrange(len(coaches))
                    slots_for(
                        trainer=coaches[n],
                        location=locations[n % 5],
                        start=today,
                        end=today + dt.timedelta(days=days - 1),
                        zone=ZONE,
                    )

                return call

            def check() -> None:
                n = chooser.randrange(len(coaches))
                start = dt.datetime.combine(today + dt.timedelta(days=14), dt.time(10), tzinfo=ZONE)
                availability_error(
                    trainer=coaches[n],
                    location=locations[n % 5],
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=1),
                )

            for label, call in (
                ("floor: SELECT 1", select_one),
                ("slots, 7 days", slots(7)),
                ("slots, 31 days", slots(31)),
                ("booking check", check),
            ):
                samples, queries = _measure(call, args.runs)
                p50, p95 = _percentiles(samples)
                print(f"{label:20} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  ({queries} queries)")
            raise Rollback
    except Rollback:
        print("rolled back: nothing kept")


if __name__ == "__main__":
    main()
