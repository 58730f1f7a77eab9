"""Uploads are served only to the people who may see them."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from fitjourney.testing.access import assert_access
from nutrition.tests.factories import MealFactory
from training.models import SessionMedia
from training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _url(name: str) -> str:
    return f"/media/{name}"


def test_a_session_photo_is_served_to_its_owner_only(client, personas):
    session = SessionFactory(user=personas.owner)
    media = SessionMedia.objects.create(
        user=personas.owner, session=session, file=ContentFile(b"\x89PNG-photo", name="progress.png")
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(_url(media.file.name)),
        {"anonymous": 404, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    client.force_login(personas.owner)
    response = client.get(_url(media.file.name))
    assert b"".join(response.streaming_content) == b"\x89PNG-photo"
    assert response["Cache-Control"] == "private, max-age=3600"


def test_a_meal_photo_is_served_to_its_owner_only(client, personas):
    meal = MealFactory(user=personas.owner)
    meal.photo.save("breakfast.jpg", ContentFile(b"jpeg-bytes"))
    assert_access(
        client,
        personas,
        lambda c: c.get(_url(meal.photo.name)),
        {"anonymous": 404, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )


def test_an_avatar_is_shown_to_signed_in_members(client, personas):
    profile = personas.owner.profile
    profile.avatar.save("me.png", ContentFile(b"png"), save=False)
    type(profile).objects.filter(pk=profile.pk).update(avatar=profile.avatar.name)
    assert_access(
        client,
        personas,
        lambda c: c.get(_url(profile.avatar.name)),
        {"anonymous": 404, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )


@pytest.mark.parametrize(
    "name", ["../settings.py", "training/../avatars/x.png", "unknown/file.txt", "training/missing.png", "/etc/passwd"]
)
def test_unknown_or_crafted_paths_are_404(client, member, name):
    default_storage.save("unknown/file.txt", ContentFile(b"x"))
    client.force_login(member)
    assert client.get(f"/media/{name}").status_code == 404


def test_writing_is_refused(client, member):
    client.force_login(member)
    assert client.post("/media/training/x.png").status_code == 405
