"""Tasks of the trainer dashboard: one trainer's refresh (queued, debounced, after a card, a booking or a
client's logs change) and everybody's nightly (settings CELERY_BEAT_SCHEDULE). Safe to run twice."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY

__all__ = ["refresh_all_trainer_dashboards", "refresh_member_trainers", "refresh_trainer_dashboard"]


@shared_task(name="coaching.tasks.refresh_trainer_dashboard", **TASK_DATABASE_RETRY)
def refresh_trainer_dashboard(trainer_id: str) -> bool:
    from ..services.dashboard import trainer_dashboard_refresh

    return trainer_dashboard_refresh(trainer_id=trainer_id) is not None


@shared_task(name="coaching.tasks.refresh_all_trainer_dashboards", **TASK_DATABASE_RETRY)
def refresh_all_trainer_dashboards() -> int:
    from ..services.dashboard import gym_dashboards_refresh_all

    return gym_dashboards_refresh_all()


@shared_task(name="coaching.tasks.refresh_member_trainers", **TASK_DATABASE_RETRY)
def refresh_member_trainers(user_id: str) -> int:
    from ..services.dashboard import member_trainers_refresh

    return member_trainers_refresh(user_id=user_id)
