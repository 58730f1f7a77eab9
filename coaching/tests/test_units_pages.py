"""Every coaching page that shows or reads a weight or a volume of water, for a metric and an imperial person:
kg and ml for one, lb and fl oz for the other (fitjourney.units through coaching.presenters)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, Goal, GoalRole, OnboardingState, Step, WeeklySummary
from nutrition.models import HydrationPreferences
from training.tests.factories import ExerciseFactory, SessionExerciseFactory, SessionFactory, SetFactory

from .intake_kit import answer_steps

pytestmark = pytest.mark.django_db

UNITS = {
    "metric": {"weight": "kg", "water": "ml", "not": ("lb", "fl oz")},
    "imperial": {"weight": "lb", "water": "fl oz", "not": ("kg", "ml")},
}


def _person(unit_system: str, **fields):
    return UserFactory(unit_system=unit_system, **fields)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _chart(response, element_id: str) -> dict:
    html = response.content.decode()
    marker = f'<script id="{element_id}" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


@pytest.mark.parametrize(
    ("unit_system", "weight", "water", "buttons"),
    [
        ("metric", "80.0 kg today", "1500 ml of 2500 ml", ("+250 ml", "+500 ml")),
        ("imperial", "176.4 lb today", "51 fl oz of 85 fl oz", ("+8 fl oz", "+16 fl oz")),
    ],
)
def test_today_shows_weight_water_and_the_water_buttons_in_the_persons_units(unit_system, weight, water, buttons):
    person = _person(unit_system)
    today = person.local_today()
    HydrationPreferences.objects.create(user=person, daily_target_ml=2500)
    DailySummary.objects.create(
        user=person, date=today, refreshed_at=timezone.now(), water_ml=1500, weight_kg=Decimal("80.00")
    )
    text = _text(_client(person).get("/today/"))
    assert weight in text and water in text
    assert all(button in text for button in buttons)
    assert f"Weight ({UNITS[unit_system]['weight']})" in text
    assert not any(f"{n} {unit} " in text for unit in UNITS[unit_system]["not"] for n in "0123456789")


@pytest.mark.parametrize(
    ("unit_system", "unit", "values", "change"),
    [("metric", "kg", [81.0], "−0.5 kg"), ("imperial", "lb", [178.6], "−1.1 lb")],
)
def test_the_weekly_review_charts_and_totals_the_weight_in_the_persons_unit(unit_system, unit, values, change):
    person = _person(unit_system)
    today = person.local_today()
    monday = today - dt.timedelta(days=today.weekday())
    WeeklySummary.objects.create(
        user=person,
        week_start=monday,
        week_end=monday + dt.timedelta(days=6),
        refreshed_at=timezone.now(),
        start_weight_kg=Decimal("81.50"),
        end_weight_kg=Decimal("81.00"),
    )
    response = _client(person).get("/review/")
    chart = _chart(response, "weight-data")
    assert chart["unit"] == unit and chart["series"][0]["values"] == values
    text = _text(response)
    assert f"Weight change {change}" in text and f"Weight ({unit})" in text


@pytest.mark.parametrize(
    ("unit_system", "unit", "weight", "volume", "one_rm"),
    [("metric", "kg", 100.0, 500.0, 116.7), ("imperial", "lb", 220.5, 1102.3, 257.2)],
)
def test_progress_charts_weight_volume_and_1rm_in_the_persons_unit(unit_system, unit, weight, volume, one_rm):
    person = _person(unit_system)
    body_metric_record(user=person, metric_type="weight", value=Decimal(100), unit="kg")
    session = SessionFactory(
        user=person, started_at=timezone.now() - dt.timedelta(hours=2), total_volume_kg=Decimal(500)
    )
    exercise = ExerciseFactory()
    SetFactory(session_exercise=SessionExerciseFactory(session=session, exercise=exercise), reps=5, weight_kg=100)
    response = _client(person).get("/progress/", {"exercise": str(exercise.pk)})
    charts = {name: _chart(response, f"{name}-data") for name in ("weight", "volume", "one-rm")}
    assert {chart["unit"] for chart in charts.values()} == {unit}
    assert charts["weight"]["series"][0]["values"] == [weight]
    assert charts["volume"]["series"][0]["values"][-1] == volume
    assert charts["one-rm"]["series"][0]["values"] == [one_rm]
    text = _text(response)
    assert f"Volume ({unit})" in text and f"Estimated 1RM ({unit})" in text


@pytest.mark.parametrize(("unit_system", "target"), [("metric", "70.0 kg"), ("imperial", "154.3 lb")])
def test_the_coach_page_shows_the_target_weight_in_the_persons_unit(unit_system, target):
    person = _person(unit_system)
    Goal.objects.create(user=person, role=GoalRole.PRIMARY, category="fat_loss", target_weight_kg=70)
    assert f"target weight {target}" in _text(_client(person).get("/coach/"))


@pytest.mark.parametrize(
    ("unit_system", "labels", "review"),
    [
        ("metric", ("Target weight (kg, optional)", "Weight (kg)", "Daily target (ml)"), ("78.5 kg", "2500 ml")),
        ("imperial", ("Target weight (lb, optional)", "Weight (lb)", "Daily target (fl oz)"), ("173.1 lb", "85 fl oz")),
    ],
)
def test_the_intake_asks_and_reviews_in_the_persons_units(unit_system, labels, review):
    person = _person(unit_system, intake_completed_at=None)
    answer_steps(person)
    User.objects.filter(pk=person.pk).update(unit_system=unit_system)  # the welcome step's answer is metric
    client = _client(person)
    pages = "".join(_text(client.get(f"/intake/{step}/")) for step in (Step.GOALS, Step.BODY, Step.HYDRATION))
    assert all(label in pages for label in labels)
    text = _text(client.get(f"/intake/{Step.REVIEW}/"))
    assert all(words in text for words in review)


HYDRATION = {
    "reminder_enabled": "on",
    "reminder_every_minutes": "90",
    "reminder_start": "09:00",
    "reminder_end": "21:00",
    "tone": "gentle",
}


def test_an_imperial_persons_water_target_is_read_in_fluid_ounces_and_stored_in_millilitres():
    person = _person("imperial", intake_completed_at=None)
    answer_steps(person, upto=Step.HYDRATION)
    User.objects.filter(pk=person.pk).update(unit_system="imperial")
    client = _client(person)
    # Untouched (85 fl oz shown for the saved 2500 ml): the saved millilitres stay as they were.
    assert client.post(f"/intake/{Step.HYDRATION}/", {**HYDRATION, "daily_target": "85"}).status_code == 302
    assert OnboardingState.objects.get(user=person).step_data["step_9"]["daily_target_ml"] == 2500
    assert client.post(f"/intake/{Step.HYDRATION}/", {**HYDRATION, "daily_target": "100"}).status_code == 302
    assert OnboardingState.objects.get(user=person).step_data["step_9"]["daily_target_ml"] == 2957
    # Nutrition's rule (at least 500 ml) refuses 10 fl oz on the field the person typed it in.
    response = client.post(f"/intake/{Step.HYDRATION}/", {**HYDRATION, "daily_target": "10"})
    assert response.status_code == 400
    assert 'name="daily_target"' in response.content.decode() and 'aria-invalid="true"' in response.content.decode()
