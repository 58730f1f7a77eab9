"""Celery tasks of habits: the reminders beat runs every 5 minutes (settings CELERY_BEAT_SCHEDULE). Safe to
run twice: the service claims each day's reminder with a conditional UPDATE before sending it."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY

__all__ = ["send_habit_reminders"]


@shared_task(name="coaching.tasks.send_habit_reminders", **TASK_DATABASE_RETRY)
def send_habit_reminders() -> int:
    from ..services.habits import habit_reminders_send

    return habit_reminders_send()
