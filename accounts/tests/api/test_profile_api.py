from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import AuditLog, ChangedBy, Profile, ProfileVersion
from accounts.selectors.profiles import profile_for_user
from accounts.services.profiles import profile_lock, profile_update
from accounts.tests.factories import UserFactory
from accounts.tests.profile_kit import Clock, image_upload, noise_png_upload
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries, assert_num_queries

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/profile/"
HISTORY = "/api/v1/profile/history/"
AS_OF = "/api/v1/profile/as-of/"

OWN = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}


def _state(user):
    return (
        Profile.objects.values().get(user=user),
        list(ProfileVersion.objects.filter(user=user).values().order_by("version")),
        AuditLog.objects.filter(subject_id=user.pk).count(),
    )


def _change(user, reason="", **changes):
    return profile_update(
        profile=profile_for_user(user=user), changes=changes, reason=reason, changed_by="user", changed_by_user=user
    )


def _fields(response) -> dict:
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    return error["fields"]


# Access


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get(PROFILE),
        lambda c: c.patch(PROFILE, {"bio": "Hi"}, format="json"),
        lambda c: c.get(HISTORY),
        lambda c: c.get(AS_OF, {"at": "2100-01-01T00:00:00Z"}),
    ],
    ids=["get", "patch", "history", "as-of"],
)
def test_every_operation_is_for_signed_in_people_on_their_own_profile(personas, call):
    assert_access(APIClient(), personas, call, OWN)


def test_each_person_reads_and_changes_only_their_own_profile(personas):
    _change(personas.owner, bio="Owner's bio", reason="owner reason")
    client = APIClient()
    client.force_authenticate(personas.other_member)
    assert client.get(PROFILE).json()["bio"] == ""
    client.patch(PROFILE, {"bio": "Mine"}, format="json")
    assert Profile.objects.get(user=personas.owner).bio == "Owner's bio"
    history = client.get(HISTORY).json()
    assert {row["snapshot"]["bio"] for row in history["results"]} == {"", "Mine"}
    assert "owner reason" not in str(history)
    assert client.get(AS_OF, {"at": "2100-01-01T00:00:00Z"}).json()["snapshot"]["bio"] == "Mine"


def test_there_is_no_way_to_name_another_persons_profile(personas):
    client = APIClient()
    client.force_authenticate(personas.other_member)
    response = client.get(HISTORY, {"user": str(personas.owner.pk)})
    assert all(row["snapshot"]["bio"] == "" for row in response.json()["results"])
    assert client.get(AS_OF, {"at": "2100-01-01T00:00:00Z", "user": str(personas.owner.pk)}).status_code == 400


# Read


def test_it_reads_the_profile_with_its_version_and_age(token_client, member):
    today = member.local_today()
    _change(member, birth_date=today.replace(year=today.year - 40), height_m=Decimal("1.82"), fitness_level="advanced")
    with assert_max_queries(3):
        response = token_client.get(PROFILE)
    body = response.json()
    assert body["height_m"] == "1.820" and body["age"] == 40 and body["fitness_level"] == "advanced"
    assert body["version"] == 2 and body["changed_by"] == "user" and body["is_locked"] is False
    assert body["avatar"] is None


# Change


