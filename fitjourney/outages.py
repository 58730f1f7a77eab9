"""Outages of the services a request depends on, told apart from bugs.

A database that cannot be reached (or drops the connection, or gives up on a lock) and a broker that
refuses a task are not errors in the request: the client should try again shortly. They answer 503 with
`Retry-After` (fitjourney.views.service_unavailable) instead of a 500, and are logged as a warning at most
once per `WARN_EVERY_SECONDS` per kind, so an outage under load is a few log lines, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("fitjourney.outages")

RETRY_AFTER_SECONDS = 5
WARN_EVERY_SECONDS = 60

DATABASE_ERRORS = (DatabaseOperationalError, DatabaseInterfaceError)
# Enqueueing a task: kombu wraps the transport's errors, but redis-py's can surface on their own.
BROKER_ERRORS = (BrokerOperationalError, RedisConnectionError, RedisTimeoutError)


def outage_kind(exc: BaseException | None) -> str | None:
    """ "database", "broker" or None when `exc` is not an outage."""
    if isinstance(exc, DATABASE_ERRORS):
        return "database"
    if isinstance(exc, BROKER_ERRORS):
        return "broker"
    return None


class RateLimitedWarnings:
    """A warning per key at most every `seconds`; the ones held back are counted into the next."""

    def __init__(self, log: logging.Logger, seconds: float) -> None:
        self.log = log
        self.seconds = seconds
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def warning(self, key: str, message: str, *args: object) -> bool:
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        if held:
            message += " (%d more since the last warning)"
            args = (*args, held)
        self.log.warning(message, *args)
        return True

    def reset(self) -> None:
        with self._lock:
            self._last.clear()
            self._held.clear()


warnings = RateLimitedWarnings(logger, WARN_EVERY_SECONDS)


def report_outage(kind: str, exc: BaseException, path: str) -> None:
    warnings.warning(
        kind,
        "The %s is unavailable (%s); answering 503 (request: %s).",
        kind,
        f"{type(exc).__name__}: {exc}".strip()[:300],
        path,
    )
