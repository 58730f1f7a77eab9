from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.services.records import records_detect
from training.services.streaks import streaks_refresh
from training.tests.factories import ExerciseFactory, SessionExerciseFactory, SessionFactory, SetFactory

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/records/"
STREAKS = "/api/v1/streaks/"


def _lift(user, exercise, weight):
    session = SessionFactory(user=user)
    SetFactory(session_exercise=SessionExerciseFactory(session=session, exercise=exercise), reps=5, weight_kg=weight)
    records_detect(session=session)
    streaks_refresh(user=user)
    return session


def test_access_matrix(personas):
    client = APIClient()
    everyone = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(RECORDS), everyone)
    assert_access(client, personas, lambda c: c.get(STREAKS), everyone)
    assert_access(
        client,
        personas,
        lambda c: c.post(RECORDS, {}, format="json"),
        {**everyone, **dict.fromkeys(["owner", "other_member", "trainer", "staff"], 405)},
    )


def test_records_are_the_caller_own_and_filter_by_exercise(personas):
    bench, squat = ExerciseFactory(name="Bench"), ExerciseFactory(name="Squat")
    _lift(personas.owner, bench, 100)
    _lift(personas.owner, squat, 140)
    _lift(personas.other_member, bench, 200)
    client = APIClient()
    client.force_login(personas.owner)
    rows = client.get(RECORDS).json()["results"]
    assert len(rows) == 8
    assert {row["exercise_name"] for row in rows} == {"Bench", "Squat"}
    rows = client.get(RECORDS, {"exercise": str(bench.pk)}).json()["results"]
    weights = [row["value"] for row in rows if row["record_type"] == "max_weight"]
    assert weights == ["100.00"]
    assert client.get(RECORDS, {"exercise": "nope"}).status_code == 400
    for user in (personas.trainer, personas.staff):
        client.force_login(user)
        assert client.get(RECORDS).json()["results"] == []


def test_records_query_count_is_pinned(member):
    client = APIClient()
    client.force_login(member)
    _lift(member, ExerciseFactory(), 50)
    with assert_max_queries(5) as few:
        client.get(RECORDS)
    for _ in range(4):
        _lift(member, ExerciseFactory(), 60)
    with assert_max_queries(len(few)):
        client.get(RECORDS)


def test_streaks_are_the_caller_own(personas):
    _lift(personas.owner, ExerciseFactory(), 100)
    client = APIClient()
    client.force_login(personas.owner)
    rows = client.get(STREAKS).json()
    assert rows[0]["activity_type"] is None and rows[0]["current_length"] == 1
    assert len(rows) == 2
    client.force_login(personas.other_member)
    assert client.get(STREAKS).json() == []
