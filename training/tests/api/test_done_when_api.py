"""Done-when for the training API: a whole strength session and a whole run, each created in one request
with a personal access token (nested exercises and sets, superset, warm-up, RPE, rest, metrics, finished),
a retried POST that is answered from the Idempotency-Key, the records those sessions made, and a bad set
that stores nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.services.body import body_metric_record
from training.models import ActivityType, Exercise, IdempotencyKey, PersonalRecord, Session, Set, Streak

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"
RECORDS = "/api/v1/records/"
STREAKS = "/api/v1/streaks/"


def _exercise(name: str) -> Exercise:
    return Exercise.objects.get(external_id=f"seed-000:{name}")


def _type(slug: str) -> ActivityType:
    return ActivityType.objects.get(slug=slug)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _strength_payload(started: dt.datetime) -> dict:
    return {
        "activity_type": str(_type("weight-training").pk),
        "name": "Push and legs",
        "started_at": _iso(started),
        "ended_at": _iso(started + dt.timedelta(minutes=70)),
        "rating": 8,
        "notes": "Felt strong, thunderclap of a session.",
        "exercises": [
            {
                "exercise": str(_exercise("bench-press").pk),
                "order": 1,
                "superset_group": 1,
                "sets": [
                    {"reps": 10, "weight_kg": "40", "is_warmup": True, "rest_seconds": 60},
                    {"reps": 8, "weight_kg": "60", "rpe": 7, "rest_seconds": 90},
                    {"reps": 6, "weight_kg": "70", "rpe": 9, "rest_seconds": 120},
                ],
            },
            {
                "exercise": str(_exercise("squats").pk),
                "order": 2,
                "superset_group": 1,
                "sets": [
                    {"reps": 5, "weight_kg": "100", "rpe": 8, "rest_seconds": 120},
                    {"reps": 5, "weight_kg": "105", "rpe": 9, "rest_seconds": 120},
                ],
            },
            {
                "exercise": str(_exercise("deadlift").pk),
                "order": 3,
                "sets": [{"reps": 3, "weight_kg": "140", "rpe": 8, "rest_seconds": 180}],
            },
        ],
        "finished": True,
    }


def _run_payload(started: dt.datetime) -> dict:
    return {
        "activity_type": str(_type("running").pk),
        "name": "Evening run",
        "started_at": _iso(started),
        "ended_at": _iso(started + dt.timedelta(minutes=30)),
        "avg_heart_rate": 148,
        "max_heart_rate": 176,
        "metrics": {"distance": "5000", "avg_heart_rate": "148"},
        "exercises": [
            {"exercise": str(_exercise("running").pk), "sets": [{"distance_m": "5000", "duration_seconds": 1500}]}
        ],
        "finished": True,
    }


@pytest.fixture
def weighed_member(member):
    """The token's owner, weighed this morning so calories can be worked out."""
    body_metric_record(
        user=member,
        metric_type="weight",
        value=Decimal("80"),
        unit="kg",
        measured_at=timezone.now() - dt.timedelta(hours=3),
    )
    return member


