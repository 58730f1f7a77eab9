"""Queueing a Celery task once the caller's transaction has committed, without ever failing the caller.

A service that enqueues follow-up work (a mail, an export build, a photo recognition) has already committed
the person's write when the task is sent. If the broker is down then, raising would turn a saved write
into an error the client retries (and duplicates). So the send is attempted, a failure is logged as a
rate-limited warning, and the work is left to the sweep that catches lost tasks (each such task has one:
stalled exports, unsent notification mail, pending summaries).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .outages import BROKER_ERRORS, RateLimitedWarnings

logger = logging.getLogger("fitjourney.queue")
warnings = RateLimitedWarnings(logger, 60)


def send_quietly(task: Any, *args: Any, countdown: float | None = None) -> bool:
    """Sends the task now; False (and a warning) when the broker cannot take it."""
    try:
        task.apply_async(args=[*args], countdown=countdown)
    except BROKER_ERRORS + (OSError,) as exc:
        warnings.warning(
            "broker", "Could not queue %s (%s: %s); its sweep will catch up.", task.name, type(exc).__name__, exc
        )
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, countdown: float | None = None) -> None:
    """Queues `task(*args)` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_quietly(task, *args, countdown=countdown))


__all__ = ["enqueue_on_commit", "send_quietly"]
