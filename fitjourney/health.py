"""/healthz: is every component this site needs up? JSON, 200 when all are, 503 otherwise.

The endpoint is public, so a failure is named by its kind only ("OperationalError"): the error's text
(which names hosts, ports, users) goes to the log.
"""

from __future__ import annotations

import logging
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

logger = logging.getLogger("fitjourney.health")


class ComponentDown(Exception):
    """A failure whose message is ours and safe to show."""


def _timed(name: str, check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except ComponentDown as exc:
        return {"status": "down", "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - any failure means the component is down
        logger.warning("Health check: %s is down: %s: %s", name, type(exc).__name__, exc)
        return {"status": "down", "error": type(exc).__name__}
    result = {"status": "up", "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


def _celery() -> dict:
    # Stop waiting at the first answer: one live worker is enough to call the queue served.
    replies = celery_app.control.ping(timeout=1.0, limit=1)
    if not replies:
        raise ComponentDown("no Celery worker answered")
    return {"workers": len(replies)}


CHECKS = {"database": _database, "redis": _redis, "celery": _celery}


@never_cache
@require_GET
def healthz(request):
    components = {name: _timed(name, check) for name, check in CHECKS.items()}
    healthy = all(c["status"] == "up" for c in components.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "components": components}, status=200 if healthy else 503
    )