def test_whole_sessions_in_one_request_each_idempotent_retry_and_their_records(token_client, weighed_member):
    user = weighed_member
    started = timezone.now() - dt.timedelta(hours=2)
    strength = _strength_payload(started)
    key = f"done-when-{uuid.uuid4()}"

    first = token_client.post(SESSIONS, strength, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == "finished"
    assert body["duration_seconds"] == 70 * 60
    assert body["notes"] == strength["notes"]
    assert Decimal(body["total_volume_kg"]) == Decimal("2345")  # 900 + 1025 + 420: the warm-up is not volume
    assert body["calories_kcal"] is not None and Decimal(body["calories_kcal"]) > 0
    assert body["is_personal_record"] is True
    bench, squats, deadlift = body["exercises"]
    assert [e["exercise_name"] for e in body["exercises"]] == ["Bench Press", "Squats", "Deadlift"]
    assert bench["superset_group"] == squats["superset_group"] == 1 and deadlift["superset_group"] is None
    assert [s["is_warmup"] for s in bench["sets"]] == [True, False, False]
    assert [s["rpe"] for s in bench["sets"]] == [None, 7, 9]
    assert [s["rest_seconds"] for s in bench["sets"]] == [60, 90, 120]
    assert bench["sets"][0]["is_personal_record"] is False  # a warm-up is never a record

    # The client lost the answer and sends the same request again: same answer, nothing new stored.
    retry = token_client.post(SESSIONS, strength, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert retry.status_code == first.status_code
    assert retry.json() == body
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert Session.objects.filter(user=user).count() == 1
    assert Set.objects.filter(session_exercise__session__user=user).count() == 6
    assert IdempotencyKey.objects.filter(user=user, key=key).count() == 1

    run = token_client.post(
        SESSIONS,
        _run_payload(started + dt.timedelta(minutes=80)),
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert run.status_code == 201, run.json()
    run_body = run.json()
    assert run_body["status"] == "finished"
    assert run_body["avg_heart_rate"] == 148 and run_body["max_heart_rate"] == 176
    assert Decimal(run_body["metrics"]["distance"]) == 5000
    assert Decimal(run_body["calories_kcal"]) > 0
    assert Session.objects.filter(user=user).count() == 2

    # The records those two sessions made (values in kg, reps, m and seconds per km).
    response = token_client.get(RECORDS, {"page_size": 100})
    assert response.status_code == 200
    rows = response.json()["results"]
    records = {(row["exercise_name"], row["record_type"]): Decimal(row["value"]) for row in rows}
    assert records[("Bench Press", "max_weight")] == Decimal("70")
    assert records[("Bench Press", "one_rm")] == pytest.approx(Decimal("84"), abs=Decimal("0.01"))  # 70 × (1 + 6/30)
    assert records[("Bench Press", "max_reps")] == 8  # the 10-rep warm-up does not count
    assert records[("Bench Press", "max_volume")] == Decimal("900")  # 8×60 + 6×70, warm-up left out
    assert records[("Squats", "max_weight")] == Decimal("105")
    assert records[("Squats", "one_rm")] == Decimal("122.50")  # 105 × (1 + 5/30)
    assert records[("Deadlift", "max_weight")] == Decimal("140")
    assert records[("Deadlift", "one_rm")] == Decimal("154")  # 140 × (1 + 3/30)
    assert records[("Running", "longest_distance")] == Decimal("5000")
    assert records[("Running", "best_pace")] == Decimal("300")  # 1500 s for 5 km: 5:00 /km
    assert {row["session"] for row in rows} == {body["id"], run_body["id"]}
    assert all(row["previous_value"] is None for row in rows)  # first-ever values
    assert PersonalRecord.objects.filter(user=user).count() == len(rows)

    # Both sessions count towards the streak.
    streaks = token_client.get(STREAKS).json()
    overall = next(row for row in streaks if row["activity_type"] is None)
    assert overall["current_length"] >= 1
    assert {row["activity_type_name"] for row in streaks} >= {"Weight Training", "Running"}
    assert Streak.objects.filter(user=user).count() == len(streaks)


def test_a_nested_bad_set_is_refused_with_its_field_path_and_stores_nothing(token_client, weighed_member):
    payload = _strength_payload(timezone.now() - dt.timedelta(hours=2))
    payload["exercises"][1]["sets"][1]["rpe"] = 11
    key = str(uuid.uuid4())

    response = token_client.post(SESSIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "exercises[1].sets[1].rpe" in error["fields"], error
    assert not Session.objects.filter(user=weighed_member).exists()
    assert not Set.objects.exists()
    assert not PersonalRecord.objects.exists()
    # A refused request does not use up its key: the corrected body goes through with it.
    assert not IdempotencyKey.objects.filter(key=key).exists()
    payload["exercises"][1]["sets"][1]["rpe"] = 10
    assert token_client.post(SESSIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code == 201
    assert Session.objects.filter(user=weighed_member).count() == 1
