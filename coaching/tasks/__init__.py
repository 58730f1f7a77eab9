"""Celery tasks of coaching. Celery discovers `coaching.tasks`, so every submodule is imported here."""

from __future__ import annotations

from . import dashboard, goals, habits, summaries  # noqa: F401
