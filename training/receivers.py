"""Listeners for what the apps below training announce (fitjourney.hooks.changes.days_changed).

A weight recorded in accounts (a weigh-in, or the intake's weight on confirmation) lets training count the
calories of the person's sessions that had none: after the commit, a task fills them
(training.services.sessions.sessions_calories_fill) and announces the days whose totals changed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from fitjourney.hooks.changes import days_changed
from fitjourney.queue import enqueue_on_commit

# accounts.services.body.SUMMARY_SOURCE: announced when a weight is recorded or deleted.
WEIGHT_SOURCE = "accounts.body_metric"


@receiver(days_changed, dispatch_uid="training.calories.days_changed")
def calories_on_weight(sender: object, *, user_id: uuid.UUID | str, dates: Iterable[dt.date], **kwargs: Any) -> None:
    if sender != WEIGHT_SOURCE:
        return
    from .tasks import fill_session_calories

    enqueue_on_commit(fill_session_calories, str(user_id))
