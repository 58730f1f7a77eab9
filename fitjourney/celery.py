from __future__ import annotations

import os
from typing import Any

from celery import Celery
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitjourney.settings.local")


def keep_broker_address_on_redis_channels() -> None:
    """Let a redis channel reach the broker after its transport let go of the connection details.

    Workaround for celery 5.7 with kombu 5.7 (redis-py 8.1 and 8.2 alike): when Redis restarts while a
    task is running, the worker's `Channel.close()` stops half-way (draining the pending BRPOP raises a
    ConnectionError), `Connection.collect()` then detaches the transport (`transport.client = None`), and
    the close that celery 5.7 added after the collect restores the unacknowledged messages through a pool
    built from `transport.client`: `AttributeError: 'NoneType' object has no attribute 'hostname'`, which
    celery treats as unrecoverable, so the worker exits. No released kombu avoids it (5.7.0 is the latest
    and celery 5.7 needs it; celery 5.6 only collected). Each channel now keeps the connection parameters
    of its last pool: the restore (and the late ack of the task still running in the pool) reaches Redis
    again, or fails with a ConnectionError, which kombu and celery handle. Remove once kombu fixes it:
    tests/test_redis_restart.py restarts Redis under a running task and shows the worker consume again.
    """
    # kombu's stubs (celery-types) do not declare the private method this replaces.
    original = kombu_redis.Channel._connparams  # type: ignore[attr-defined]
    if getattr(original, "keeps_broker_address", False):
        return

    def _connparams(self: kombu_redis.Channel, asynchronous: bool = False) -> dict[str, Any]:
        transport = self.connection
        if transport is not None and transport.client is not None:
            params = original(self, asynchronous=asynchronous)
            if not asynchronous:
                self.__dict__["_broker_connparams"] = dict(params)
            return params
        remembered = self.__dict__.get("_broker_connparams")
        if asynchronous or remembered is None:
            raise RedisConnectionError("this broker channel is closed and has no connection to reuse")
        return dict(remembered)

    _connparams.keeps_broker_address = True  # type: ignore[attr-defined]
    kombu_redis.Channel._connparams = _connparams  # type: ignore[attr-defined]


keep_broker_address_on_redis_channels()

app = Celery("fitjourney")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
