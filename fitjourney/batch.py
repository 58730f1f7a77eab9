"""Batch work that one person's bad data cannot stop.

A periodic task that serves everybody (the summary sweep, reminders, purges) handles each person in
`isolated(...)`: their work runs in its own transaction (a savepoint when the task already is in one); if it
raises, it is rolled back, an alert-worthy ERROR line names the job, the person and the row, and the loop
goes on with the next person. An outage of the database is not a person's fault: it propagates, so the task
fails and is retried as a whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.db import transaction

from .db import is_conflict, is_outage

logger = logging.getLogger("fitjourney.batch")


@dataclass
class Outcome:
    error: BaseException | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def isolated(
    job: str, *, person: object, row: str = "", retried: bool = False, transactional: bool = True
) -> Iterator[Outcome]:
    """Runs the block for one person; a failure is logged (ERROR, "BATCH FAILURE …") and swallowed.

    Usage: `with isolated("hydration reminders", person=prefs.user_id, row=f"prefs {prefs.pk}") as outcome:`
    then look at `outcome.failed` after the block to mark the row. `retried=True` says the caller redoes a
    failed block in smaller parts (a batch of people, then each person): that is only a warning.
    `transactional=False` is for a block that only reads and decides (no savepoint to pay for)."""
    outcome = Outcome()
    try:
        with transaction.atomic() if transactional else nullcontext():
            yield outcome
    except Exception as exc:
        if is_outage(exc) or is_conflict(exc):
            raise
        outcome.error = exc
        if retried:
            logger.warning("%s failed for %s (%s: %s); redoing it in parts.", job, person, type(exc).__name__, exc)
            return
        logger.error(
            "BATCH FAILURE in %s for person %s%s: %s: %s",
            job,
            person,
            f" ({row})" if row else "",
            type(exc).__name__,
            exc,
            exc_info=True,
        )


__all__ = ["Outcome", "isolated"]
