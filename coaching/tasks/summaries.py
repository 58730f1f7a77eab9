"""Tasks for the daily and weekly summaries: each takes ids (or nothing), calls one service, and is safe
to run twice (a refresh recomputes from the sources; markers already consumed are simply not there)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from fitjourney.db import TASK_DATABASE_RETRY

from ..services import summaries as services


@shared_task(name="coaching.tasks.refresh_pending_summaries", **TASK_DATABASE_RETRY)
def refresh_pending_summaries(user_id: str) -> int:
    """The debounced refresh of one person's marked days (queued by summaries_mark_pending)."""
    return services.summaries_refresh_pending(user_id=user_id)


@shared_task(name="coaching.tasks.sweep_pending_summaries", **TASK_DATABASE_RETRY)
def sweep_pending_summaries() -> int:
    """Every few minutes: days marked for longer than twice the delay lost their task (a broker or worker
    outage); refresh them for everybody."""
    older_than = dt.timedelta(seconds=2 * settings.SUMMARY_REFRESH_DELAY_SECONDS)
    return services.summaries_refresh_pending(older_than=older_than)


@shared_task(name="coaching.tasks.repair_summaries", **TASK_DATABASE_RETRY)
def repair_summaries() -> int:
    """Nightly: recompute the recent days of everybody and fix any summary that drifted."""
    return services.summaries_repair()
