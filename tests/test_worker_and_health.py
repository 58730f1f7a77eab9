from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from accounts.tasks import purge_expired_tokens
from accounts.tests.factories import UserFactory
from fitjourney.celery import app


def _old_token(user, name):
    issued = services.api_token_create(user=user, name=name)
    long_ago = timezone.now() - timedelta(days=400)
    ApiToken.objects.filter(pk=issued.token.pk).update(created_at=long_ago, expires_at=long_ago + timedelta(days=30))
    return issued.token


@pytest.mark.worker
def test_a_task_runs_in_a_real_worker_through_the_real_broker(celery_worker_process, transactional_db, monkeypatch):
    user = UserFactory()
    stale = _old_token(user, "stale")
    fresh = services.api_token_create(user=user, name="fresh").token
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    result = purge_expired_tokens.apply_async()

    deadline = time.monotonic() + 30
    while ApiToken.objects.filter(pk=stale.pk).exists():
        assert time.monotonic() < deadline, "the worker did not purge the stale token within 30 s"
        time.sleep(0.2)
    assert result.get(timeout=10) == 1
    assert ApiToken.objects.filter(pk=fresh.pk).exists()


@pytest.mark.worker
def test_healthz_reports_every_component_up(celery_worker_process, transactional_db, client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert {name: c["status"] for name, c in body["components"].items()} == {
        "database": "up",
        "redis": "up",
        "celery": "up",
    }


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["components"]["celery"]["status"] == "down"
    assert body["components"]["database"]["status"] == "up"
    assert body["components"]["redis"]["status"] == "up"


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["components"]["redis"]["status"] == "down"


@pytest.mark.django_db
def test_the_purge_keeps_recent_tokens_and_is_safe_to_run_twice():
    user = UserFactory()
    _old_token(user, "stale")
    services.api_token_create(user=user, name="fresh")
    assert purge_expired_tokens.delay().get() == 1
    assert purge_expired_tokens.delay().get() == 0
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["fresh"]


def test_the_beat_schedule_runs_the_purge_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-purge-expired-tokens"]
    assert entry["task"] == purge_expired_tokens.name
    assert app.conf.task_acks_late is True
