"""Celery tasks of training. Each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY

__all__ = ["send_workout_reminders"]


@shared_task(name="training.tasks.send_workout_reminders", **TASK_DATABASE_RETRY)
def send_workout_reminders() -> int:
    """Beat runs it every 5 minutes; the service claims each reminder before sending it."""
    from .services.schedule import workout_reminders_send

    return workout_reminders_send()
