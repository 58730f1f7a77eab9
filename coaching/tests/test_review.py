from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from coaching.models import DailySummary, WeeklySummary
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db

PAGE = "/review/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _monday(user, weeks_ago: int = 0) -> dt.date:
    today = user.local_today()
    return today - dt.timedelta(days=today.weekday(), weeks=weeks_ago)


def _daily(user, day, **values) -> DailySummary:
    return DailySummary.objects.create(user=user, date=day, refreshed_at=timezone.now(), **values)


def _weekly(user, monday, **values) -> WeeklySummary:
    return WeeklySummary.objects.create(
        user=user, week_start=monday, week_end=monday + dt.timedelta(days=6), refreshed_at=timezone.now(), **values
    )


def _chart(response, element_id):
    html = response.content.decode()
    marker = f'<script id="{element_id}" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_access_matrix(personas):
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    last_week = _monday(personas.owner, 1).isoformat()
    assert_access(Client(), personas, lambda c: c.get(PAGE), everyone)
    assert_access(Client(), personas, lambda c: c.get(PAGE, {"week": last_week}), everyone)


def test_it_rejects_writes(member):
    assert _client(member).post(PAGE).status_code == 405


@pytest.mark.parametrize("week", ["next", "2026-13-01", "yesterday", "20260101", "0001-01-01"])
def test_a_malformed_or_future_week_is_404(member, week):
    if week == "next":
        week = (_monday(member) + dt.timedelta(weeks=1)).isoformat()
    assert _client(member).get(PAGE, {"week": week}).status_code == 404


def test_any_day_of_this_week_is_this_week(member):
    sunday = _monday(member) + dt.timedelta(days=6)  # may be after today: still this week
    response = _client(member).get(PAGE, {"week": sunday.isoformat()})
    assert response.status_code == 200 and response.context["review"].week_start == _monday(member)


def test_charts_json_equals_the_summaries(member):
    monday = _monday(member, 2)
    values = [(0, 45, 2100, 400), (2, 0, 1800, 0), (5, 90, 2500, 700)]
    for offset, minutes, eaten, burned in values:
        _daily(
            member,
            monday + dt.timedelta(days=offset),
            workouts=1 if minutes else 0,
            active_minutes=minutes,
            calories_eaten=eaten,
            calories_burned=burned,
            meals=3,
        )
    _weekly(
        member,
        _monday(member, 5),
        end_weight_kg=Decimal("82.40"),
        habits_total=10,
        habits_completed=5,
        habit_completion_rate=Decimal("50.00"),
    )
    _weekly(member, _monday(member, 3), habits_total=0, habit_completion_rate=None)
    _weekly(
        member,
        monday,
        workouts=2,
        workout_days=2,
        active_minutes=135,
        calories_eaten=6400,
        avg_calories_eaten=2133,
        start_weight_kg=Decimal("81.90"),
        end_weight_kg=Decimal("81.20"),
        habits_total=14,
        habits_completed=12,
        habit_completion_rate=Decimal("85.71"),
        journal_days=4,
    )
    response = _client(member).get(PAGE, {"week": (monday + dt.timedelta(days=3)).isoformat()})
    days = [(monday + dt.timedelta(days=n)).isoformat() for n in range(7)]

    minutes = _chart(response, "minutes-data")
    assert minutes["labels"] == days
    assert minutes["series"][0]["values"] == [45, 0, 0, 0, 0, 90, 0]
    assert minutes["ticks"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    calories = _chart(response, "calories-data")
    assert [s["name"] for s in calories["series"]] == ["Eaten", "Burned"]
    assert calories["series"][0]["values"] == [2100, 0, 1800, 0, 0, 2500, 0]
    assert calories["series"][1]["values"] == [400, 0, 0, 0, 0, 700, 0]

    # Twelve weeks ending with the shown one; weeks without a weigh-in or without habits are gaps.
    weight = _chart(response, "weight-data")
    assert weight["unit"] == "kg"
    assert weight["labels"] == [_monday(member, 5).isoformat(), monday.isoformat()]
    assert weight["series"][0]["values"] == [82.4, 81.2]
    habits = _chart(response, "habits-data")
    assert habits["labels"] == [_monday(member, 5).isoformat(), monday.isoformat()]
    assert habits["series"][0]["values"] == [50.0, 85.71] and habits["max"] == 100

    text = _text(response)
    assert "Workouts 2" in text and "Workout days 2 of 7" in text
    assert "Average eaten 2133 kcal" in text
    assert "Weight change −0.7 kg" in text
    assert "Habits done 86%" in text and "12 of 14 habit check-ins" in text
    # Every chart has its table.
    assert text.count("as a table") == 4


def test_weight_in_pounds_for_imperial(member):
    member.unit_system = "imperial"
    member.save()
    monday = _monday(member)
    _weekly(member, monday, start_weight_kg=Decimal("80.00"), end_weight_kg=Decimal("81.00"))
    response = _client(member).get(PAGE)
    weight = _chart(response, "weight-data")
    assert weight["unit"] == "lb" and weight["series"][0]["values"] == [178.6]
    assert "Weight change +2.2 lb" in _text(response)


def test_empty_states(member):
    response = _client(member).get(PAGE)
    text = _text(response)
    assert "Nothing summarised for this week yet" in text
    assert "No sessions this week" in text and "No meals or sessions this week" in text
    assert "No weight recorded in the last 12 weeks" in text and "No habits in the last 12 weeks" in text
    assert "application/json" not in response.content.decode()


def test_only_the_persons_own_summaries(personas):
    monday = _monday(personas.owner)
    _daily(personas.other_member, monday, active_minutes=77, calories_eaten=3333)
    _weekly(personas.other_member, monday, workouts=9, end_weight_kg=Decimal("99.00"))
    response = _client(personas.owner).get(PAGE)
    assert "Nothing summarised for this week yet" in _text(response)
    assert "3333" not in response.content.decode() and "99.0" not in response.content.decode()


def test_week_navigation(member):
    monday = _monday(member, 1)
    html = _client(member).get(PAGE, {"week": monday.isoformat()}).content.decode()
    assert f"?week={(monday - dt.timedelta(weeks=1)).isoformat()}" in html
    assert f"?week={_monday(member).isoformat()}" in html and "This week" in html
    current = _client(member).get(PAGE).content.decode()
    assert 'rel="next"' not in current


def test_query_count_is_pinned(member):
    client = _client(member)
    client.get(PAGE)
    with assert_num_queries(5):  # 4 + the goals card (its goals; their progress only when measured ones exist)
        client.get(PAGE)
    for weeks_ago in range(12):
        monday = _monday(member, weeks_ago)
        _weekly(
            member,
            monday,
            end_weight_kg=Decimal("80"),
            habits_total=7,
            habits_completed=3,
            habit_completion_rate=Decimal("42.86"),
        )
        for n in range(7):
            _daily(member, monday + dt.timedelta(days=n), active_minutes=30, calories_eaten=2000)
    with assert_num_queries(5):  # 4 + the goals card (its goals; their progress only when measured ones exist)
        response = client.get(PAGE)
    assert len(_chart(response, "weight-data")["labels"]) == 12
