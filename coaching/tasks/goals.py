"""Tasks of goals: the evaluation of one person's goals after their logs change (queued, debounced, by the
days-changed receiver in coaching/receivers.py) and the daily expiry (settings CELERY_BEAT_SCHEDULE). Both
are safe to run twice: milestones already reached are not reached again, expired goals are not active."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY

__all__ = ["expire_goals", "goals_evaluate_task"]


@shared_task(name="coaching.tasks.goals_evaluate", **TASK_DATABASE_RETRY)
def goals_evaluate_task(user_id: str) -> int:
    from accounts.models import User

    from ..services.goals import goals_evaluate

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    return len(goals_evaluate(user=user))


@shared_task(name="coaching.tasks.expire_goals", **TASK_DATABASE_RETRY)
def expire_goals() -> int:
    from ..services.goals import goals_expire

    return goals_expire()
