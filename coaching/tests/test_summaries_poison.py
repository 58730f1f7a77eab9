"""One person's bad row never stops the summaries of everybody else (issue 10, item 1).

A meal dated 9999-12-31 used to make the refresh raise OverflowError (the week around that day has no
Sunday); the sweep took the oldest markers of everybody in one transaction, so it failed every five minutes
for everybody. The database now refuses such a date (fitjourney.dates); to prove the sweep copes with a row
that got in anyway (written before the rule, restored from an old backup), these tests drop the constraint
inside the test's transaction (PostgreSQL's DDL is transactional: it is back when the test ends).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, PendingSummary
from coaching.tasks import summaries as tasks
from nutrition.models import Meal, MealItem
from nutrition.services import diary
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

FAR = dt.date(9999, 12, 31)


def poison(person, food) -> Meal:
    """A meal of `person` dated 9999-12-31 with an item, and its summary marker, as if written before the
    range rule existed."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE nutrition_meal DROP CONSTRAINT nutrition_meal_date_range")
        cursor.execute("ALTER TABLE coaching_pendingsummary DROP CONSTRAINT coaching_pending_date_range")
    meal = Meal.objects.create(user=person, date=FAR, meal_type="lunch")
    MealItem.objects.create(
        meal=meal, food=food, quantity=Decimal(100), unit="g", grams=Decimal(100), energy_kcal=Decimal(389)
    )
    PendingSummary.objects.create(user=person, date=FAR)
    return meal


def _kcal(grams: int) -> int:
    return int((Decimal("3.89") * grams).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _age_markers() -> None:
    """Every marker older than the debounce window: their tasks were lost, the sweep's work."""
    PendingSummary.objects.update(queued_at=timezone.now() - dt.timedelta(minutes=10))


@pytest.fixture
def oats():
    return FoodFactory(name="Oats", energy_kcal=389, protein_g=16.9, carbohydrate_g=66.27, fat_g=6.9)


def test_the_sweep_refreshes_everybody_but_the_poisoned_day(oats, caplog):
    poisoned, others = UserFactory(), [UserFactory() for _ in range(3)]
    day = poisoned.local_today() - dt.timedelta(days=1)
    meal = poison(poisoned, oats)
    breakfast = diary.meal_get_or_create(user=poisoned, date=day, meal_type="breakfast")
    diary.item_add(user=poisoned, meal=breakfast, food=oats, quantity=Decimal(50), unit="g")
    for person in others:
        diary.water_log_add(user=person, amount_ml=250, date=day)
    _age_markers()

    with caplog.at_level(logging.WARNING):
        refreshed = tasks.sweep_pending_summaries()

    assert refreshed == 1 + len(others)  # the poisoned person's good day, and everybody else's
    for person in others:
        assert DailySummary.objects.get(user=person, date=day).water_ml == 250
    assert DailySummary.objects.get(user=poisoned, date=day).calories_eaten == _kcal(50)
    # The bad day is left behind, marked failed with its error, and an alert names person, day and marker.
    bad = PendingSummary.objects.get()
    assert (bad.user_id, bad.date, bad.attempts) == (poisoned.pk, FAR, 1)
    # Its summary cannot be stored (the summaries' own range check) nor its week computed (OverflowError).
    assert bad.failed_at is not None and ("coaching_daily_date_range" in bad.error or "OverflowError" in bad.error)
    alerts = [r for r in caplog.records if r.levelno == logging.ERROR and "BATCH FAILURE" in r.getMessage()]
    assert len(alerts) == 1
    assert str(poisoned.pk) in alerts[0].getMessage() and "9999-12-31" in alerts[0].getMessage()
    assert str(bad.pk) in alerts[0].getMessage()

    # The next runs leave the failed day alone (no new alert every five minutes) and do the new work.
    caplog.clear()
    diary.water_log_add(user=others[0], amount_ml=100, date=day)
    _age_markers()
    assert tasks.sweep_pending_summaries() == 1
    assert DailySummary.objects.get(user=others[0], date=day).water_ml == 350
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert PendingSummary.objects.get().attempts == 1

    # An hour later it is tried again (the cause may have been passing), and is marked again.
    PendingSummary.objects.update(failed_at=timezone.now() - dt.timedelta(hours=2))
    with caplog.at_level(logging.WARNING):
        assert tasks.sweep_pending_summaries() == 0
    assert PendingSummary.objects.get().attempts == 2
    assert Meal.objects.filter(pk=meal.pk).exists()  # nothing of the person's is lost


def test_the_persons_own_refresh_task_skips_the_poisoned_day_too(oats, caplog):
    person = UserFactory()
    day = person.local_today()
    poison(person, oats)
    diary.water_log_add(user=person, amount_ml=300, date=day)
    with caplog.at_level(logging.ERROR):
        assert tasks.refresh_pending_summaries(str(person.pk)) == 1
    assert DailySummary.objects.get(user=person, date=day).water_ml == 300
    assert PendingSummary.objects.get().date == FAR
    assert "BATCH FAILURE" in caplog.text


def test_the_nightly_repair_isolates_a_person_whose_rows_fail(oats, caplog, monkeypatch):
    """The repair handles 250 people per transaction: a failing person is redone alone, the rest repaired."""
    from coaching.services import summaries

    good, bad = UserFactory(), UserFactory()
    day = good.local_today() - dt.timedelta(days=1)
    for person in (good, bad):
        diary.water_log_add(user=person, amount_ml=200, date=day)
    PendingSummary.objects.all().delete()  # no refresh ran: the repair finds both rows missing
    real_compute = summaries._daily_compute

    def compute(scope):
        people = set(scope.user_ids or ())
        if bad.pk in people:
            raise ArithmeticError("a row the computation cannot take")
        return real_compute(scope)

    monkeypatch.setattr(summaries, "_daily_compute", compute)
    with caplog.at_level(logging.ERROR):
        assert tasks.repair_summaries() >= 1
    assert DailySummary.objects.filter(user=good, date=day).exists()
    assert not DailySummary.objects.filter(user=bad).exists()
    assert f"for person {bad.pk}" in caplog.text and "BATCH FAILURE" in caplog.text


def test_far_dates_in_the_summaries_api_are_a_400_not_a_500(api_client, member):
    api_client.force_authenticate(member)
    response = api_client.get("/api/v1/summaries/weekly/", {"from": "9999-12-01", "to": "9999-12-31"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"from", "to"}
    assert api_client.get("/api/v1/summaries/weekly/9999-12-27/").status_code == 404  # a Monday
    assert api_client.get("/api/v1/summaries/daily/0001-01-01/").status_code == 404
