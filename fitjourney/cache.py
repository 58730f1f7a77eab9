"""The cache fails open: while Redis cannot be reached, the site works without it.

Everything the request path keeps in the cache can be lost without harm: DRF's throttles and allauth's
rate limits (which then let requests through), the password re-check counter, the debounce key of the
summary refresh (the sweep catches up) and the meal-POST idempotency keys (a retry during the outage is
not recognised). The login lockout is not in the cache: django-axes keeps it in PostgreSQL
(AXES_HANDLER). So a connection error or a timeout answers as a miss, and is a warning in the log at most
once a minute, instead of a 500 on every request.

After a failure the backend does not try Redis again for `RETRY_SECONDS`: with Redis unreachable (not
refusing, silent) each attempt would cost the connect timeout, several times per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .outages import RateLimitedWarnings

logger = logging.getLogger("fitjourney.cache")
warnings = RateLimitedWarnings(logger, 60)

RETRY_SECONDS = 2.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Health:
    """Per Redis location and process: until when to skip it, and whether it was down."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.skip_until = 0.0
        self.down = False


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def reset() -> None:
    """Forget past failures (tests)."""
    with _health_lock:
        _health.clear()
    warnings.reset()


class FailOpenRedisCache(RedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # RedisCache's parsed server list; django-stubs do not declare it.
        self._location = ",".join(self._servers)  # type: ignore[attr-defined]

    @property
    def _state(self) -> _Health:
        with _health_lock:
            return _health.setdefault(self._location, _Health())

    def _call(self, operation: Callable[[], Any], fallback: Callable[[], Any]) -> Any:
        state = self._state
        if state.skip_until > time.monotonic():
            return fallback()
        try:
            result = operation()
        except UNREACHABLE as exc:
            with state.lock:
                state.skip_until = time.monotonic() + RETRY_SECONDS
                state.down = True
            warnings.warning(
                "down",
                "The cache (Redis) is unreachable: %s. Failing open: throttles and rate limits are off until it "
                "answers.",
                f"{type(exc).__name__}: {exc}"[:300],
            )
            return fallback()
        if state.down:
            with state.lock:
                state.down = False
            logger.warning("The cache (Redis) answers again.")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as if added: callers that take a lock with add() (allauth's rate limits) go ahead.
        return self._call(lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), lambda: True)

    def get(self, key, default=None, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).get(key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).delete(key, version), lambda: False)

    def get_many(self, keys, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).has_key(key, version), lambda: False)

    def incr(self, key, delta=1, version=None):
        # As if the key had been 0: counters start over while Redis is away.
        return self._call(lambda: super(FailOpenRedisCache, self).incr(key, delta, version), lambda: delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), list)

    def delete_many(self, keys, version=None):
        return self._call(lambda: super(FailOpenRedisCache, self).delete_many(keys, version), lambda: None)

    def clear(self):
        return self._call(lambda: super(FailOpenRedisCache, self).clear(), lambda: None)
