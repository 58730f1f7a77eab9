"""The one date rule (fitjourney.dates) everywhere a person enters a date: the API answers a far date with a
400 naming the field (never a 201 that breaks background work, never a 500), the pages say it on the form,
and the database refuses what slips past (issue 10, item 1; item 9: the server decides a check-in's source).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import BodyMetric, LifestyleBaseline
from coaching.models import JournalEntry, PendingSummary
from coaching.tests.factories import HabitFactory
from fitjourney import dates
from nutrition.models import Meal, WaterLog
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

FAR_DATES = ["9999-12-31", "0001-01-01", "1899-12-31"]


def _fields(response) -> dict:
    assert response.headers["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["error"]["fields"]


def _day_after_tomorrow(user) -> str:
    return (user.local_today() + dt.timedelta(days=2)).isoformat()


# ---------------------------------------------------------------------------------------------------
# The rule itself


def test_the_rule_allows_1900_to_tomorrow_in_the_persons_zone():
    now = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)  # already the 5th in Auckland
    auckland = dt.timezone(dt.timedelta(hours=13))
    assert dates.entry_bounds(dt.UTC, now=now) == (dt.date(1900, 1, 1), dt.date(2026, 12, 5))
    assert dates.entry_bounds(auckland, now=now)[1] == dt.date(2026, 12, 6)
    dates.check_entry_date(dt.date(1900, 1, 1), zone=dt.UTC, field="date", now=now)
    dates.check_entry_date(dt.date(2026, 12, 5), zone=dt.UTC, field="date", now=now)
    for bad in (dt.date(1899, 12, 31), dt.date(2026, 12, 6), dt.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as exc:
            dates.check_entry_date(bad, zone=dt.UTC, field="date", now=now)
        assert list(exc.value.message_dict) == ["date"]
    with pytest.raises(ValidationError):  # no UTC equivalent at all: still a field error
        dates.check_entry_datetime(dt.datetime.max.replace(tzinfo=auckland), zone=auckland, field="at", now=now)


def test_planned_dates_may_lie_five_years_ahead():
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    dates.check_planned_date(dt.date(2031, 12, 4), zone=dt.UTC, field="end_date", now=now)
    with pytest.raises(ValidationError):
        dates.check_planned_date(dt.date(2031, 12, 5), zone=dt.UTC, field="end_date", now=now)


def test_query_and_path_dates_stay_inside_the_stored_range():
    assert dates.parse_query_date("2100-12-31", field="to") == dt.date(2100, 12, 31)
    for bad in ("2101-01-01", "9999-12-31", "0001-01-01", "12/31/2026", ""):
        with pytest.raises(ValidationError):
            dates.parse_query_date(bad, field="to")
        assert dates.date_from_path(bad) is None
    assert dates.date_from_path("2026-02-28") == dt.date(2026, 2, 28)


# ---------------------------------------------------------------------------------------------------
# The API


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_meal_or_drink_far_away_in_time_is_a_400(token_client, member, day):
    food = FoodFactory()
    response = token_client.post(
        "/api/v1/meals/",
        {"date": day, "meal_type": "lunch", "items": [{"food": str(food.pk), "quantity": "100", "unit": "g"}]},
        format="json",
    )
    assert response.status_code == 400 and "date" in _fields(response)
    response = token_client.post("/api/v1/water/", {"amount_ml": 250, "date": day}, format="json")
    assert response.status_code == 400 and "date" in _fields(response)
    assert not Meal.objects.exists() and not WaterLog.objects.exists() and not PendingSummary.objects.exists()


def test_tomorrow_is_fine_the_day_after_is_not(token_client, member):
    tomorrow = (member.local_today() + dt.timedelta(days=1)).isoformat()
    assert token_client.post("/api/v1/water/", {"amount_ml": 250, "date": tomorrow}, format="json").status_code == 201
    response = token_client.post(
        "/api/v1/water/", {"amount_ml": 250, "date": _day_after_tomorrow(member)}, format="json"
    )
    assert response.status_code == 400 and "later than" in _fields(response)["date"][0]


def test_moving_a_meal_to_a_far_date_is_a_400(token_client, member):
    response = token_client.post(
        "/api/v1/meals/", {"date": member.local_today().isoformat(), "meal_type": "lunch"}, format="json"
    )
    meal_id = response.json()["id"]
    response = token_client.patch(f"/api/v1/meals/{meal_id}/", {"date": "9999-12-31"}, format="json")
    assert response.status_code == 400 and "date" in _fields(response)
    assert Meal.objects.get(pk=meal_id).date == member.local_today()


@pytest.mark.parametrize("moment", ["0001-01-01T08:00:00Z", "1899-12-31T08:00:00Z"])
def test_a_body_measurement_before_1900_is_a_400(token_client, member, moment):
    response = token_client.post(
        "/api/v1/body-metrics/", {"metric_type": "weight", "value": "80", "measured_at": moment}, format="json"
    )
    assert response.status_code == 400 and "measured_at" in _fields(response)
    assert not BodyMetric.objects.exists()


def test_journal_and_habit_check_ins_far_away_are_a_400_or_404(token_client, member):
    response = token_client.put("/api/v1/journal/1899-12-31/", {"title": "Old"}, format="json")
    assert response.status_code in (400, 404) and response.json()["error"]
    assert token_client.get("/api/v1/journal/9999-12-31/").status_code == 404
    habit = HabitFactory(user=member)
    response = token_client.post(
        f"/api/v1/habits/{habit.pk}/logs/", {"log_date": "9999-12-31", "completed": True}, format="json"
    )
    assert response.status_code == 400 and "log_date" in _fields(response)
    assert token_client.get(f"/api/v1/habits/{habit.pk}/logs/0001-01-01/").status_code == 404
    response = token_client.patch(f"/api/v1/habits/{habit.pk}/", {"end_date": "9999-12-31"}, format="json")
    assert response.status_code == 400 and "end_date" in _fields(response)
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("query", [{"from": "9999-12-01"}, {"to": "0001-01-01"}])
def test_far_dates_in_list_filters_are_a_400(token_client, query):
    for url in ("/api/v1/checkins/", "/api/v1/journal/", "/api/v1/summaries/daily/", "/api/v1/summaries/weekly/"):
        response = token_client.get(url, query)
        assert response.status_code == 400, (url, response.content[:200])
        assert response.json()["error"]["fields"]


def test_a_check_in_cannot_claim_to_come_from_a_wearable(token_client, member):
    payload = {"energy_level": "high", "stress_level": "low", "sleep_quality": "good"}
    for source in ("system", "wearable", "user_input"):
        response = token_client.post("/api/v1/checkins/", {**payload, "data_source": source}, format="json")
        assert response.status_code == 400
        assert _fields(response) == {"data_source": ["This field is read-only."]}
    response = token_client.post("/api/v1/checkins/", {**payload, "recorded_at": "1899-06-01T08:00:00Z"}, format="json")
    assert response.status_code == 400 and "recorded_at" in _fields(response)
    response = token_client.post("/api/v1/checkins/", payload, format="json")
    assert response.status_code == 201 and response.json()["data_source"] == "user_input"
    assert LifestyleBaseline.objects.get().data_source == "user_input"


# ---------------------------------------------------------------------------------------------------
# Pages and the database


def test_the_diary_page_of_a_far_date_is_a_404_and_adding_there_says_why(client, member):
    client.force_login(member)
    assert client.get("/eat/day/9999-12-31/").status_code == 404
    assert client.get("/eat/day/0001-01-01/").status_code == 404
    far = _day_after_tomorrow(member)
    response = client.post(f"/eat/day/{far}/water/", {"amount_ml": 250}, follow=True)
    assert response.status_code == 200
    assert "later than" in response.content.decode()
    assert not WaterLog.objects.exists()


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Meal, {"date": dt.date(9999, 12, 31), "meal_type": "lunch"}),
        (WaterLog, {"date": dt.date(1, 1, 1), "amount_ml": 100, "logged_at": timezone.now()}),
        (PendingSummary, {"date": dt.date(9999, 12, 31)}),
        (JournalEntry, {"entry_date": dt.date(1850, 1, 1), "title": "Old"}),
        (
            BodyMetric,
            {
                "metric_type_id": "weight",
                "value": Decimal(80),
                "measured_at": dt.datetime(1, 1, 2, tzinfo=dt.UTC),
                "local_date": dt.date(1, 1, 2),
            },
        ),
    ],
)
def test_the_database_refuses_a_far_date_whatever_path_wrote_it(member, model, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(user=member, **values)


def test_the_body_page_puts_a_far_date_on_its_date_field(client, member):
    client.force_login(member)
    response = client.post("/settings/body/", {"measured_on": "1899-12-31", "weight": "80"})
    assert response.status_code == 400
    assert response.context["form"].errors["measured_on"] == ["Enter a date from 1900-01-01 on."]
    assert not BodyMetric.objects.exists()
