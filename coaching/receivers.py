"""Listeners for what other apps announce (fitjourney.hooks.changes.days_changed).

The apps below coaching announce the local dates a change touched; the summaries of those days are marked
for a refresh in the same transaction (coaching.services.summaries.summaries_mark_pending), and the
person's goals are evaluated after the commit (debounced: coaching.services.goals.goals_evaluate_schedule).
A finished session announces its day after its personal records are detected, so a new record reaches
the goals this way too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from fitjourney.hooks.changes import days_changed

from .services.goals import goals_evaluate_schedule
from .services.summaries import summaries_mark_pending


@receiver(days_changed, dispatch_uid="coaching.summaries.days_changed")
def summaries_on_days_changed(
    sender: object, *, user_id: uuid.UUID | str, dates: Iterable[dt.date], **kwargs: Any
) -> None:
    summaries_mark_pending(user_id=user_id, dates=dates)


@receiver(days_changed, dispatch_uid="coaching.goals.days_changed")
def goals_on_days_changed(sender: object, *, user_id: uuid.UUID | str, dates: Iterable[dt.date], **kwargs: Any) -> None:
    goals_evaluate_schedule(user_id=user_id)


@receiver(days_changed, dispatch_uid="coaching.dashboard.days_changed")
def trainers_on_days_changed(
    sender: object, *, user_id: uuid.UUID | str, dates: Iterable[dt.date], **kwargs: Any
) -> None:
    from .services.dashboard import member_trainers_refresh_later

    member_trainers_refresh_later(user_id=user_id)
