"""Celery beat tasks of the plans side: meal and hydration reminders (each calls one service and is safe
to run twice: the services claim each reminder with a conditional UPDATE before sending it)."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY


@shared_task(name="nutrition.tasks.send_meal_reminders", **TASK_DATABASE_RETRY)
def send_meal_reminders() -> int:
    from ..services.plans import meal_reminders_send

    return meal_reminders_send()


@shared_task(name="nutrition.tasks.send_hydration_reminders", **TASK_DATABASE_RETRY)
def send_hydration_reminders() -> int:
    from ..services.hydration import hydration_reminders_send

    return hydration_reminders_send()
