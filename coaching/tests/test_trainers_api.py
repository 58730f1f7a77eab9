"""Trainers API: the directory, the member's links with invitations, answers and grants, and a trainer's
clients; access per persona (another trainer's client is a 404; members get 403 on the trainer side)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from coaching.models import Client, ClientStatus, InvitedBy
from fitjourney.testing.access import assert_access

from .factories import ClientFactory, LocationFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_directory_lists_trainers_taking_clients_and_filters(personas):
    gym = LocationFactory(name="Harbour")
    yoga = TrainerFactory(specialities=["Yoga"], languages=["French"], hourly_rate="40.00")
    yoga.locations.add(gym)
    TrainerFactory(specialities=["Strength"])
    TrainerFactory(accepting_clients=False)
    api = _api(personas.owner)
    body = api.get("/api/v1/trainers/").json()
    assert body["count"] == 2
    assert api.get("/api/v1/trainers/", {"speciality": "yoga"}).json()["results"][0] == {
        "id": str(yoga.pk),
        "name": str(yoga),
        "bio": "Strength coach.",
        "specialities": ["Yoga"],
        "certifications": [],
        "years_experience": 5,
        "hourly_rate": "40.00",
        "currency": "EUR",
        "languages": ["French"],
        "locations": [{"id": str(gym.pk), "name": "Harbour"}],
        "accepting_clients": True,
        "rating_average": "0.00",
        "rating_count": 0,
    }
    assert api.get("/api/v1/trainers/", {"location": str(gym.pk)}).json()["count"] == 1
    assert api.get("/api/v1/trainers/", {"language": "german"}).json()["count"] == 0
    bad = api.get("/api/v1/trainers/", {"location": "nope"})
    assert bad.status_code == 400 and "location" in bad.json()["error"]["fields"]


def test_access_to_the_directory_and_a_trainer(client, personas):
    trainer = TrainerFactory()
    everyone = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get("/api/v1/trainers/"), everyone)
    assert_access(client, personas, lambda c: c.get(f"/api/v1/trainers/{trainer.pk}/"), everyone)
    assert _api(personas.owner).get(f"/api/v1/trainers/{personas.owner.pk}/").status_code == 404


def test_a_member_invites_a_trainer_and_the_trainer_accepts(personas):
    trainer = TrainerFactory()
    member = _api(personas.owner)
    response = member.post(
        "/api/v1/trainer-links/",
        {"trainer": str(trainer.pk), "grants": {"training": True, "nutrition": True}, "message": "Hi"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "invited" and body["invited_by"] == "member" and body["trainer"]["id"] == str(trainer.pk)
    assert body["grants"] == {
        "training": True,
        "body": False,
        "nutrition": True,
        "habits": False,
        "checkins": False,
        "journal": False,
        "write": False,
    }
    link_id = body["id"]
    assert Notification.objects.filter(user=trainer.user).exists()
    # The member cannot answer their own invitation; the trainer can, and sees it in their clients.
    assert member.post(f"/api/v1/trainer-links/{link_id}/accept/", {}, format="json").status_code == 403
    coach = _api(trainer.user)
    assert coach.get("/api/v1/clients/", {"status": "invited"}).json()["count"] == 1
    accepted = coach.post(f"/api/v1/trainer-links/{link_id}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    assert accepted.json()["grants"]["nutrition"] is True
    again = coach.post(f"/api/v1/trainer-links/{link_id}/accept/", {}, format="json")
    assert again.status_code == 400 and again.json()["error"]["fields"]["status"]


def test_inviting_without_grants_ticks_training_and_body(personas):
    trainer = TrainerFactory()
    body = _api(personas.owner).post("/api/v1/trainer-links/", {"trainer": str(trainer.pk)}, format="json").json()
    assert body["grants"]["training"] and body["grants"]["body"] and not body["grants"]["journal"]


def test_invitation_refusals_are_400_with_field_errors(personas):
    api = _api(personas.owner)
    closed = TrainerFactory(accepting_clients=False)
    response = api.post("/api/v1/trainer-links/", {"trainer": str(closed.pk)}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]["trainer"]
    unknown = api.post("/api/v1/trainer-links/", {"trainer": str(personas.owner.pk)}, format="json")
    assert unknown.status_code == 400 and unknown.json()["error"]["fields"]["trainer"] == ["No such trainer."]
    typo = api.post("/api/v1/trainer-links/", {"trainer": str(closed.pk), "grant": {}}, format="json")
    assert typo.status_code == 400 and typo.json()["error"]["fields"]["grant"] == ["Unknown field."]
    open_trainer = TrainerFactory()
    assert api.post("/api/v1/trainer-links/", {"trainer": str(open_trainer.pk)}, format="json").status_code == 201
    twice = api.post("/api/v1/trainer-links/", {"trainer": str(open_trainer.pk)}, format="json")
    assert twice.status_code == 400 and "already linked" in twice.json()["error"]["fields"]["trainer"][0]
    assert Client.objects.filter(member=personas.owner).count() == 1


def test_a_trainer_invites_a_member_who_accepts_with_grants(personas):
    trainer = TrainerFactory()
    coach = _api(trainer.user)
    response = coach.post("/api/v1/clients/invite/", {"email": personas.owner.email}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["member"]["id"] == str(personas.owner.pk) and body["invited_by"] == InvitedBy.TRAINER
    assert not any(body["grants"].values())
    member = _api(personas.owner)
    assert member.get("/api/v1/trainer-links/").json()["results"][0]["id"] == body["id"]
    accepted = member.post(
        f"/api/v1/trainer-links/{body['id']}/accept/", {"grants": {"body": True}}, format="json"
    ).json()
    assert accepted["status"] == "active" and accepted["grants"]["body"] and not accepted["grants"]["training"]
    unknown = coach.post("/api/v1/clients/invite/", {"email": "nobody@example.com"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["error"]["fields"]["email"]


def test_only_trainers_invite_members(personas):
    response = _api(personas.other_member).post(
        "/api/v1/clients/invite/", {"email": personas.owner.email}, format="json"
    )
    assert response.status_code == 403 and response.json()["error"]["code"]
    assert not Client.objects.exists()


def test_the_member_changes_grants_with_put_and_patch(personas):
    link = ClientFactory(member=personas.owner, grant_training=True, grant_body=True)
    api = _api(personas.owner)
    url = f"/api/v1/trainer-links/{link.pk}/grants/"
    patched = api.patch(url, {"journal": True}, format="json")
    assert patched.status_code == 200
    assert patched.json()["grants"] == {
        "training": True,
        "body": True,
        "nutrition": False,
        "habits": False,
        "checkins": False,
        "journal": True,
        "write": False,
    }
    incomplete = api.put(url, {"journal": False}, format="json")
    assert incomplete.status_code == 400 and "training" in incomplete.json()["error"]["fields"]
    everything_off = dict.fromkeys(("training", "body", "nutrition", "habits", "checkins", "journal", "write"), False)
    assert not any(api.put(url, everything_off, format="json").json()["grants"].values())
    # The trainer may not change them: 403 (they see the link), another trainer: 404.
    assert _api(link.trainer.user).patch(url, {"journal": True}, format="json").status_code == 403
    assert _api(TrainerFactory().user).patch(url, {"journal": True}, format="json").status_code == 404
    assert not Client.objects.get(pk=link.pk).grant_journal


def test_either_side_pauses_resumes_and_ends(personas):
    link = ClientFactory(member=personas.owner)
    member, coach = _api(personas.owner), _api(link.trainer.user)
    assert coach.post(f"/api/v1/trainer-links/{link.pk}/pause/").json()["status"] == "paused"
    assert member.post(f"/api/v1/trainer-links/{link.pk}/resume/").json()["status"] == "active"
    ended = member.post(f"/api/v1/trainer-links/{link.pk}/end/").json()
    assert ended["status"] == "ended" and ended["ended_at"]
    assert member.post(f"/api/v1/trainer-links/{link.pk}/end/").status_code == 400
    assert member.get("/api/v1/trainer-links/").json()["count"] == 0
    assert member.get("/api/v1/trainer-links/", {"status": "all"}).json()["count"] == 1


def test_the_invited_member_declines(personas):
    link = ClientFactory(
        member=personas.owner, status=ClientStatus.INVITED, invited_by=InvitedBy.TRAINER, accepted_at=None
    )
    assert _api(personas.owner).post(f"/api/v1/trainer-links/{link.pk}/decline/").json()["status"] == "ended"


def test_access_to_a_link_and_its_operations(client, personas):
    link = ClientFactory(member=personas.owner)
    parties = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.get(f"/api/v1/trainer-links/{link.pk}/"), parties)
    assert_access(
        client,
        personas,
        lambda c: c.get("/api/v1/trainer-links/"),
        {**parties, "other_member": 200, "trainer": 200, "staff": 200},
    )
    outsiders = {"anonymous": 401, "other_member": 404, "trainer": 404, "staff": 404}
    for action in ("accept", "decline", "pause", "resume", "end"):
        statuses = {**outsiders, "owner": 400}  # the owner's link is active: accept/decline/resume don't apply
        if action in ("pause", "end"):
            statuses["owner"] = 200
        assert_access(
            client,
            personas,
            lambda c, action=action: c.post(
                f"/api/v1/trainer-links/{link.pk}/{action}/", content_type="application/json"
            ),
            statuses,
        )
        if action == "pause":
            Client.objects.filter(pk=link.pk).update(status=ClientStatus.ACTIVE)
    assert Client.objects.get(pk=link.pk).status == ClientStatus.ENDED


def test_the_trainer_side_lists_only_the_callers_clients(client, personas):
    own = TrainerFactory()
    mine = ClientFactory(member=personas.owner, trainer=own)
    theirs = ClientFactory(trainer=TrainerFactory())
    coach = _api(own.user)
    listed = coach.get("/api/v1/clients/").json()
    assert [row["id"] for row in listed["results"]] == [str(mine.pk)]
    assert listed["results"][0]["member"] == {"id": str(personas.owner.pk), "name": personas.owner.get_full_name()}
    assert coach.get(f"/api/v1/clients/{mine.pk}/").status_code == 200
    assert coach.get(f"/api/v1/clients/{theirs.pk}/").status_code == 404
    # Members (the client included) are told the trainer side is not for them; other trainers see nothing.
    assert_access(
        client,
        personas,
        lambda c: c.get(f"/api/v1/clients/{mine.pk}/"),
        {"anonymous": 401, "owner": 403, "other_member": 403, "trainer": 404, "staff": 403},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get("/api/v1/clients/"),
        {"anonymous": 401, "owner": 403, "other_member": 403, "trainer": 200, "staff": 403},
    )
    assert _api(personas.trainer).get("/api/v1/clients/").json()["count"] == 0


def test_the_superuser_is_not_a_trainer_and_sees_no_one_elses_links():
    superuser = UserFactory(is_staff=True, is_superuser=True)
    link = ClientFactory()
    api = _api(superuser)
    assert api.get(f"/api/v1/trainer-links/{link.pk}/").status_code == 404
    assert api.get("/api/v1/clients/").status_code == 403


def test_the_directory_costs_the_same_for_few_or_many(personas, django_assert_num_queries):
    api = _api(personas.owner)
    gym = LocationFactory()
    for _ in range(2):
        TrainerFactory().locations.add(gym)
    with django_assert_num_queries(3) as small:  # count, page, locations
        api.get("/api/v1/trainers/")
    for _ in range(10):
        TrainerFactory().locations.add(gym)
    with django_assert_num_queries(len(small.captured_queries)):
        assert api.get("/api/v1/trainers/").json()["count"] == 12


def test_a_client_who_erased_their_account_shows_as_a_former_member():
    link = ClientFactory(status=ClientStatus.ENDED, ended_at="2026-01-01T00:00Z")
    Client.objects.filter(pk=link.pk).update(member=None)
    body = _api(link.trainer.user).get(f"/api/v1/clients/{link.pk}/").json()
    assert body["member"] == {"id": None, "name": "Former member"} and body["status"] == "ended"
