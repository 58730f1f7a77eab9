"""Database faults a request or task can outlive.

Concurrent multi-row writes can lose a race that is nobody's fault: a deadlock (PostgreSQL picks a victim)
or a serialization failure. Such a transaction is safe to run again from its start, so `retry_on_conflict`
re-runs the outermost transaction a bounded number of times with a short, jittered pause. Anything else —
including a database that is down (`is_outage`) — is not retried here: tasks retry outages with backoff,
and requests answer them with a 503.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import TypedDict

from django.db import DatabaseError, InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

# SQLSTATE class 40: deadlock_detected, serialization_failure.
CONFLICT_STATES = frozenset({"40P01", "40001"})
CONFLICT_ATTEMPTS = 4


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__ if exc.__cause__ is not None else exc
    return getattr(cause, "sqlstate", None)


def is_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure: running the transaction again may well succeed."""
    return isinstance(exc, DatabaseError) and _sqlstate(exc) in CONFLICT_STATES


# SQLSTATE classes of a server that is away: 08 connection exception, 53 insufficient resources,
# 57 operator intervention (shutdown, crash recovery).
OUTAGE_CLASSES = frozenset({"08", "53", "57"})


def is_outage(exc: BaseException) -> bool:
    """The database cannot be reached or the connection broke (not a conflict, not bad data)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    state = _sqlstate(exc)
    return state is None or state[:2] in OUTAGE_CLASSES


def retry_on_conflict[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Decorates a function that runs (and is) the outermost transaction: on a deadlock or serialization
    failure it runs again, up to CONFLICT_ATTEMPTS times. Inside another transaction it cannot start over,
    so it leaves the error to the outermost caller."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        attempt = 1
        while True:
            try:
                return fn(*args, **kwargs)
            except DatabaseError as exc:
                if not is_conflict(exc) or connection.in_atomic_block or attempt >= CONFLICT_ATTEMPTS:
                    raise
                logger.info("%s lost a race (%s), attempt %d.", fn.__qualname__, _sqlstate(exc), attempt)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
                attempt += 1

    return wrapper


__all__ = ["CONFLICT_ATTEMPTS", "TASK_DATABASE_RETRY", "is_conflict", "is_outage", "retry_on_conflict"]


# Celery options for a task that touches the database: an outage (or a lost race) fails the run, and the
# run is retried with exponential backoff (2 s, 4 s … at most 5 minutes apart, jittered) instead of
# waiting for the next periodic run or a sweep. The task must be safe to run twice, as all of ours are.
class TaskRetryOptions(TypedDict):
    """Typed, so `@shared_task(**TASK_DATABASE_RETRY)` matches Celery's typed signature (and the task keeps its
    argument types for mypy)."""

    autoretry_for: tuple[type[BaseException], ...]
    retry_backoff: int
    retry_backoff_max: int
    retry_jitter: bool
    max_retries: int


TASK_DATABASE_RETRY: TaskRetryOptions = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 10,
}
