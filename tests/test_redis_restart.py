"""A worker keeps working when Redis restarts under it, and the broker is configured so a task that a dead
worker never acknowledged comes back in minutes.

The worker here runs against a redis-server of the test's own (tests/servers.py), so restarting it never
disturbs the shared test Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings

from fitjourney.celery import app
from tests.conftest import _database_url
from tests.servers import RedisServer, stop_process

ROOT = Path(__file__).resolve().parent.parent
QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE


def test_an_unacknowledged_task_comes_back_just_after_the_longest_time_limit():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_time_limit < visibility <= app.conf.task_time_limit + 5 * 60


def test_redis_channels_keep_their_broker_address_for_a_late_restore():
    from kombu.transport import redis as kombu_redis

    assert getattr(kombu_redis.Channel._connparams, "keeps_broker_address", False)


@pytest.fixture
def own_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _wait_for(check, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except redis.ConnectionError:
            pass
        assert time.monotonic() < deadline, f"{what} within {timeout:.0f} s"
        time.sleep(0.2)


@pytest.fixture
def worker_on_own_redis(own_redis, tmp_path, django_db_setup) -> Iterator[tuple[subprocess.Popen, Path]]:
    """A prefork worker with two processes, as `make run` runs it, on `own_redis`.

    Two matter: while one runs a task, the free one keeps a BRPOP pending, and the BRPOP that fails when
    Redis goes away is what left kombu's channel half-closed."""
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "fitjourney.settings.test",
        "REDIS_URL": own_redis.url,
        "CELERY_BROKER_URL": own_redis.url,
        "CELERY_RESULT_BACKEND": own_redis.url,
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "fitjourney", "worker"),
                *("--include", "tests.worker_tasks", "-Q", QUEUE, "-n", f"redis-restart-{uuid.uuid4().hex[:8]}@%h"),
                *("--pool", "prefork", "--concurrency", "2", "--without-mingle", "--without-gossip", "-l", "info"),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: "ready." in log.read_text(), "the worker did not start", 60)
        yield process, log
    finally:
        stop_process(process)


@pytest.mark.worker
def test_the_worker_consumes_again_after_redis_restarts_under_a_running_task(own_redis, worker_on_own_redis):
    worker, log = worker_on_own_redis
    producer = Celery("redis-restart-probe", broker=own_redis.url)
    client = own_redis.client()

    # A task still running (so its message is unacknowledged) when Redis goes away is what made kombu 5.7
    # crash the worker: "Unrecoverable error: AttributeError(... 'hostname')" (fitjourney/celery.py).
    running = f"nap-{uuid.uuid4().hex}"
    producer.send_task("tests.worker_tasks.nap", args=[6, running], queue=QUEUE)
    _wait_for(lambda: client.exists(f"{running}:started"), "the worker did not start the first task", 30)

    own_redis.stop()
    time.sleep(1)
    own_redis.start()
    client = own_redis.client()

    _wait_for(lambda: client.exists(f"{running}:done"), "the task running across the restart did not finish", 30)
    after = f"nap-{uuid.uuid4().hex}"
    producer.send_task("tests.worker_tasks.nap", args=[0, after], queue=QUEUE)
    _wait_for(
        lambda: worker.poll() is not None or client.exists(f"{after}:done"),
        "the worker did not consume a task sent after the restart",
        60,
    )

    output = log.read_text()
    assert worker.poll() is None, f"the worker exited ({worker.returncode}):\n{output[-3000:]}"
    assert "Unrecoverable error" not in output, output[-3000:]
    assert client.exists(f"{after}:done")
