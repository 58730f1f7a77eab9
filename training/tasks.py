"""Celery tasks of training. Each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY

__all__ = ["fill_session_calories", "refresh_program_enrollments", "send_workout_reminders"]


@shared_task(name="training.tasks.send_workout_reminders", **TASK_DATABASE_RETRY)
def send_workout_reminders() -> int:
    """Beat runs it every 5 minutes; the service claims each reminder before sending it."""
    from .services.schedule import workout_reminders_send

    return workout_reminders_send()


@shared_task(name="training.tasks.refresh_program_enrollments", **TASK_DATABASE_RETRY)
def refresh_program_enrollments(program_id: str) -> int:
    """After a program's days changed: its followers' next day and counters (idempotent)."""
    from .services.enrollments import enrollments_refresh_for_program

    return enrollments_refresh_for_program(program_id=program_id)


@shared_task(name="training.tasks.fill_session_calories", **TASK_DATABASE_RETRY)
def fill_session_calories(user_id: str) -> int:
    """After a weight was recorded: the calories of the person's sessions that had none (idempotent)."""
    from .services.sessions import sessions_calories_fill

    return sessions_calories_fill(user_id=user_id)
