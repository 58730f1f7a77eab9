"""Summaries refreshed by a real Celery worker through the real broker: changes made through the services
are marked, one debounced task per person is published, and the worker's refresh makes every value equal
the sums of its sources."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from celery.signals import before_task_publish
from django.db import transaction
from django.db.models import Sum

from accounts.reference import body_metric_types_load, units_load
from accounts.services import body as body_services
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, PendingSummary, WeeklySummary
from fitjourney.celery import app
from nutrition.models import MealItem
from nutrition.services import diary
from nutrition.tests.factories import FoodFactory
from training.services import sessions as training
from training.tests.factories import ActivityTypeFactory

REFRESH_TASK = "coaching.tasks.refresh_pending_summaries"
DELAY = 2  # seconds: every change below lands well within one window


@pytest.fixture
def published():
    """The names of the tasks this process sends to the broker."""
    names: list[str] = []

    def record(sender=None, **kwargs):
        names.append(sender)

    before_task_publish.connect(record, weak=False)
    yield names
    before_task_publish.disconnect(record)


@pytest.fixture
def live(celery_worker_process, transactional_db, monkeypatch, settings):
    # Transactional tests start from an empty database: the units and body metric types weights need.
    units_load()
    body_metric_types_load()
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    settings.SUMMARY_REFRESH_DELAY_SECONDS = DELAY


def _wait_until(check, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"the worker did not {what} within {timeout:.0f} s"
        time.sleep(0.2)


def _refreshed(user) -> bool:
    return not PendingSummary.objects.filter(user=user).exists()


def _at(user, day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=user.zone)


@pytest.mark.worker
def test_the_worker_refreshes_the_summaries_once_after_a_burst_of_changes(live, published):
    person = UserFactory(timezone="Europe/Amsterdam")
    day = person.local_today() - dt.timedelta(days=2)
    oats = FoodFactory(name="Oats", energy_kcal=389, protein_g=16.9, carbohydrate_g=66.27, fat_g=6.9)
    running = ActivityTypeFactory(slug="worker-running", name="Worker running", met=6)

    body_services.body_metric_record(
        user=person, metric_type="weight", value=Decimal(80), unit="kg", measured_at=_at(person, day, 7)
    )
    session = training.session_start(user=person, activity_type=running, started_at=_at(person, day, 8))
    session = training.session_finish(user=person, session=session, ended_at=_at(person, day, 8, 30))
    breakfast = diary.meal_get_or_create(user=person, date=day, meal_type="breakfast")
    item = diary.item_add(user=person, meal=breakfast, food=oats, quantity=100)
    lunch = diary.meal_get_or_create(user=person, date=day, meal_type="lunch")
    diary.item_add(user=person, meal=lunch, food=oats, quantity=50)
    water = diary.water_log_add(user=person, amount_ml=400, date=day)

    # Six changes, one window: exactly one task, and nothing refreshed before it runs.
    assert published.count(REFRESH_TASK) == 1
    _wait_until(lambda: _refreshed(person), "refresh the marked day")
    row = DailySummary.objects.get(user=person, date=day)
    assert (row.workouts, row.active_minutes, row.calories_burned) == (1, 30, 240)  # 6 MET × 80 kg × 0.5 h
    assert (row.meals, row.calories_eaten, row.net_calories) == (2, 584, 344)  # 389 + 194.5 → 583.5 → 584
    items = MealItem.objects.filter(meal__user=person)
    sums = items.aggregate(p=Sum("protein_g"), c=Sum("carbohydrate_g"), f=Sum("fat_g"))
    assert (row.protein_g, row.carbohydrate_g, row.fat_g) == (sums["p"], sums["c"], sums["f"])
    assert row.protein_g == Decimal("25.35")
    assert (row.water_ml, row.weight_kg) == (400, Decimal("80.00"))
    week = WeeklySummary.objects.get(user=person, week_start=day - dt.timedelta(days=day.weekday()))
    assert (week.workouts, week.workout_days, week.calories_eaten, week.avg_water_ml) == (1, 1, 584, 400)

    # The next burst (after the window closed) is the next task; its refresh follows the edits and deletes.
    time.sleep(DELAY + 0.5)
    diary.item_delete(user=person, item=item)
    diary.water_log_delete(user=person, water_log=water)
    training.session_update(user=person, session=session, ended_at=_at(person, day, 9))
    assert published.count(REFRESH_TASK) == 2
    _wait_until(lambda: _refreshed(person), "refresh the edited day")
    row = DailySummary.objects.get(user=person, date=day)
    assert (row.active_minutes, row.calories_burned, row.meals, row.calories_eaten, row.water_ml) == (
        60,
        480,
        1,
        195,
        0,
    )


@pytest.mark.worker
def test_a_rolled_back_change_publishes_nothing_and_marks_nothing(live, published):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        diary.water_log_add(user=person, amount_ml=250)
        raise RuntimeError("the request failed after the write")
    assert published == []
    assert not PendingSummary.objects.exists()
    assert not DailySummary.objects.exists()


@pytest.fixture
def without_range_checks(live):
    """Drops the two date-range checks a poisoned row needs to get in (as if written before the rule), and
    puts them back afterwards, when the transactional test has flushed the rows that break them."""
    from django.db import connection

    from nutrition.models import Meal

    checks = [
        (Meal, "nutrition_meal_date_range"),
        (PendingSummary, "coaching_pending_date_range"),
    ]
    with connection.cursor() as cursor:
        for model, name in checks:
            cursor.execute(f"ALTER TABLE {model._meta.db_table} DROP CONSTRAINT IF EXISTS {name}")
    yield
    with connection.cursor() as cursor:
        far = "SELECT id FROM nutrition_meal WHERE date > '2100-12-31'"
        cursor.execute(f"DELETE FROM nutrition_mealitem WHERE meal_id IN ({far})")
        cursor.execute("DELETE FROM nutrition_meal WHERE date > '2100-12-31'")
        cursor.execute("DELETE FROM coaching_pendingsummary WHERE date > '2100-12-31'")
    with connection.schema_editor() as editor:
        for model, name in checks:
            constraint = next(c for c in model._meta.constraints if c.name == name)
            editor.add_constraint(model, constraint)


@pytest.mark.worker
def test_one_poisoned_person_never_stops_the_workers_refreshes(without_range_checks, published):
    """The sweep and the debounced tasks, run by a real worker: a person with a meal dated 9999-12-31 gets
    that day marked failed (and an alert in the worker's log); everybody else is refreshed."""
    from django.utils import timezone

    from coaching.tasks.summaries import sweep_pending_summaries
    from nutrition.models import Meal

    oats = FoodFactory(name="Oats", energy_kcal=389, protein_g=16.9, carbohydrate_g=66.27, fat_g=6.9)
    poisoned, others = UserFactory(), [UserFactory() for _ in range(3)]
    day = poisoned.local_today() - dt.timedelta(days=1)
    far = dt.date(9999, 12, 31)
    meal = Meal.objects.create(user=poisoned, date=far, meal_type="lunch")
    MealItem.objects.create(meal=meal, food=oats, quantity=100, unit="g", grams=100, energy_kcal=389)
    PendingSummary.objects.create(user=poisoned, date=far)
    # A lost task: the poisoned marker is the oldest of all, as in the outage.
    PendingSummary.objects.update(queued_at=timezone.now() - dt.timedelta(hours=1))

    # Everybody's changes after it, each with its debounced task on the real broker.
    diary.water_log_add(user=poisoned, amount_ml=300, date=day)
    for person in others:
        diary.water_log_add(user=person, amount_ml=250, date=day)
    assert published.count(REFRESH_TASK) == 1 + len(others)
    for person in others:
        _wait_until(lambda p=person: _refreshed(p), "refresh the others")
        assert DailySummary.objects.get(user=person, date=day).water_ml == 250
    _wait_until(lambda: not PendingSummary.objects.filter(user=poisoned, date=day).exists(), "refresh a good day")
    assert DailySummary.objects.get(user=poisoned, date=day).water_ml == 300

    # The sweep, through the worker: the failed day waits for its retry; new work of others goes through.
    diary.water_log_add(user=others[0], amount_ml=100, date=day)
    PendingSummary.objects.filter(user=others[0]).update(queued_at=timezone.now() - dt.timedelta(hours=1))
    assert sweep_pending_summaries.delay().get(timeout=20) == 1
    assert DailySummary.objects.get(user=others[0], date=day).water_ml == 350
    bad = PendingSummary.objects.get(user=poisoned)
    assert bad.date == far and bad.attempts == 1 and bad.error
