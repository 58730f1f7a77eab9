"""How long the food diary's day page takes for a person with a year of meals.

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/diary_day.py [--days 365] [--items 4] [--runs 30]

Creates with bulk_create, inside a transaction that is rolled back, 200 foods with a portion each and
one person with four meals a day for `--days` days and `--items` items per meal, plus water logs; logs in
with the Django test Client and times /eat/day/<date>/ (a day in the middle of the year and today) and
the htmx food search, printing p50/p95 over `--runs` runs after a warm-up, and the query count of one
page. See bench/README.md.
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from nutrition.models import Food, FoodUsage, Meal, MealItem, MealType, Portion, WaterLog  # noqa: E402
from nutrition.selectors.foods import foods_search  # noqa: E402


class Rollback(Exception):
    pass


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _time(client: Client, url: str, runs: int, **headers) -> tuple[float, float]:
    client.get(url, **headers)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return _percentiles(samples)


def _populate(days: int, items_per_meal: int) -> tuple[User, dt.date]:
    user = User.objects.create_user(
        email=f"bench-diary-{time.time_ns()}@example.test", username=f"bd{time.time_ns()}", password=None
    )
    foods = Food.objects.bulk_create(
        Food(
            name=f"Bench food {n}",
            energy_kcal=50 + n,
            protein_g=3,
            carbohydrate_g=10,
            fat_g=2,
            fiber_g=None if n % 7 == 0 else 1,
            is_system=True,
        )
        for n in range(200)
    )
    portions = Portion.objects.bulk_create(
        Portion(food=f, seq=1, amount=1, description="medium", gram_weight=Decimal(118)) for f in foods
    )
    # Past the intake, or every page leads there (coaching.middleware).
    User.objects.filter(pk=user.pk).update(intake_completed_at=timezone.now())
    today = user.local_today()
    meals = Meal.objects.bulk_create(
        Meal(user=user, date=today - dt.timedelta(days=d), meal_type=t) for d in range(days) for t in MealType.values
    )
    items = []
    for m_index, meal in enumerate(meals):
        for i in range(items_per_meal):
            food = foods[(m_index * items_per_meal + i) % len(foods)]
            portion = portions[(m_index * items_per_meal + i) % len(foods)]
            kcal = (food.energy_kcal * Decimal("1.18")).quantize(Decimal("0.01"))
            items.append(
                MealItem(
                    meal=meal,
                    food=food,
                    quantity=1,
                    unit="portion",
                    portion=portion,
                    portion_label="medium",
                    grams=118,
                    energy_kcal=kcal,
                    protein_g=Decimal("3.54"),
                    carbohydrate_g=Decimal("11.80"),
                    fat_g=Decimal("2.36"),
                    fiber_g=None if food.fiber_g is None else Decimal("1.18"),
                )
            )
    MealItem.objects.bulk_create(items, batch_size=5000)
    # The per-person food usage the diary services keep as items are added (bulk_create bypasses them).
    usage: dict = {}
    for item in items:
        usage[item.food_id] = (usage.get(item.food_id, (0,))[0] + 1, item)
    FoodUsage.objects.bulk_create(
        FoodUsage(
            user=user,
            food_id=food_id,
            use_count=count,
            last_used_at=timezone.now(),
            last_quantity=1,
            last_unit="portion",
            last_portion=item.portion,
        )  # fmt: skip
        for food_id, (count, item) in usage.items()
    )
    now = timezone.now()
    WaterLog.objects.bulk_create(
        WaterLog(user=user, amount_ml=250, logged_at=now - dt.timedelta(days=d), date=today - dt.timedelta(days=d))
        for d in range(days)
        for _ in range(6)
    )
    return user, today


@override_settings(ALLOWED_HOSTS=["*"], DEBUG=False)
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--items", type=int, default=4)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            user, today = _populate(args.days, args.items)
            print(
                f"Created {Meal.objects.filter(user=user).count()} meals, "
                f"{MealItem.objects.filter(meal__user=user).count()} items in {time.perf_counter() - start:.1f} s"
            )
            client = Client()
            client.force_login(user)
            middle = today - dt.timedelta(days=args.days // 2)
            with CaptureQueriesContext(connection) as ctx:
                client.get(f"/eat/day/{middle.isoformat()}/")
            print(f"Queries for one day page: {len(ctx)}")
            rows = [
                ("day page, mid-year", f"/eat/day/{middle.isoformat()}/", {}),
                ("/eat/ (today)", "/eat/", {}),
                (
                    "food search 'bench food 1' (htmx)",
                    f"/eat/day/{today}/lunch/search/?q=bench+food+1",
                    {"HTTP_HX_REQUEST": "true"},
                ),
            ]
            print(f"{'what':40} {'p50':>10} {'p95':>10}  ({args.runs} runs)")
            for label, url, headers in rows:
                p50, p95 = _time(client, url, args.runs, **headers)
                print(f"{label:40} {p50:8.1f} ms {p95:8.1f} ms")
            # The search itself (the selector's one query) for this person, and SELECT 1 as the floor.
            for label, work in (
                ("foods_search 'bench food 1' (selector)", lambda: list(foods_search(user=user, q="bench food 1"))),
                ("SELECT 1 (floor)", lambda: connection.cursor().execute("SELECT 1")),
            ):
                work()
                samples = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    work()
                    samples.append((time.perf_counter() - start) * 1000)
                p50, p95 = _percentiles(samples)
                print(f"{label:40} {p50:8.1f} ms {p95:8.1f} ms")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
