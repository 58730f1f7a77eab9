"""API: the caller's daily and weekly summaries, read only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, PendingSummary, WeeklySummary
from coaching.services import summaries as services
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from nutrition.services import diary
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _day(user, date: dt.date, **values) -> DailySummary:
    return DailySummary.objects.create(user=user, date=date, refreshed_at=timezone.now(), **values)


def _week(user, monday: dt.date, **values) -> WeeklySummary:
    return WeeklySummary.objects.create(
        user=user, week_start=monday, week_end=monday + dt.timedelta(days=6), refreshed_at=timezone.now(), **values
    )


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@pytest.fixture
def owner():
    return UserFactory(timezone="Asia/Tokyo")


def test_the_daily_list_defaults_to_the_last_30_days_oldest_first(owner):
    today = owner.local_today()
    for n in (0, 5, 29, 30, 40):
        _day(owner, today - dt.timedelta(days=n), water_ml=n + 1)
    _day(UserFactory(), today, water_ml=999)  # someone else's
    body = _client(owner).get("/api/v1/summaries/daily/").json()
    assert body["count"] == 3
    assert [row["date"] for row in body["results"]] == [(today - dt.timedelta(days=n)).isoformat() for n in (29, 5, 0)]


def test_a_daily_row_carries_every_value_in_si_units(owner):
    food = FoodFactory(energy_kcal=200, protein_g=10, carbohydrate_g=20, fat_g=5)
    day = owner.local_today() - dt.timedelta(days=1)
    meal = diary.meal_get_or_create(user=owner, date=day, meal_type="lunch")
    diary.item_add(user=owner, meal=meal, food=food, quantity=150)
    diary.water_log_add(user=owner, amount_ml=330, date=day)
    services.summaries_refresh_pending(user_id=owner.pk)

    row = _client(owner).get(f"/api/v1/summaries/daily/{day.isoformat()}/").json()
    assert row == {
        "date": day.isoformat(),
        "workouts": 0,
        "other_activities": 0,
        "active_minutes": 0,
        "calories_burned": 0,
        "meals": 1,
        "calories_eaten": 300,
        "protein_g": "15.00",
        "carbohydrate_g": "30.00",
        "fat_g": "7.50",
        "net_calories": 300,
        "water_ml": 330,
        "weight_kg": None,
        "habits_completed": 0,
        "habits_total": 0,
        "has_journal_entry": False,
        "refreshed_at": row["refreshed_at"],
        "pending": False,
    }


def test_pending_days_say_so(owner):
    today = owner.local_today()
    _day(owner, today, water_ml=1)
    _day(owner, today - dt.timedelta(days=1), water_ml=1)
    _week(owner, _monday(today))
    PendingSummary.objects.create(user=owner, date=today)
    client = _client(owner)
    rows = client.get("/api/v1/summaries/daily/").json()["results"]
    assert [row["pending"] for row in rows] == [False, True]
    assert client.get(f"/api/v1/summaries/daily/{today}/").json()["pending"] is True
    assert client.get("/api/v1/summaries/weekly/").json()["results"][-1]["pending"] is True


def test_from_and_to_choose_the_days(owner):
    start = dt.date(2026, 1, 1)
    for n in range(10):
        _day(owner, start + dt.timedelta(days=n), water_ml=n + 1)
    body = _client(owner).get("/api/v1/summaries/daily/?from=2026-01-03&to=2026-01-05").json()
    assert [row["water_ml"] for row in body["results"]] == [3, 4, 5]
    body = _client(owner).get("/api/v1/summaries/daily/?from=2026-01-01&to=2026-01-10&page_size=4&page=2").json()
    assert body["count"] == 10 and [row["water_ml"] for row in body["results"]] == [5, 6, 7, 8]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-01-10&to=2026-01-01", "from"),
        ("from=2025-01-01&to=2026-01-02", "to"),  # 367 days
        ("from=2020-01-01", "from"),  # up to today: years
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
    ],
)
def test_a_bad_range_is_a_400_with_the_field(owner, query, field):
    for kind in ("daily", "weekly"):
        response = _client(owner).get(f"/api/v1/summaries/{kind}/?{query}")
        assert response.status_code == 400, (kind, query)
        assert field in response.json()["error"]["fields"]


def test_366_days_is_the_longest_range(owner):
    assert _client(owner).get("/api/v1/summaries/daily/?from=2024-01-01&to=2024-12-31").status_code == 200


def test_a_day_without_a_summary_or_not_a_date_is_a_404(owner):
    client = _client(owner)
    assert client.get("/api/v1/summaries/daily/2026-01-01/").status_code == 404
    assert client.get("/api/v1/summaries/daily/not-a-date/").status_code == 404
    _day(UserFactory(), dt.date(2026, 1, 1), water_ml=1)
    assert client.get("/api/v1/summaries/daily/2026-01-01/").status_code == 404  # another person's


def test_weeks_list_and_detail(owner):
    monday = _monday(owner.local_today())
    for n in range(14):
        _week(owner, monday - dt.timedelta(weeks=n), workouts=n)
    client = _client(owner)
    body = client.get("/api/v1/summaries/weekly/").json()
    assert body["count"] == 12
    assert [row["workouts"] for row in body["results"]] == list(range(11, -1, -1))
    body = client.get(f"/api/v1/summaries/weekly/?from={monday - dt.timedelta(days=1)}&to={monday}").json()
    assert [row["week_start"] for row in body["results"]] == [str(monday - dt.timedelta(weeks=1)), str(monday)]

    week = _week(
        owner,
        monday - dt.timedelta(weeks=20),
        start_weight_kg=Decimal("80.40"),
        end_weight_kg=Decimal("79.60"),
        habits_completed=3,
        habits_total=7,
        habit_completion_rate=Decimal("42.86"),
    )
    row = client.get(f"/api/v1/summaries/weekly/{week.week_start}/").json()
    assert row["week_end"] == str(week.week_end)
    assert (row["weight_change_kg"], row["habit_completion_rate"]) == ("-0.80", "42.86")
    assert client.get(f"/api/v1/summaries/weekly/{week.week_start + dt.timedelta(days=1)}/").status_code == 404
    assert client.get(f"/api/v1/summaries/weekly/{monday - dt.timedelta(weeks=30)}/").status_code == 404


def test_summaries_are_read_only(owner):
    day = owner.local_today()
    _day(owner, day, water_ml=1)
    client = _client(owner)
    for url in ("/api/v1/summaries/daily/", f"/api/v1/summaries/daily/{day}/", "/api/v1/summaries/weekly/"):
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(url, {"water_ml": 5}, format="json")
            assert response.status_code == 405, (url, method)
            assert response.json()["error"]["status"] == 405
    assert DailySummary.objects.get().water_ml == 1


def test_access_matrix(personas):
    owner = personas.owner
    day = owner.local_today()
    _day(owner, day, water_ml=1)
    monday = _monday(day)
    _week(owner, monday)
    client = APIClient()
    everyone = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    theirs = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    refused = {"anonymous": 401, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405}
    assert_access(client, personas, lambda c: c.get("/api/v1/summaries/daily/"), everyone)
    assert_access(client, personas, lambda c: c.get("/api/v1/summaries/weekly/"), everyone)
    assert_access(client, personas, lambda c: c.get(f"/api/v1/summaries/daily/{day}/"), theirs)
    assert_access(client, personas, lambda c: c.get(f"/api/v1/summaries/weekly/{monday}/"), theirs)
    assert_access(client, personas, lambda c: c.post("/api/v1/summaries/daily/", {}, format="json"), refused)
    assert_access(client, personas, lambda c: c.delete(f"/api/v1/summaries/weekly/{monday}/"), refused)


def test_a_token_reads_its_own_summaries(token_client, member):
    _day(member, member.local_today(), water_ml=7)
    body = token_client.get("/api/v1/summaries/daily/").json()
    assert [row["water_ml"] for row in body["results"]] == [7]


@pytest.mark.parametrize("days", [1, 30])
def test_the_lists_cost_the_same_queries_whatever_the_rows(owner, days):
    today = owner.local_today()
    for n in range(days):
        _day(owner, today - dt.timedelta(days=n), water_ml=1)
        PendingSummary.objects.create(user=owner, date=today - dt.timedelta(days=n))
    for n in range(min(days, 12)):
        _week(owner, _monday(today) - dt.timedelta(weeks=n))
    client = _client(owner)
    # Count, page, pending days (authentication is forced: no session or token lookups).
    with assert_max_queries(3):
        assert client.get("/api/v1/summaries/daily/").json()["count"] == days
    with assert_max_queries(3):
        assert client.get("/api/v1/summaries/weekly/").status_code == 200
