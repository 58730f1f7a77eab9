"""Tasks only the tests' own workers load (`celery worker --include tests.worker_tasks`).

A task that takes a while is what keeps a message unacknowledged while the broker goes away; the key it
sets in the broker's Redis is how a test sees that the worker ran it."""

from __future__ import annotations

import time

import redis
from django.conf import settings

from fitjourney.celery import app


@app.task(name="tests.worker_tasks.nap")
def nap(seconds: float, key: str) -> None:
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.set(f"{key}:started", 1)
    time.sleep(seconds)
    client.set(f"{key}:done", 1)
