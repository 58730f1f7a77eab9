"""One signal for "this person's data for these days changed", sent by the services that write
sessions, meals, water, body metrics, habit logs and journal entries.

The apps that write those rows sit below coaching, which keeps the daily summaries, and must not import
it: they announce the change here and coaching listens (coaching/apps.py). Services send it inside
their transaction, so a listener may write in the same transaction and anything it queues can wait for
the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.dispatch import Signal

# Sent with `user_id` and `dates` (a frozenset of the person's local dates).
days_changed = Signal()


def days_changed_announce(*, user_id, dates: Iterable[dt.date | None], source: str) -> None:
    """Announces that `source` ("training.session", "nutrition.meal"…) changed the person's `dates`."""
    dates = frozenset(date for date in dates if date is not None)
    if dates:
        days_changed.send(sender=source, user_id=user_id, dates=dates)


__all__ = ["days_changed", "days_changed_announce"]
