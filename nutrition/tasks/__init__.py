"""Celery tasks of nutrition: take ids, call one service, safe to run twice. Celery discovers
`nutrition.tasks`, so every submodule is imported here. The names stay "nutrition.tasks.<name>" (the beat
schedule and queued messages use them), whichever module a task lives in."""

from __future__ import annotations

from .recognition import meal_recognise_task
from .reminders import send_hydration_reminders, send_meal_reminders

__all__ = ["meal_recognise_task", "send_hydration_reminders", "send_meal_reminders"]
