"""Tasks that touch the database retry an outage with backoff instead of waiting for the next periodic run
or a sweep (issue 10, item 16): the run ends in Celery's Retry (the worker runs it again after the
countdown) when the database is unreachable, and fails at once on a bug, which a retry would not fix.

The outage is simulated by the service raising the OperationalError a refused connection raises (the
database itself cannot be taken away from under the test's own transaction)."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from accounts.tasks import notifications as account_tasks
from coaching.tasks import summaries as summary_tasks
from fitjourney.db import TASK_DATABASE_RETRY
from nutrition.tasks import reminders as nutrition_tasks
from training import tasks as training_tasks

pytestmark = pytest.mark.django_db

DATABASE_TASKS = [
    summary_tasks.refresh_pending_summaries,
    summary_tasks.sweep_pending_summaries,
    summary_tasks.repair_summaries,
    nutrition_tasks.send_meal_reminders,
    nutrition_tasks.send_hydration_reminders,
    training_tasks.send_workout_reminders,
    account_tasks.purge_read_notifications,
    account_tasks.sweep_unsent_notification_mail,
]


@pytest.mark.parametrize("task", DATABASE_TASKS, ids=lambda task: task.name)
def test_every_database_task_retries_outages_with_backoff(task):
    assert OperationalError in task.autoretry_for
    assert task.retry_backoff == TASK_DATABASE_RETRY["retry_backoff"] and task.retry_jitter
    assert task.max_retries == TASK_DATABASE_RETRY["max_retries"]


def test_an_outage_in_the_sweep_is_retried_and_a_bug_is_not(monkeypatch):
    from coaching.services import summaries as services

    def unreachable(**kwargs):
        raise OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(services, "summaries_refresh_pending", unreachable)
    with pytest.raises(Retry) as retry:
        summary_tasks.sweep_pending_summaries.apply()
    assert isinstance(retry.value.exc, OperationalError) and retry.value.when is not None  # jitter may make it 0 s

    def bug(**kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(services, "summaries_refresh_pending", bug)
    with pytest.raises(ValueError):
        summary_tasks.sweep_pending_summaries.apply()
