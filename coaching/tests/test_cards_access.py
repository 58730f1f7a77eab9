"""Session cards and program assignments for every persona of the gym (issue 13, "Done when"): member,
client, own trainer, other trainer, gym staff of the location and of another one, superuser, anonymous —
on the client's pages and in the API. A refused write changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coaching.models import SessionCard
from fitjourney.hooks import roles
from training.models import Enrollment
from training.tests.enrollment_helpers import published_program

from .bookings_kit import check_access, make_gym, make_people
from .factories import SessionCardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    roles.groups_sync()
    found = make_people(make_gym())
    for user in (found.staff, found.staff_elsewhere):
        roles.assign(user=user, role=roles.GYM_STAFF)
    return found


@pytest.fixture
def card(people):
    gym = people.gym
    return SessionCardFactory(client=gym.client, trainer=gym.trainer)


def _api_check(people, request, expected):
    """check_access for the API: each persona authenticated on its own APIClient."""
    failures = []
    for name, user in people.as_dict().items():
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        status = request(api).status_code
        if status != expected[name]:
            failures.append(f"{name}: expected {expected[name]}, got {status}")
    assert not failures, "access matrix broken:\n  " + "\n  ".join(failures)


EVERYONE_SIGNED_IN = {
    "anonymous": 302,
    "other_member": 200,
    "client": 200,
    "own_trainer": 200,
    "other_trainer": 200,
    "staff": 200,
    "staff_elsewhere": 200,
    "superuser": 200,
}
# The card's page is the client's: the trainer reads it in the admin, nobody else at all.
CLIENT_ONLY_PAGE = {**dict.fromkeys(EVERYONE_SIGNED_IN, 404), "anonymous": 302, "client": 200}


def test_the_cards_pages_for_every_persona(client, people, card):
    check_access(client, people, lambda c: c.get(reverse("coaching:cards")), EVERYONE_SIGNED_IN)
    check_access(client, people, lambda c: c.get(reverse("coaching:card", args=[card.pk])), CLIENT_ONLY_PAGE)
    rate = {**CLIENT_ONLY_PAGE, "client": 302}
    check_access(client, people, lambda c: c.post(reverse("coaching:card", args=[card.pk]), {"rating": 2}), rate)
    card.refresh_from_db()
    assert card.client_rating == 2  # the client's post, and only theirs, counted


def test_the_cards_api_for_every_persona(people, card):
    signed_in = {**dict.fromkeys(EVERYONE_SIGNED_IN, 200), "anonymous": 401}
    _api_check(people, lambda api: api.get("/api/v1/cards/"), signed_in)
    both_sides = {**dict.fromkeys(EVERYONE_SIGNED_IN, 404), "anonymous": 401, "client": 200, "own_trainer": 200}
    _api_check(people, lambda api: api.get(f"/api/v1/cards/{card.pk}/"), both_sides)
    client_only = {**dict.fromkeys(EVERYONE_SIGNED_IN, 404), "anonymous": 401, "client": 200}
    _api_check(
        people, lambda api: api.post(f"/api/v1/cards/{card.pk}/rate/", {"rating": 3}, format="json"), client_only
    )
    card.refresh_from_db()
    assert card.client_rating == 3
    # Only the trainer writes a card for their client: everybody else's attempt is a 404 (401 anonymous),
    # and no card is added.
    body = {"client": str(people.gym.client.pk), "title": "Extra", "duration_minutes": 30}
    writer = {**dict.fromkeys(EVERYONE_SIGNED_IN, 404), "anonymous": 401, "own_trainer": 201}
    _api_check(people, lambda api: api.post("/api/v1/cards/", body, format="json"), writer)
    assert SessionCard.objects.filter(client=people.gym.client).count() == 2


def test_assignments_for_every_persona(people):
    program = published_program()
    signed_in = {**dict.fromkeys(EVERYONE_SIGNED_IN, 200), "anonymous": 401}
    _api_check(people, lambda api: api.get("/api/v1/assignments/"), signed_in)
    body = {"client": str(people.gym.client.pk), "program": str(program.pk)}
    trainer_only = {**dict.fromkeys(EVERYONE_SIGNED_IN, 404), "anonymous": 401, "own_trainer": 201}
    _api_check(people, lambda api: api.post("/api/v1/assignments/", body, format="json"), trainer_only)
    assert Enrollment.objects.filter(user=people.gym.member).count() == 1
    assert Enrollment.objects.get(user=people.gym.member).assigned_by == people.gym.trainer.user