def test_patch_changes_only_what_is_sent_and_makes_a_version(token_client, member):
    _change(member, location="Porto")
    response = token_client.patch(
        PROFILE,
        {"primary_goal": "fat_loss", "secondary_goal": "endurance", "height_m": "1.655", "reason": "New plan"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["primary_goal"], body["secondary_goal"], body["height_m"], body["location"]) == (
        "fat_loss",
        "endurance",
        "1.655",
        "Porto",
    )
    assert body["version"] == 3 and body["change_reason"] == "New plan"
    version = ProfileVersion.objects.get(user=member, version=3)
    assert version.changed_fields == ["height_m", "primary_goal", "secondary_goal"]
    assert version.changed_by == ChangedBy.USER and version.changed_by_user == member


def test_patch_with_nothing_new_makes_no_version(token_client, member):
    _change(member, bio="Same")
    before = _state(member)
    response = token_client.patch(PROFILE, {"bio": "Same"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert _state(member) == before


def test_a_locked_profile_needs_a_reason_and_nothing_is_written_without_one(token_client, member):
    profile_lock(profile=profile_for_user(user=member), changed_by_user=member)
    before = _state(member)
    response = token_client.patch(PROFILE, {"fitness_level": "advanced"}, format="json")
    assert response.status_code == 400
    assert "reason" in _fields(response)
    assert _state(member) == before

    response = token_client.patch(PROFILE, {"fitness_level": "advanced", "reason": "Coach review"}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"primary_goal": "fat_loss", "secondary_goal": "muscle_gain"}, "secondary_goal"),
        ({"primary_goal": "muscle_gain", "secondary_goal": "fat_loss"}, "secondary_goal"),
        ({"primary_goal": "general_fitness", "secondary_goal": "general_fitness"}, "secondary_goal"),
        ({"secondary_goal": "strength"}, "secondary_goal"),
        ({"primary_goal": "strength"}, "primary_goal"),
        ({"height_m": "3.5"}, "height_m"),
        ({"height_m": "0.3"}, "height_m"),
        ({"height_m": "1.7555"}, "height_m"),
        ({"height_m": "tall"}, "height_m"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "yesterday"}, "birth_date"),
        ({"gender": "robot"}, "gender"),
        ({"energy_level": "extreme"}, "energy_level"),
        ({"bio": "x" * 1001}, "bio"),
        ({"location": "a\x00b"}, "location"),
        ({"preferences": ["not", "an", "object"]}, "preferences"),
        ({"preferences": {"big": "x" * 5000}}, "preferences"),
        ({"avatar": "https://example.com/me.png"}, "avatar"),
        ({"reason": "x" * 1001}, "reason"),
        ({"version": 7}, "version"),
        ({"is_locked": False}, "is_locked"),
        ({"age": 30}, "age"),
        ({"user": "someone"}, "user"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_written(token_client, member, body, field):
    before = _state(member)
    response = token_client.patch(PROFILE, body, format="json")
    assert response.status_code == 400
    assert field in _fields(response), response.json()
    assert _state(member) == before


def test_form_encoded_bodies_are_refused(token_client):
    response = token_client.generic("PATCH", PROFILE, "bio=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


# Photo


def test_a_photo_is_uploaded_as_multipart_and_removed_with_null(token_client, member):
    response = token_client.patch(PROFILE, {"avatar": image_upload("WEBP"), "bio": "With photo"}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["avatar"].endswith(".webp")
    assert Profile.objects.get(user=member).avatar.name.startswith(f"avatars/{member.pk}/")

    response = token_client.patch(PROFILE, {"avatar": None}, format="json")
    assert response.status_code == 200 and response.json()["avatar"] is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [(noise_png_upload, "at most 2 MB"), (lambda: image_upload("GIF"), "JPEG, PNG or WebP")],
)
def test_a_bad_photo_is_a_400_on_avatar_and_nothing_written(token_client, member, upload, message):
    before = _state(member)
    response = token_client.patch(PROFILE, {"avatar": upload()}, format="multipart")
    assert response.status_code == 400
    assert message in " ".join(_fields(response)["avatar"])
    assert _state(member) == before


# History


def test_history_is_paginated_newest_first_and_its_queries_do_not_grow(token_client, member):
    token_client.get(PROFILE)  # the token's last-use write happens at most once a minute
    with assert_max_queries(3) as few:
        token_client.get(HISTORY)
    for i in range(30):
        _change(member, bio=f"bio {i}")
    with assert_num_queries(len(few)):
        response = token_client.get(HISTORY, {"page_size": 10})
    body = response.json()
    assert body["count"] == 31
    assert [row["version"] for row in body["results"]] == list(range(31, 21, -1))
    row = body["results"][0]
    assert row["snapshot"]["bio"] == "bio 29" and row["changed_fields"] == ["bio"] and row["valid_until"] is None
    last = token_client.get(HISTORY, {"page_size": 10, "page": 4}).json()["results"]
    assert [row["version"] for row in last] == [1]


# As of


def test_as_of_returns_the_version_valid_at_that_moment(monkeypatch):
    clock = Clock(monkeypatch, datetime(2025, 1, 1, tzinfo=UTC))
    member = UserFactory()
    token_client = APIClient()
    token_client.force_authenticate(member)
    clock.set(datetime(2025, 1, 10, 12, 0, tzinfo=UTC))
    _change(member, fitness_level="beginner")
    clock.set(datetime(2025, 2, 10, 12, 0, tzinfo=UTC))
    _change(member, fitness_level="advanced")

    def at(moment: str) -> int:
        response = token_client.get(AS_OF, {"at": moment})
        assert response.status_code == 200, response.json()
        return response.json()["version"]

    assert at("2025-01-10T12:00:00Z") == 2
    assert at("2025-02-10T11:59:59Z") == 2
    assert at("2025-02-10T12:00:00+00:00") == 3
    assert at("2025-02-10T13:30:00+02:00") == 2  # 11:30 UTC
    assert at("2025-01-05T00:00:00Z") == 1


def test_as_of_reads_a_time_without_offset_in_the_persons_time_zone(monkeypatch):
    clock = Clock(monkeypatch, datetime(2025, 3, 1, tzinfo=UTC))
    user = UserFactory(timezone="Asia/Tokyo")  # UTC+9
    clock.set(datetime(2025, 3, 10, 0, 0, tzinfo=UTC))  # 09:00 in Tokyo
    _change(user, bio="Tokyo morning")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get(AS_OF, {"at": "2025-03-10T08:59:00"}).json()["version"] == 1
    assert client.get(AS_OF, {"at": "2025-03-10T09:00:00"}).json()["version"] == 2


def test_as_of_before_the_profile_existed_is_a_404(token_client, member):
    created = profile_for_user(user=member).created_at
    response = token_client.get(AS_OF, {"at": (created - timedelta(days=1)).isoformat()})
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


@pytest.mark.parametrize("query", [{}, {"at": ""}, {"at": "last tuesday"}, {"at": "2025-13-01T00:00:00Z"}])
def test_as_of_needs_a_valid_moment(token_client, query):
    response = token_client.get(AS_OF, query)
    assert response.status_code == 400
    assert "at" in _fields(response)
