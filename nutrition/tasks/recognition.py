"""Celery task of the meal photos: recognition after the upload commits."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="nutrition.tasks.meal_recognise", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def meal_recognise_task(meal_id: str) -> None:
    from ..services.recognition import meal_recognise

    meal_recognise(meal_id=meal_id)
