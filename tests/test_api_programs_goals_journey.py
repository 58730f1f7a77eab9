"""Done-when of issue 12, over the API as a third party does it with personal access tokens.

A person builds a 4-week program (three days a week: two strength days and a run) in ONE request, reads
it back, publishes it, and follows it: today's workout has target weights computed from their e1RM
(in kg for them, in lb for an imperial person following the same program), starting it pre-fills a
session (once: a second start answers the same session), the sets are logged and the session finished,
and the program moves on to its next day. Then two goals (bench press e1RM 100 kg in six months, lose
5 kg), a heavier bench set and a lower weight logged through the API, the goals evaluated as the worker
does after the logs change, and their progress, milestones and notifications read back. Another member
gets a 404 for everything that is not theirs, anonymous callers a 401; publishing a program with an
empty week is refused in the API's one error shape and changes nothing; and the schema documents the
operations with their errors.

Only reference data and e1RM history are set up through services (training.tests.enrollment_helpers).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.tests.factories import UserFactory
from coaching.models import Goal, GoalMilestone, GoalStatus
from training.models import (
    ActivityType,
    Enrollment,
    EnrollmentDay,
    Exercise,
    PersonalRecord,
    Program,
    ProgramExercise,
    ProgramSession,
    RecordType,
    Session,
)
from training.tests.enrollment_helpers import give_e1rm

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROGRAMS = f"{API}/programs/"
ENROLLMENTS = f"{API}/enrollments/"
SESSIONS = f"{API}/sessions/"
GOALS = f"{API}/goals/"
BODY_METRICS = f"{API}/body-metrics/"
NOTIFICATIONS = f"{API}/notifications/"

WEEKS = 4
DAYS = 3
KG_PER_LB = Decimal("0.45359237")
# e1RM history set up before the journey (kg).
BENCH_E1RM = Decimal(90)
SQUAT_E1RM = Decimal(120)
# The decimal fields of a program's days and exercises (compared as numbers, not as strings).
DECIMALS = {"target_weight_kg", "percent_1rm", "target_rpe", "target_distance_m"}


# ---------------------------------------------------------------------------------------------------
# Helpers


def _token_client(user) -> APIClient:
    """A client as a third party uses the API: a real personal access token in the Authorization header."""
    raw = account_services.api_token_create(user=user, name="journey").raw
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _exercise(slug: str) -> Exercise:
    return Exercise.objects.get(external_id=f"seed-000:{slug}")


def _type(slug: str) -> ActivityType:
    return ActivityType.objects.get(slug=slug)


def _bench_percent(week: int) -> Decimal:
    return Decimal(70) + Decimal("2.5") * (week - 1)


def _squat_percent(week: int) -> Decimal:
    return Decimal(75) + Decimal("2.5") * (week - 1)


def _program_payload() -> dict[str, Any]:
    """Four weeks of: day 1 bench press (% of e1RM, rep range, RPE, rest) then pull-ups and push-ups as a
    superset (an absolute weight, none); day 2 squats (% of e1RM) and deadlifts (absolute); day 3 an
    easy 5 km run (duration, distance, intensity and the running type's distance metric as targets)."""
    strength, running = str(_type("weight-training").pk), str(_type("running").pk)
    weeks = []
    for week in range(1, WEEKS + 1):
        push_pull = {
            "day": 1,
            "name": "Push and pull",
            "activity_type": strength,
            "notes": "Bench first, then the superset.",
            "estimated_duration_minutes": 60,
            "exercises": [
                {
                    "exercise": str(_exercise("bench-press").pk),
                    "sets": 3,
                    "reps_min": 6,
                    "reps_max": 8,
                    "percent_1rm": str(_bench_percent(week)),
                    "target_weight_kg": "50",  # the fallback without an e1RM
                    "target_rpe": "8",
                    "rest_seconds": 180,
                    "notes": "Pause on the chest.",
                },
                {
                    "exercise": str(_exercise("pull-ups").pk),
                    "superset_group": 1,
                    "sets": 3,
                    "reps_min": 6,
                    "reps_max": 10,
                    "target_weight_kg": "10",
                    "rest_seconds": 60,
                },
                {
                    "exercise": str(_exercise("push-ups").pk),
                    "superset_group": 1,
                    "sets": 2,
                    "reps_min": 12,
                    "reps_max": 15,
                    "rest_seconds": 90,
                },
            ],
        }
        legs = {
            "day": 2,
            "name": "Legs",
            "activity_type": strength,
            "exercises": [
                {
                    "exercise": str(_exercise("squats").pk),
                    "sets": 4,
                    "reps_min": 5,
                    "reps_max": 5,
                    "percent_1rm": str(_squat_percent(week)),
                    "target_rpe": "7.5",
                    "rest_seconds": 150,
                },
                {
                    "exercise": str(_exercise("deadlift").pk),
                    "sets": 1,
                    "reps_min": 5,
                    "reps_max": 5,
                    "target_weight_kg": "100",
                    "rest_seconds": 240,
                },
            ],
        }
        run = {
            "day": 3,
            "name": "Easy run",
            "activity_type": running,
            "target_duration_seconds": 1800 + 60 * week,
            "target_distance_m": "5000",
            "target_intensity": "easy, conversational pace",
            "target_metrics": {"distance": "5000"},
            "exercises": [
                {
                    "exercise": str(_exercise("running").pk),
                    "sets": 1,
                    "target_duration_seconds": 1800 + 60 * week,
                    "target_distance_m": "5000",
                }
            ],
        }
        weeks.append({"week": week, "days": [push_pull, legs, run]})
    return {
        "name": "Four-week strength and run",
        "description": "Two lifting days and an easy run, heavier every week.",
        "activity_types": [strength, running],
        "difficulty": "intermediate",
        "duration_weeks": WEEKS,
        "sessions_per_week": DAYS,
        "goals": ["strength"],
        "equipment": ["barbell", "pull-up bar"],
        "weeks": weeks,
    }


def _same(key: str, sent: Any, got: Any) -> bool:
    if key in DECIMALS:
        return got is not None and Decimal(got) == Decimal(sent)
    return got == sent


def _assert_tree_as_sent(sent_weeks: list[dict], got_weeks: list[dict]) -> None:
    """Every field sent comes back with its value (numbers compared as numbers), exercises in the order
    sent, and each exercise field not sent is empty."""
    assert [w["week"] for w in got_weeks] == [w["week"] for w in sent_weeks]
    for sent_week, got_week in zip(sent_weeks, got_weeks, strict=True):
        got_days = {d["day"]: d for d in got_week["days"]}
        assert sorted(got_days) == [d["day"] for d in sent_week["days"]]
        for sent_day in sent_week["days"]:
            got_day = got_days[sent_day["day"]]
            where = (sent_week["week"], sent_day["day"])
            for key, value in sent_day.items():
                if key != "exercises":
                    assert _same(key, value, got_day[key]), (where, key, value, got_day[key])
            got_exercises = got_day["exercises"]
            assert [e["order"] for e in got_exercises] == list(range(1, len(sent_day["exercises"]) + 1)), where
            for sent_ex, got_ex in zip(sent_day["exercises"], got_exercises, strict=True):
                for key, value in sent_ex.items():
                    assert _same(key, value, got_ex[key]), (where, key, value, got_ex[key])
                for key in ("superset_group", "target_weight_kg", "percent_1rm", "target_rpe", "target_distance_m"):
                    if key not in sent_ex:
                        assert got_ex[key] is None, (where, key)


def _loadable_kg(e1rm: Decimal, percent: Decimal) -> Decimal:
    """% of the e1RM rounded DOWN to what a metric person can load: a multiple of 2.5 kg."""
    raw = e1rm * percent / 100
    return (raw / Decimal("2.5")).to_integral_value(rounding=ROUND_FLOOR) * Decimal("2.5")


def _loadable_lb(e1rm: Decimal, percent: Decimal) -> Decimal:
    """The same for an imperial person: a multiple of 5 lb."""
    pounds = e1rm * percent / 100 / KG_PER_LB
    return (pounds / 5).to_integral_value(rounding=ROUND_FLOOR) * 5


def _epley(weight_kg: Decimal, reps: int) -> Decimal:
    return (weight_kg * (1 + Decimal(reps) / 30)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _assert_error_shape(response, status: int) -> dict:
    """The API's one error shape: {"error": {"status", "code", "message", "fields"}}."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "fields"}, body
    assert body["error"]["status"] == status == response.status_code
    return body["error"]


# ---------------------------------------------------------------------------------------------------
# The journey


@pytest.fixture
def people(db):
    owner = UserFactory(unit_system="metric")
    imperial = UserFactory(unit_system="imperial")
    stranger = UserFactory()
    for person in (owner, imperial):
        give_e1rm(person, _exercise("bench-press"), BENCH_E1RM)
        give_e1rm(person, _exercise("squats"), SQUAT_E1RM)
    return owner, imperial, stranger


def test_build_publish_follow_and_reach_goals_over_the_api(people, django_capture_on_commit_callbacks):
    owner, imperial, stranger = people
    api, imperial_api, stranger_api, anonymous = (
        _token_client(owner),
        _token_client(imperial),
        _token_client(stranger),
        APIClient(),
    )

    # 1. The whole program in one request, read back as sent.
    payload = _program_payload()
    created = api.post(PROGRAMS, payload, format="json")
    assert created.status_code == 201, created.json()
    program = created.json()
    program_id = program["id"]
    assert (program["status"], program["visibility"], program["is_mine"]) == ("draft", "private", True)
    assert program["author"] == str(owner.pk) and program["published_at"] is None
    assert program["units"] == {"weight": "kg", "distance": "m", "duration": "s", "percent_1rm": "%"}
    for key in ("name", "description", "difficulty", "duration_weeks", "sessions_per_week", "goals", "equipment"):
        assert program[key] == payload[key], key
    assert sorted(program["activity_types"]) == sorted(payload["activity_types"])
    _assert_tree_as_sent(payload["weeks"], program["weeks"])
    read = api.get(f"{PROGRAMS}{program_id}/")
    assert read.status_code == 200 and read.json() == program
    assert ProgramSession.objects.filter(program_id=program_id).count() == WEEKS * DAYS
    sent_exercises = sum(len(day["exercises"]) for week in payload["weeks"] for day in week["days"])
    assert ProgramExercise.objects.filter(session__program_id=program_id).count() == sent_exercises
    bench_row = ProgramExercise.objects.get(session__program_id=program_id, session__week=3, session__day=1, order=1)
    assert bench_row.percent_1rm == _bench_percent(3) and bench_row.target_rpe == 8

    # A draft is its author's only.
    assert stranger_api.get(f"{PROGRAMS}{program_id}/").status_code == 404
    assert stranger_api.post(ENROLLMENTS, {"program": program_id}, format="json").status_code == 404
    assert anonymous.get(f"{PROGRAMS}{program_id}/").status_code == 401

    # 2. Publish: draft → active. Still private: nobody else may read or follow it.
    published = api.post(f"{PROGRAMS}{program_id}/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "active" and published.json()["published_at"] is not None
    assert Program.objects.get(pk=program_id).status == "active"
    assert stranger_api.get(f"{PROGRAMS}{program_id}/").status_code == 404
    assert stranger_api.post(ENROLLMENTS, {"program": program_id}, format="json").status_code == 404
    assert not Enrollment.objects.filter(user=stranger).exists()
    shared = api.patch(f"{PROGRAMS}{program_id}/", {"visibility": "public"}, format="json")
    assert shared.status_code == 200 and shared.json()["visibility"] == "public"
    # The program API speaks SI to everybody: an imperial reader gets the same kilograms.
    imperial_read = imperial_api.get(f"{PROGRAMS}{program_id}/").json()
    assert imperial_read["units"]["weight"] == "kg" and imperial_read["weeks"] == program["weeks"]

    # 3. Enrol (start date: the person's today) and read the current program and today's workout.
    enrolled = api.post(ENROLLMENTS, {"program": program_id}, format="json")
    assert enrolled.status_code == 201, enrolled.json()
    enrollment = enrolled.json()
    enrollment_id = enrollment["id"]
    assert enrollment["program"] == program_id and enrollment["status"] == "active"
    assert enrollment["start_date"] == owner.local_today().isoformat()
    assert (enrollment["current_week"], enrollment["current_day"]) == (1, 1)
    assert (enrollment["sessions_done"], enrollment["sessions_planned"]) == (0, WEEKS * DAYS)
    assert api.get(f"{ENROLLMENTS}current/").json()["id"] == enrollment_id

    workout = api.get(f"{ENROLLMENTS}current/workout/")
    assert workout.status_code == 200, workout.json()
    workout = workout.json()
    assert (workout["week"], workout["day"], workout["name"]) == (1, 1, "Push and pull")
    assert workout["in_progress_session"] is None
    bench, pull_ups, push_ups = workout["exercises"]
    bench_kg = _loadable_kg(BENCH_E1RM, _bench_percent(1))
    assert bench["from_e1rm"] is True and Decimal(bench["e1rm_kg"]) == BENCH_E1RM
    assert Decimal(bench["weight_kg"]) == bench_kg and Decimal(bench["weight"]) == bench_kg
    assert bench["weight_unit"] == "kg" and (bench["sets"], bench["reps"], bench["rest_seconds"]) == (3, 8, 180)
    assert pull_ups["from_e1rm"] is False and Decimal(pull_ups["weight_kg"]) == 10
    assert pull_ups["superset_group"] == push_ups["superset_group"] == 1 and bench["superset_group"] is None
    assert push_ups["weight_kg"] is None

    # The imperial person follows the same public program: the same % of the same e1RM, loadable in lb.
    imperial_enrolled = imperial_api.post(ENROLLMENTS, {"program": program_id}, format="json")
    assert imperial_enrolled.status_code == 201, imperial_enrolled.json()
    imperial_bench = imperial_api.get(f"{ENROLLMENTS}current/workout/").json()["exercises"][0]
    bench_lb = _loadable_lb(BENCH_E1RM, _bench_percent(1))
    assert imperial_bench["weight_unit"] == "lb" and Decimal(imperial_bench["weight"]) == bench_lb
    assert Decimal(imperial_bench["weight_kg"]) == (bench_lb * KG_PER_LB).quantize(Decimal("0.01"))
    assert bench_lb * KG_PER_LB != bench_kg  # the two people really get different loads
    imperial_start = imperial_api.post(f"{ENROLLMENTS}{imperial_enrolled.json()['id']}/start/")
    assert imperial_start.status_code == 201
    imperial_sets = imperial_start.json()["exercises"][0]["sets"]
    assert {Decimal(s["weight_kg"]) for s in imperial_sets} == {Decimal(imperial_bench["weight_kg"])}

    # Start today's workout: a session pre-filled with the targets; a second start is the same session.
    started = api.post(f"{ENROLLMENTS}{enrollment_id}/start/")
    assert started.status_code == 201, started.json()
    session = started.json()
    session_id = session["id"]
    assert session["status"] == "in_progress" and session["name"] == "Push and pull"
    assert session["activity_type"] == payload["weeks"][0]["days"][0]["activity_type"]
    planned = payload["weeks"][0]["days"][0]["exercises"]
    assert [e["exercise"] for e in session["exercises"]] == [e["exercise"] for e in planned]
    assert [e["superset_group"] for e in session["exercises"]] == [e.get("superset_group") for e in planned]
    for target, done in zip(workout["exercises"], session["exercises"], strict=True):
        assert len(done["sets"]) == target["sets"]
        for s in done["sets"]:
            assert s["reps"] == target["reps"] and s["is_completed"] is False
            assert s["rest_seconds"] == target["rest_seconds"]
            assert (s["weight_kg"] is None) == (target["weight_kg"] is None)
            if target["weight_kg"] is not None:
                assert Decimal(s["weight_kg"]) == Decimal(target["weight_kg"])
    assert "Target RPE 8" in session["exercises"][0]["notes"] and "6–8 reps" in session["exercises"][0]["notes"]
    again = api.post(f"{ENROLLMENTS}{enrollment_id}/start/")
    assert again.status_code == 200 and again.json()["id"] == session_id
    assert Session.objects.filter(user=owner, enrollment_id=enrollment_id).count() == 1
    assert api.get(f"{ENROLLMENTS}current/workout/").json()["in_progress_session"] == session_id

    # Log the sets: tick the planned ones (the last bench set one rep short), add one more push-up set.
    logged: list[tuple[Decimal | None, int]] = []
    for exercise in session["exercises"]:
        for n, s in enumerate(exercise["sets"], start=1):
            change: dict[str, Any] = {"is_completed": True}
            if exercise["exercise"] == planned[0]["exercise"]:
                change["rpe"] = 8 if n < len(exercise["sets"]) else 9
                if n == len(exercise["sets"]):
                    change["reps"] = s["reps"] - 1
            answer = api.patch(f"{API}/sets/{s['id']}/", change, format="json")
            assert answer.status_code == 200, answer.json()
            assert answer.json()["is_completed"] is True and answer.json()["reps"] == change.get("reps", s["reps"])
            logged.append((Decimal(s["weight_kg"]) if s["weight_kg"] else None, answer.json()["reps"]))
    extra = api.post(f"{API}/session-exercises/{session['exercises'][2]['id']}/sets/", {"reps": 12}, format="json")
    assert extra.status_code == 201 and extra.json()["number"] == len(session["exercises"][2]["sets"]) + 1
    finished = api.post(f"{SESSIONS}{session_id}/finish/")
    assert finished.status_code == 200, finished.json()
    assert finished.json()["status"] == "finished"
    volume = sum((weight * reps for weight, reps in logged if weight is not None), Decimal(0))
    assert Decimal(finished.json()["total_volume_kg"]) == volume
    # The planned bench sets were under the e1RM: it stays the one set up.
    assert PersonalRecord.objects.get(
        user=owner, exercise=_exercise("bench-press"), record_type=RecordType.ONE_RM
    ).value == (BENCH_E1RM)

    # The program moved on: day 1 done, day 2 next with its own targets; adherence 1 of 12.
    current = api.get(f"{ENROLLMENTS}current/").json()
    assert (current["current_week"], current["current_day"]) == (1, 2)
    assert (current["sessions_done"], current["sessions_skipped"], current["sessions_planned"]) == (1, 0, 12)
    assert Decimal(current["progress_pct"]) == (Decimal(100) / (WEEKS * DAYS)).quantize(Decimal("0.01"))
    assert EnrollmentDay.objects.get(enrollment_id=enrollment_id).session_id == Session.objects.get(pk=session_id).pk
    next_workout = api.get(f"{ENROLLMENTS}current/workout/").json()
    assert (next_workout["week"], next_workout["day"], next_workout["name"]) == (1, 2, "Legs")
    assert next_workout["in_progress_session"] is None
    squat, deadlift = next_workout["exercises"]
    assert Decimal(squat["weight_kg"]) == _loadable_kg(SQUAT_E1RM, _squat_percent(1)) and squat["from_e1rm"]
    assert Decimal(deadlift["weight_kg"]) == 100 and deadlift["from_e1rm"] is False
    assert imperial_api.get(f"{ENROLLMENTS}current/").json()["sessions_done"] == 0  # one person's day only

    # Skip the legs day: the run is next, with its duration, distance and metric targets, pre-filled too.
    skipped = api.post(f"{ENROLLMENTS}{enrollment_id}/skip/")
    assert skipped.status_code == 200, skipped.json()
    assert (skipped.json()["current_day"], skipped.json()["sessions_skipped"]) == (3, 1)
    run_day = payload["weeks"][0]["days"][2]
    run = api.get(f"{ENROLLMENTS}current/workout/").json()
    assert (run["week"], run["day"], run["activity_type"]) == (1, 3, run_day["activity_type"])
    assert run["target_duration_seconds"] == run_day["target_duration_seconds"]
    assert Decimal(run["target_distance_m"]) == Decimal(run_day["target_distance_m"])
    assert run["target_intensity"] == run_day["target_intensity"] and run["target_metrics"] == {"distance": "5000"}
    assert run["exercises"][0]["weight_kg"] is None
    run_session = api.post(f"{ENROLLMENTS}{enrollment_id}/start/")
    assert run_session.status_code == 201, run_session.json()
    notes = run_session.json()["notes"]
    assert notes.startswith("Target: ") and run_day["target_intensity"] in notes
    (run_set,) = run_session.json()["exercises"][0]["sets"]
    assert run_set["duration_seconds"] == run_day["exercises"][0]["target_duration_seconds"]
    assert Decimal(run_set["distance_m"]) == Decimal(run_day["exercises"][0]["target_distance_m"])

    # 4. Goals: bench press e1RM 100 kg in about six months, and lose 5 kg from a weight logged two weeks ago.
    today = owner.local_today()
    weighed = api.post(
        BODY_METRICS,
        {
            "metric_type": "weight",
            "value": "84",
            "unit": "kg",
            "measured_at": _iso(timezone.now() - dt.timedelta(days=14)),
        },
        format="json",
    )
    assert weighed.status_code == 201, weighed.json()
    target_date = today + dt.timedelta(days=182)
    lift = api.post(
        GOALS,
        {
            "metric": "exercise_e1rm",
            "exercise": str(_exercise("bench-press").pk),
            "target_value": "100",
            "target_date": target_date.isoformat(),
        },
        format="json",
    )
    assert lift.status_code == 201, lift.json()
    lift = lift.json()
    assert Decimal(lift["start_value"]) == BENCH_E1RM and Decimal(lift["target_value"]) == 100
    assert lift["direction"] == "up" and lift["unit"] == "kg" and lift["target_date"] == target_date.isoformat()
    lift_steps = [BENCH_E1RM + (100 - BENCH_E1RM) * p / 100 for p in (25, 50, 75, 100)]
    assert [Decimal(m["value"]) for m in lift["milestones"]] == lift_steps
    weight = api.post(GOALS, {"metric": "body_weight", "change": "-5"}, format="json")
    assert weight.status_code == 201, weight.json()
    weight = weight.json()
    assert Decimal(weight["start_value"]) == 84 and Decimal(weight["target_value"]) == 79
    assert weight["direction"] == "down" and "79" in weight["target_display"]
    # Body-weight milestones are whole kilograms.
    weight_steps = sorted(
        {(Decimal(84) - Decimal(5) * p / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP) for p in (25, 50, 75, 100)},
        reverse=True,
    )
    assert [Decimal(m["value"]) for m in weight["milestones"]] == weight_steps
    assert all(m["achieved_at"] is None for m in lift["milestones"] + weight["milestones"])

    # A heavier bench set and a lower weight. Their commits queue the goals' evaluation (the days-changed
    # hook, debounced per person); Celery runs tasks eagerly in tests, so running the commit callbacks
    # here is the worker's run: it sees both logs.
    heavy_kg, heavy_reps = Decimal("82.5"), 6
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        heavy = api.post(
            SESSIONS,
            {
                "activity_type": payload["weeks"][0]["days"][0]["activity_type"],
                "name": "Heavy bench",
                "started_at": _iso(now - dt.timedelta(minutes=50)),
                "ended_at": _iso(now - dt.timedelta(minutes=5)),
                "exercises": [
                    {
                        "exercise": str(_exercise("bench-press").pk),
                        "sets": [{"reps": heavy_reps, "weight_kg": str(heavy_kg), "rpe": 9}],
                    }
                ],
                "finished": True,
            },
            format="json",
        )
        lighter = api.post(BODY_METRICS, {"metric_type": "weight", "value": "81.6", "unit": "kg"}, format="json")
    assert heavy.status_code == 201, heavy.json()
    assert lighter.status_code == 201, lighter.json()
    new_e1rm = _epley(heavy_kg, heavy_reps)
    assert BENCH_E1RM < new_e1rm < 100

    lift_progress = api.get(f"{GOALS}{lift['id']}/progress/")
    assert lift_progress.status_code == 200, lift_progress.json()
    lift_progress = lift_progress.json()
    assert Decimal(lift_progress["current"]) == new_e1rm and lift_progress["reached"] is False
    lift_share = (new_e1rm - BENCH_E1RM) / (100 - BENCH_E1RM) * 100
    assert lift_progress["percent"] == int(lift_share.to_integral_value(rounding=ROUND_HALF_UP))
    lift_milestones = api.get(f"{GOALS}{lift['id']}/milestones/").json()
    assert [Decimal(m["value"]) for m in lift_milestones if m["achieved_at"]] == [
        step for step in lift_steps if step <= new_e1rm
    ]
    assert lift_milestones[-1]["achieved_at"] is None  # 100 kg is still to come

    weight_progress = api.get(f"{GOALS}{weight['id']}/progress/").json()
    assert Decimal(weight_progress["current"]) == Decimal("81.6") and weight_progress["reached"] is False
    assert weight_progress["percent"] == int(((84 - Decimal("81.6")) / 5 * 100).to_integral_value(ROUND_HALF_UP))
    # Two weekly averages (84, then 81.6) make a rate: at it, the target is reached before its date.
    assert weight_progress["rate_per_week"] is not None and Decimal(weight_progress["rate_per_week"]) < 0
    assert weight_progress["projection"] is not None
    assert today < dt.date.fromisoformat(weight_progress["projection"]) < target_date
    weight_milestones = api.get(f"{GOALS}{weight['id']}/milestones/").json()
    assert [Decimal(m["value"]) for m in weight_milestones if m["achieved_at"]] == [
        step for step in weight_steps if step >= Decimal("81.6")
    ]

    # The evaluation stored what it measured, and told the person once per milestone reached.
    for goal_id, current_value in ((lift["id"], new_e1rm), (weight["id"], Decimal("81.6"))):
        stored = Goal.objects.get(pk=goal_id)
        assert stored.status == GoalStatus.ACTIVE and stored.current_value == current_value
        assert stored.evaluated_at is not None
    reached = GoalMilestone.objects.filter(goal__user=owner, achieved_at__isnull=False)
    inbox = api.get(NOTIFICATIONS).json()["results"]
    told = [n for n in inbox if n["type"] == "achievement" and (n["data"] or {}).get("goal")]
    assert sorted(n["data"]["milestone"] for n in told) == sorted(str(m.pk) for m in reached)
    assert len(told) >= 2

    # 5. Access: another member gets a 404 for each of these, anonymous callers a 401.
    mine = [
        ("get", f"{ENROLLMENTS}{enrollment_id}/"),
        ("post", f"{ENROLLMENTS}{enrollment_id}/start/"),
        ("post", f"{ENROLLMENTS}{enrollment_id}/pause/"),
        ("post", f"{ENROLLMENTS}{enrollment_id}/leave/"),
        ("get", f"{SESSIONS}{session_id}/"),
        ("get", f"{GOALS}{lift['id']}/"),
        ("patch", f"{GOALS}{lift['id']}/"),
        ("get", f"{GOALS}{lift['id']}/progress/"),
        ("get", f"{GOALS}{lift['id']}/milestones/"),
        ("get", f"{GOALS}{weight['id']}/progress/"),
        ("post", f"{GOALS}{weight['id']}/abandon/"),
        ("delete", f"{GOALS}{weight['id']}/"),
        ("patch", f"{PROGRAMS}{program_id}/"),
        ("post", f"{PROGRAMS}{program_id}/archive/"),
    ]
    for method, url in mine:
        body = {"title": "Mine now"} if method == "patch" and url.startswith(GOALS) else {}
        for client, status in ((stranger_api, 404), (anonymous, 401)):
            response = getattr(client, method)(url, body, format="json")
            assert response.status_code == status, (method, url, response.status_code)
            _assert_error_shape(response, status)
    for url in (f"{ENROLLMENTS}current/", f"{ENROLLMENTS}current/workout/"):
        assert stranger_api.get(url).status_code == 404  # the stranger follows nothing
        assert anonymous.get(url).status_code == 401
    assert stranger_api.get(ENROLLMENTS).json()["count"] == 0
    assert stranger_api.get(GOALS).json()["results"] == []
    # Nothing the others tried changed anything.
    assert Enrollment.objects.get(pk=enrollment_id).status == "active"
    assert Goal.objects.filter(user=owner, status=GoalStatus.ACTIVE).count() == 2
    assert Goal.objects.get(pk=lift["id"]).title == lift["title"]
    assert Program.objects.get(pk=program_id).status == "active"
    assert Session.objects.filter(user=owner, enrollment_id=enrollment_id).count() == 2  # lifting day, run


def test_publishing_a_program_with_an_empty_week_is_a_400_and_changes_nothing(member):
    api = _token_client(member)
    payload = _program_payload()
    payload["weeks"][2]["days"] = []  # week 3 has none of its three sessions
    created = api.post(PROGRAMS, payload, format="json")
    assert created.status_code == 201, created.json()
    program_id = created.json()["id"]
    before = api.get(f"{PROGRAMS}{program_id}/").json()
    assert [w["week"] for w in before["weeks"]] == [1, 2, 4]

    refused = api.post(f"{PROGRAMS}{program_id}/publish/")
    assert refused.status_code == 400
    error = _assert_error_shape(refused, 400)
    assert error["code"] == "invalid"
    # A refusal of the whole program, not of one field: the project's errors put it under non_field_errors.
    assert error["fields"] == {"non_field_errors": [f"Week 3 has 0 of {DAYS} sessions."]}, error

    after = api.get(f"{PROGRAMS}{program_id}/").json()
    assert after == before and after["status"] == "draft" and after["published_at"] is None
    stored = Program.objects.get(pk=program_id)
    assert stored.status == "draft" and stored.published_at is None
    assert ProgramSession.objects.filter(program_id=program_id).count() == (WEEKS - 1) * DAYS
    # A draft cannot be followed, not even by its author.
    assert api.post(ENROLLMENTS, {"program": program_id}, format="json").status_code == 404


# ---------------------------------------------------------------------------------------------------
# The schema (as training/tests/api/test_sessions_schema.py does for the sessions API)

OPERATIONS = {
    (f"{API}/programs/", "get"): "200",
    (f"{API}/programs/", "post"): "201",
    (f"{API}/programs/{{program_id}}/", "get"): "200",
    (f"{API}/programs/{{program_id}}/", "put"): "200",
    (f"{API}/programs/{{program_id}}/", "patch"): "200",
    (f"{API}/programs/{{program_id}}/publish/", "post"): "200",
    (f"{API}/programs/{{program_id}}/archive/", "post"): "200",
    (f"{API}/programs/{{program_id}}/copy/", "post"): "201",
    (f"{API}/enrollments/", "get"): "200",
    (f"{API}/enrollments/", "post"): "201",
    (f"{API}/enrollments/current/", "get"): "200",
    (f"{API}/enrollments/current/workout/", "get"): "200",
    (f"{API}/enrollments/{{enrollment_id}}/", "get"): "200",
    (f"{API}/enrollments/{{enrollment_id}}/start/", "post"): "201",
    (f"{API}/enrollments/{{enrollment_id}}/pause/", "post"): "200",
    (f"{API}/enrollments/{{enrollment_id}}/resume/", "post"): "200",
    (f"{API}/enrollments/{{enrollment_id}}/skip/", "post"): "200",
    (f"{API}/enrollments/{{enrollment_id}}/restart-week/", "post"): "200",
    (f"{API}/enrollments/{{enrollment_id}}/leave/", "post"): "200",
    (f"{API}/goals/", "get"): "200",
    (f"{API}/goals/", "post"): "201",
    (f"{API}/goals/{{goal_id}}/", "get"): "200",
    (f"{API}/goals/{{goal_id}}/", "patch"): "200",
    (f"{API}/goals/{{goal_id}}/progress/", "get"): "200",
    (f"{API}/goals/{{goal_id}}/milestones/", "get"): "200",
    (f"{API}/goals/{{goal_id}}/abandon/", "post"): "200",
}


def test_the_schema_documents_the_journeys_operations_and_their_errors(client):
    paths = client.get(f"{API}/schema/?format=json").json()["paths"]
    for (path, method), ok in OPERATIONS.items():
        assert method in paths.get(path, {}), (path, method)
        responses = paths[path][method]["responses"]
        schema = responses[ok]["content"]["application/json"]["schema"]
        assert "$ref" in schema or "$ref" in schema.get("items", {}), (path, method)
        errors = {"401", "403"}
        if "{" in path or path.endswith("/current/") or path.endswith("/workout/"):
            errors.add("404")
        if method in ("post", "put", "patch") and not path.endswith("/copy/"):
            errors.add("400")
        assert errors <= set(responses), (path, method, sorted(responses))
        for code in errors:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorResponse"), (path, method, code)
