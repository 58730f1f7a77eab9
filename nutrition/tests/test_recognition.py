from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from nutrition.models import FoodRecognitionCache, Meal
from nutrition.services import recognition
from nutrition.tests.factories import MealFactory

pytestmark = pytest.mark.django_db
RECOGNISER = "nutrition.tests.test_recognition.CountingRecogniser"


class CountingRecogniser:
    """Test-only: never shipped. Counts calls so the cache can be proven."""

    calls = 0
    model_version = "test-1"

    def recognise(self, image_bytes: bytes) -> list[dict]:
        type(self).calls += 1
        assert image_bytes
        return [{"name": "Banana", "grams": 118, "energy_kcal": 105}, {"name": "Oats", "energy_kcal": 150}]


def _jpeg(colour=(200, 180, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, format="JPEG")
    return SimpleUploadedFile("meal.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _reset():
    CountingRecogniser.calls = 0


def test_without_a_recogniser_the_photo_is_stored_and_the_page_says_so(member, settings):
    settings.FOOD_RECOGNISER = None
    meal = MealFactory(user=member)
    client = Client()
    client.force_login(member)
    response = client.post(f"/eat/meal/{meal.pk}/photo/", {"photo": _jpeg()}, follow=True)
    meal.refresh_from_db()
    assert meal.photo and meal.recognition is None
    assert recognition.NOT_SET_UP in response.content.decode()


def test_miss_then_hit(member, settings, django_capture_on_commit_callbacks):
    settings.FOOD_RECOGNISER = RECOGNISER
    first, second = MealFactory(user=member), MealFactory(user=member, meal_type="lunch")
    with django_capture_on_commit_callbacks(execute=True):
        recognition.meal_photo_attach(user=member, meal=first, file=_jpeg())
    first.refresh_from_db()
    assert first.recognition["status"] == "done" and first.recognition["cached"] is False
    assert first.recognition["total_estimated_kcal"] == 255
    assert [f["name"] for f in first.recognition["foods"]] == ["Banana", "Oats"]
    assert CountingRecogniser.calls == 1
    with django_capture_on_commit_callbacks(execute=True):
        recognition.meal_photo_attach(user=member, meal=second, file=_jpeg())
    second.refresh_from_db()
    assert second.recognition["cached"] is True and CountingRecogniser.calls == 1
    assert FoodRecognitionCache.objects.count() == 1
    # Running the task again is harmless.
    recognition.meal_recognise(meal_id=second.pk)
    assert CountingRecogniser.calls == 1


def test_recognised_foods_are_shown(member, settings, django_capture_on_commit_callbacks):
    settings.FOOD_RECOGNISER = RECOGNISER
    meal = MealFactory(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        recognition.meal_photo_attach(user=member, meal=meal, file=_jpeg())
    client = Client()
    client.force_login(member)
    body = client.get(f"/eat/day/{meal.date}/").content.decode()
    assert "Recognised: Banana, Oats" in body and "about 255 kcal" in body


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        SimpleUploadedFile("x.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"),
    ],
)
def test_not_an_image_is_refused_and_nothing_stored(member, upload):
    meal = MealFactory(user=member)
    client = Client()
    client.force_login(member)
    response = client.post(f"/eat/meal/{meal.pk}/photo/", {"photo": upload}, follow=True)
    assert "JPEG, PNG or WebP" in response.content.decode()
    assert not Meal.objects.get(pk=meal.pk).photo


def test_too_large_is_refused(member, monkeypatch):
    monkeypatch.setattr(recognition, "MAX_BYTES", 100)
    meal = MealFactory(user=member)
    with pytest.raises(Exception, match="too large"):
        recognition.meal_photo_attach(user=member, meal=meal, file=_jpeg())
