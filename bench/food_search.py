"""Food search over the full USDA SR28 database: p50/p95 of `nutrition.selectors.foods.foods_search`.

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/food_search.py [--runs 30]

Needs the foods loaded (`python manage.py import_foods` or `load_reference_data`). It creates one person
with 60 days of meals (three a day, two items each, drawn from 40 common foods) inside a transaction it
rolls back, then times each query for that person (recent foods on top) and for an anonymous caller,
after one warm-up, evaluating the queryset as the page does (20 rows, portions included).
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

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from nutrition.models import Food, Meal, MealItem  # noqa: E402
from nutrition.selectors.foods import foods_search  # noqa: E402

QUERIES = (
    "banana", "banan", "apple", "chicken breast", "chiken brest", "rice", "brocoli", "milk", "egg",
    "peanut butter", "oats", "salmon", "cheddar", "bread", "potato", "yogurt", "beef", "strawbery",
    "avocado", "greek yogurt plain", "o", "orange juice", "pasta", "tomatos",
)  # fmt: skip


class Rollback(Exception):
    pass


def _person() -> User:
    user = User.objects.create_user(email="bench-food@fitjourney.test", username="bench_food", password="x")
    foods = list(Food.objects.filter(ndb_no__isnull=False).order_by("ndb_no")[::220][:40])
    today = dt.date.today()
    meals = Meal.objects.bulk_create(
        Meal(user=user, date=today - dt.timedelta(days=day), meal_type=kind)
        for day in range(60)
        for kind in ("breakfast", "lunch", "dinner")
    )
    MealItem.objects.bulk_create(
        MealItem(meal=meal, food=foods[(i * 2 + k) % len(foods)], quantity=100, grams=100)
        for i, meal in enumerate(meals)
        for k in range(2)
    )
    with connection.cursor() as cursor:  # planner statistics, as a live database has them
        cursor.execute("ANALYZE nutrition_meal, nutrition_mealitem")
    return user


def _time(user, q: str, runs: int) -> list[float]:
    list(foods_search(user=user, q=q))  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        list(foods_search(user=user, q=q))
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    total = Food.objects.count()
    print(f"{total} foods, {args.runs} runs per query after one warm-up ({connection.vendor})")
    try:
        with transaction.atomic():
            person = _person()
            everything = {"person": [], "anonymous": []}
            print(f"{'query':<22} {'who':<10} {'rows':>4} {'p50 ms':>8} {'p95 ms':>8}  first result")
            for q in QUERIES:
                for label, user in (("person", person), ("anonymous", AnonymousUser())):
                    samples = _time(user, q, args.runs)
                    everything[label].extend(samples)
                    rows = list(foods_search(user=user, q=q))
                    first = rows[0].name if rows else "-"
                    print(f"{q!r:<22} {label:<10} {len(rows):>4} {statistics.median(samples):>8.1f} "
                          f"{_p95(samples):>8.1f}  {first[:60]}")  # fmt: skip
            for label, samples in everything.items():
                print(f"ALL {label:<10} p50 {statistics.median(samples):.1f} ms  p95 {_p95(samples):.1f} ms")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
