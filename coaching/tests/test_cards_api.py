"""The session-card and assignment API (issue 13): the trainer writes a card with the client's workout in
one request, the client reads and rates it; anybody else gets a 404, anonymous a 401; bad input is a 400
with field errors and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Booking, SessionCard, Trainer
from training.models import ActivityType, Enrollment, Exercise, Session
from training.tests.enrollment_helpers import published_program

from .factories import BookingFactory, ClientFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _past_booking(link):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    return BookingFactory(client=link, starts_at=start, ends_at=start + dt.timedelta(hours=1))


def _body(link, booking=None, **extra):
    lifts = list(Exercise.objects.filter(owner__isnull=True).order_by("name").values_list("pk", flat=True)[:3])
    body = {
        "client": str(link.pk),
        "title": "Full body",
        "duration_minutes": 60,
        "feedback": "Solid.",
        "next_session_goals": ["Deeper squat"],
        "effort_rating": 4,
        "workout": {
            "activity_type": str(ActivityType.objects.get(slug="weight-training").pk),
            "exercises": [
                {"exercise": str(pk), "sets": [{"reps": 10, "weight_kg": "30"}, {"reps": 8, "weight_kg": "35"}]}
                for pk in lifts
            ],
        },
    }
    if booking is not None:
        body["booking"] = str(booking.pk)
    body.update(extra)
    return body


def test_the_trainer_writes_a_card_with_the_workout_and_the_client_reads_and_rates_it(
    django_capture_on_commit_callbacks,
):
    link = ClientFactory(grant_write=True)
    booking = _past_booking(link)
    response = _api(link.trainer.user).post("/api/v1/cards/", _body(link, booking), format="json")
    assert response.status_code == 201, response.json()
    card = response.json()
    assert (card["total_exercises"], card["total_sets"], card["member"]) == (3, 6, str(link.member_id))
    session = Session.objects.get(pk=card["session"])
    assert session.user_id == link.member_id and session.recorded_by_id == link.trainer.user_id
    assert Booking.objects.get(pk=booking.pk).status == "completed"

    member = _api(link.member)
    assert [row["id"] for row in member.get("/api/v1/cards/").json()["results"]] == [card["id"]]
    assert member.get("/api/v1/cards/?role=trainer").json()["count"] == 0
    assert _api(link.trainer.user).get("/api/v1/cards/?role=trainer").json()["count"] == 1
    assert member.get(f"/api/v1/cards/{card['id']}/").json()["feedback"] == "Solid."
    with django_capture_on_commit_callbacks(execute=True):
        rated = member.post(f"/api/v1/cards/{card['id']}/rate/", {"rating": 5, "comment": "Thanks"}, format="json")
    assert rated.status_code == 200 and rated.json()["client_rating"] == 5
    assert Trainer.objects.get(pk=link.trainer_id).rating_count == 1


def test_others_get_404_anonymous_401_and_nothing_changes():
    link = ClientFactory(grant_write=True)
    card = _api(link.trainer.user).post("/api/v1/cards/", _body(link), format="json").json()
    stranger, other_trainer = ClientFactory().member, TrainerFactory().user
    for user in (stranger, other_trainer):
        assert _api(user).get(f"/api/v1/cards/{card['id']}/").status_code == 404
        assert _api(user).post(f"/api/v1/cards/{card['id']}/rate/", {"rating": 1}, format="json").status_code == 404
    # The trainer is not the client: they cannot rate themselves.
    assert (
        _api(link.trainer.user).post(f"/api/v1/cards/{card['id']}/rate/", {"rating": 5}, format="json").status_code
        == 404
    )
    response = _api(other_trainer).post("/api/v1/cards/", _body(link), format="json")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404
    anonymous = _api()
    assert anonymous.get("/api/v1/cards/").status_code == 401
    assert anonymous.post("/api/v1/cards/", _body(link), format="json").status_code == 401
    assert SessionCard.objects.get(pk=card["id"]).client_rating is None
    assert SessionCard.objects.count() == 1


def test_bad_input_is_a_400_with_field_errors_and_saves_nothing():
    link = ClientFactory(grant_write=True)
    trainer = _api(link.trainer.user)
    bad = _body(link)
    bad["workout"]["exercises"][1]["exercise"] = "00000000-0000-0000-0000-000000000000"
    response = trainer.post("/api/v1/cards/", bad, format="json")
    assert response.status_code == 400
    assert "workout.exercises[1].exercise" in response.json()["error"]["fields"]
    response = trainer.post("/api/v1/cards/", _body(link, duration_minutes=0, effort_rating=9), format="json")
    assert set(response.json()["error"]["fields"]) >= {"duration_minutes", "effort_rating"}
    no_grant = ClientFactory(trainer=link.trainer, grant_write=False)
    response = trainer.post("/api/v1/cards/", _body(no_grant), format="json")
    assert response.status_code == 400 and "workout" in response.json()["error"]["fields"]
    assert not SessionCard.objects.exists() and not Session.objects.filter(recorded_by=link.trainer.user).exists()


def test_assignments():
    link = ClientFactory()
    program = published_program(weeks=1, days=1, author=link.trainer.user, visibility="private")
    trainer = _api(link.trainer.user)
    response = trainer.post("/api/v1/assignments/", {"client": str(link.pk), "program": str(program.pk)}, format="json")
    assert response.status_code == 201 and response.json()["assigned_by"] == str(link.trainer.user_id)
    assert Enrollment.objects.get(user=link.member).program_id == program.pk
    assert [row["program"] for row in trainer.get("/api/v1/assignments/").json()["results"]] == [str(program.pk)]
    other = _api(TrainerFactory().user)
    assert (
        other.post(
            "/api/v1/assignments/", {"client": str(link.pk), "program": str(program.pk)}, format="json"
        ).status_code
        == 404
    )
    assert other.get("/api/v1/assignments/").json()["count"] == 0
    draft = published_program(weeks=1, days=1, author=link.trainer.user, status="draft")
    assert (
        trainer.post(
            "/api/v1/assignments/", {"client": str(link.pk), "program": str(draft.pk)}, format="json"
        ).status_code
        == 404
    )


def test_the_schema_documents_the_operations_and_their_errors():
    schema = _api(ClientFactory().member).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    for path, method, codes in (
        ("/api/v1/cards/", "get", {"200", "400", "401"}),
        ("/api/v1/cards/", "post", {"201", "400", "401", "404"}),
        ("/api/v1/cards/{card_id}/", "get", {"200", "401", "404"}),
        ("/api/v1/cards/{card_id}/rate/", "post", {"200", "400", "401", "404"}),
        ("/api/v1/assignments/", "post", {"201", "400", "401", "404"}),
    ):
        assert codes <= set(paths[path][method]["responses"]), (path, method)
