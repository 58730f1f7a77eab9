"""One person writing from several devices at once: whole sessions posted in parallel all succeed, and the
summaries computed afterwards are right (issue 10, item 15: four parallel POSTs deadlocked on the summary
markers and one got a 500)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, PendingSummary
from coaching.services.summaries import summaries_refresh_pending
from training.models import ActivityType, Exercise, Session

PARALLEL = 8


def _payload(n: int, day: dt.date, exercises: list[Exercise], activity: ActivityType) -> dict:
    start = dt.datetime.combine(day, dt.time(6 + n), tzinfo=dt.UTC)
    return {
        "activity_type": str(activity.pk),
        "name": f"Session {n}",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=45)).isoformat(),
        # Different exercises in a different order per request: records and streaks of the same person
        # are written by every request.
        "exercises": [
            {
                "exercise": str(exercise.pk),
                "order": order,
                "sets": [{"reps": 5 + n, "weight_kg": str(40 + 5 * n + order)} for _ in range(3)],
            }
            for order, exercise in enumerate(exercises[n % 3 :] + exercises[: n % 3], start=1)
        ],
        "finished": True,
    }


@pytest.mark.django_db(transaction=True)
def test_parallel_whole_session_posts_of_one_person_all_succeed(reference_data):
    user = UserFactory(timezone="UTC")
    day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    body_metric_record(
        user=user,
        metric_type="weight",
        value=Decimal("80"),
        measured_at=dt.datetime.combine(day, dt.time(5), tzinfo=dt.UTC),
    )
    token = account_services.api_token_create(user=user, name="parallel").raw
    activity = ActivityType.objects.get(slug="weight-training")
    exercises = list(Exercise.objects.filter(owner__isnull=True).order_by("name")[:3])
    barrier = threading.Barrier(PARALLEL)
    statuses: dict[int, int] = {}
    errors: list[BaseException] = []

    def post(n: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            barrier.wait()
            response = client.post("/api/v1/sessions/", _payload(n, day, exercises, activity), format="json")
            statuses[n] = response.status_code
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == dict.fromkeys(range(PARALLEL), 201)
    assert Session.objects.filter(user=user, status="finished").count() == PARALLEL
    assert PendingSummary.objects.filter(user=user, date=day).exists()

    summaries_refresh_pending(user_id=user.pk)
    summary = DailySummary.objects.get(user=user, date=day)
    sessions = Session.objects.filter(user=user)
    assert summary.workouts == PARALLEL
    assert summary.active_minutes == PARALLEL * 45
    assert summary.calories_burned == round(sum(s.calories_kcal for s in sessions))
    assert not PendingSummary.objects.filter(user=user).exists()
