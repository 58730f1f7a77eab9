from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services.body import body_metric_record
from accounts.tests.test_body_metrics import body_reference
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.tests.factories import ExerciseFactory, SessionExerciseFactory, SessionFactory, SetFactory

pytestmark = pytest.mark.django_db

PAGE = "/progress/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _chart(response, element_id):
    html = response.content.decode()
    start = html.index(f'<script id="{element_id}" type="application/json">') + len(
        f'<script id="{element_id}" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def _weigh(user, days_ago, kg):
    at = timezone.now() - dt.timedelta(days=days_ago)
    body_metric_record(user=user, metric_type="weight", value=Decimal(kg), measured_at=at)


def _lift(user, days_ago, weight, reps=5, exercise=None):
    start = timezone.now() - dt.timedelta(days=days_ago, hours=1)
    session = SessionFactory(user=user, started_at=start, total_volume_kg=weight * reps)
    exercise = exercise or ExerciseFactory()
    SetFactory(session_exercise=SessionExerciseFactory(session=session, exercise=exercise), reps=reps, weight_kg=weight)
    return exercise


def test_access_matrix(personas):
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(Client(), personas, lambda c: c.get(PAGE), everyone)


def test_empty_states(member):
    html = _client(member).get(PAGE).content.decode()
    assert "No weight recorded yet" in html
    assert "No lifting in the last 12 weeks" in html
    assert "No sessions in the last 12 weeks" in html
    assert "Log sets with weight and reps" in html
    assert "application/json" not in html


def test_weight_trend_with_moving_average(member):
    body_reference()
    for days_ago, kg in [(3, 80), (2, 82), (1, 84)]:
        _weigh(member, days_ago, kg)
    response = _client(member).get(PAGE)
    data = _chart(response, "weight-data")
    assert data["unit"] == "kg"
    assert data["series"][0]["values"] == [80.0, 82.0, 84.0]
    assert data["series"][1]["values"] == [80.0, 81.0, 82.0]
    assert "Weight as a table" in response.content.decode()


def test_weight_in_pounds_for_imperial(member):
    body_reference()
    member.unit_system = "imperial"
    member.save()
    _weigh(member, 1, 100)
    data = _chart(_client(member).get(PAGE), "weight-data")
    assert data["unit"] == "lb" and data["series"][0]["values"] == [220.5]


def test_weekly_volume_and_minutes_and_one_rm(member):
    bench = _lift(member, 1, 100)
    _lift(member, 2, 110, reps=1, exercise=bench)
    _lift(member, 200, 50)  # older than 12 weeks: not in the weekly charts
    response = _client(member).get(PAGE)
    volume = _chart(response, "volume-data")
    assert len(volume["labels"]) == 12 and sum(volume["series"][0]["values"]) == 610.0
    minutes = _chart(response, "minutes-data")
    assert sum(minutes["series"][0]["values"]) == 120
    one_rm = _chart(_client(member).get(PAGE, {"exercise": str(bench.pk)}), "one-rm-data")
    assert sorted(one_rm["series"][0]["values"]) == [110.0, 116.7]


def test_one_rm_cannot_chart_another_person_exercise_history(personas):
    theirs = _lift(personas.other_member, 1, 200)
    mine = _lift(personas.owner, 1, 50)
    response = _client(personas.owner).get(PAGE, {"exercise": str(theirs.pk)})
    assert response.context["exercise"][0] == mine.pk
    assert _chart(response, "one-rm-data")["series"][0]["values"] == [58.3]


def test_htmx_exercise_change_returns_the_fragment(member):
    bench = _lift(member, 1, 100)
    response = _client(member).get(PAGE, {"exercise": str(bench.pk)}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="one-rm")
    assert "<html" not in response.content.decode()
    assert "one-rm-data" in response.content.decode()


def test_query_count_is_pinned(member):
    body_reference()
    client = _client(member)
    _weigh(member, 1, 80)
    _lift(member, 1, 100)
    with assert_max_queries(9) as few:
        client.get(PAGE)
    for days_ago in range(2, 40):
        _weigh(member, days_ago, 80)
        _lift(member, days_ago, 100)
    with assert_max_queries(len(few)):
        client.get(PAGE)
