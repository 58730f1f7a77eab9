"""Meal photos and food recognition.

A recogniser is any class with a `model_version` string and `recognise(image_bytes) -> list[dict]`
(each dict at least {"name": str}, optionally "grams", "energy_kcal", "confidence"). The site names one
by dotted path in the `FOOD_RECOGNISER` setting; by default there is none and we ship none, so a photo
is stored and the page says recognition is not set up.

Results are cached by the SHA-256 of the stored image in FoodRecognitionCache: the same photo is never
sent to the model twice. Recognition runs in a Celery task after the upload commits (a model may take
seconds); Meal.recognition holds {"status": "pending" | "done" | "failed", "image_sha256", "foods",
"total_estimated_kcal", "model_version", "cached"}.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Any, Protocol

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.module_loading import import_string

from accounts.models import User
from fitjourney.images import image_clean
from fitjourney.queue import enqueue_on_commit

from ..models import FoodRecognitionCache, Meal
from .diary import _own_meal

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
STORED_MAX_SIDE = 2048
NOT_SET_UP = "Photo recognition is not set up on this site."


class FoodRecogniser(Protocol):
    model_version: str

    def recognise(self, image_bytes: bytes) -> list[dict[str, Any]]: ...


def recogniser_get() -> FoodRecogniser | None:
    """The configured recogniser, read when called (never at import), or None."""
    path = getattr(settings, "FOOD_RECOGNISER", None)
    if not path:
        return None
    recogniser: FoodRecogniser = import_string(path)()
    return recogniser


def recognition_enabled() -> bool:
    return bool(getattr(settings, "FOOD_RECOGNISER", None))


@transaction.atomic
def meal_photo_attach(*, user: User, meal: Meal, file: File) -> Meal:
    """Validates the image (JPEG, PNG or WebP up to 10 MB, decoded by Pillow; re-encoded, which drops
    EXIF such as the GPS position), stores it on the meal and, when a recogniser is configured, queues
    recognition. Raises ValidationError for anything that is not such an image."""
    _own_meal(user, meal)
    cleaned = image_clean(file, max_bytes=MAX_BYTES, stored_max_side=STORED_MAX_SIDE, name="meal")
    data = cleaned.read()
    cleaned.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    if meal.photo:
        meal.photo.delete(save=False)
    meal.photo.save(cleaned.name or "meal.jpg", cleaned, save=False)
    meal.recognition = {"status": "pending", "image_sha256": digest} if recognition_enabled() else None
    meal.save(update_fields=["photo", "recognition", "updated_at"])
    if meal.recognition is not None:
        from ..tasks.recognition import meal_recognise_task

        meal_id = meal.pk
        enqueue_on_commit(meal_recognise_task, str(meal_id))
    return meal


def _result(entry: FoodRecognitionCache, digest: str, cached: bool) -> dict[str, Any]:
    return {
        "status": "done",
        "image_sha256": digest,
        "foods": entry.detected_foods,
        "total_estimated_kcal": entry.total_estimated_kcal,
        "model_version": entry.model_version,
        "cached": cached,
    }


def _total_kcal(foods: list[dict[str, Any]]) -> int | None:
    values = [f.get("energy_kcal") for f in foods if isinstance(f, dict)]
    if not values or any(v is None for v in values):
        return None
    total: float = sum(float(v) for v in values if v is not None)
    return max(0, round(total))


def meal_recognise(*, meal_id: uuid.UUID | str) -> Meal | None:
    """Fills Meal.recognition from the cache or the recogniser. Safe to run twice: a finished result
    is kept, and a photo already seen is answered from the cache."""
    meal = Meal.objects.filter(pk=meal_id, deleted_at__isnull=True).first()
    if meal is None or not meal.photo:
        return None
    recogniser = recogniser_get()
    if recogniser is None:
        return meal
    meal.photo.open("rb")
    try:
        data = meal.photo.read()
    finally:
        meal.photo.close()
    digest = hashlib.sha256(data).hexdigest()
    previous = meal.recognition or {}
    if previous.get("status") == "done" and previous.get("image_sha256") == digest:
        return meal
    entry = FoodRecognitionCache.objects.filter(image_hash=digest).first()
    cached = entry is not None
    if entry is None:
        try:
            foods = list(recogniser.recognise(data))
        except Exception:
            logger.exception("Food recognition failed for meal %s", meal.pk)
            Meal.objects.filter(pk=meal.pk).update(recognition={"status": "failed", "image_sha256": digest})
            meal.refresh_from_db(fields=["recognition"])
            return meal
        entry, _ = FoodRecognitionCache.objects.get_or_create(
            image_hash=digest,
            defaults={
                "detected_foods": foods,
                "total_estimated_kcal": _total_kcal(foods),
                "model_version": str(getattr(recogniser, "model_version", ""))[:40],
            },
        )
    meal.recognition = _result(entry, digest, cached)
    Meal.objects.filter(pk=meal.pk).update(recognition=meal.recognition)
    return meal
