"""Outages of Redis, PostgreSQL and the broker: the site keeps answering, and says so in the right format.

Redis down: the cache fails open (throttles and rate limits let requests through) with one warning in
the log. PostgreSQL or the broker down: a 503 with Retry-After, JSON under /api/, the 503 page elsewhere,
wherever in the request the outage shows (a view, the session and person loaded by middleware, an
enqueue). Each outage is real: the service is pointed at a local port nothing listens on.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import logging
import socket
import sys
import uuid
import warnings
from contextlib import contextmanager

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path
from django.utils import timezone
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.models import ApiToken
from accounts.tests.factories import PASSWORD, UserFactory
from fitjourney import cache as fail_open_cache
from fitjourney import outages, views
from fitjourney import urls as project_urls
from fitjourney.celery import app as celery_app


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_outage_state():
    """The warnings are rate-limited per process: each test starts as if nothing had failed yet."""
    fail_open_cache.reset()
    outages.warnings.reset()
    yield
    fail_open_cache.reset()
    outages.warnings.reset()


def assert_unavailable_json(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "unavailable"
    assert response.json()["error"]["status"] == 503
    assert response["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert b"Back in a moment" in response.content
    assert response["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)


# ---------------------------------------------------------------------------------------------------
# Redis down: fail open


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "fitjourney.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "KEY_PREFIX": "fitjourney-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_the_site_uses_the_fail_open_cache():
    base = importlib.import_module("fitjourney.settings.base")
    assert base.CACHES["default"]["BACKEND"] == "fitjourney.cache.FailOpenRedisCache"


@pytest.mark.django_db
def test_with_redis_down_api_reads_and_writes_still_work_and_one_warning_is_logged(
    redis_down, token_client, member, caplog
):
    caplog.set_level(logging.WARNING, logger="fitjourney.cache")
    for _ in range(3):
        assert token_client.get("/api/v1/me/").status_code == 200
    response = token_client.post("/api/v1/water/", {"amount_ml": 250}, format="json")
    assert response.status_code == 201, response.content
    assert token_client.patch("/api/v1/me/", {"first_name": "Ada"}, format="json").status_code == 200
    logged = [r for r in caplog.records if r.name == "fitjourney.cache"]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert "unreachable" in logged[0].getMessage()


@pytest.mark.django_db
def test_with_redis_down_anonymous_token_requests_and_page_logins_still_work(redis_down, api_client, client):
    # The token endpoint's throttle and allauth's login rate limit (a lock taken with cache.add) fail open.
    UserFactory(email="cli@example.com")
    body = {"email": "cli@example.com", "password": PASSWORD, "name": "cli"}
    assert api_client.post("/api/v1/auth/token/", body, format="json").status_code == 201
    response = client.post("/accounts/login/", {"login": "cli@example.com", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_with_redis_down_the_login_lockout_still_holds(redis_down, api_client, settings):
    # The lockout lives in PostgreSQL (axes' database handler), not in the cache that is down.
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    UserFactory(email="target@example.com")
    wrong = {"email": "target@example.com", "password": "wrong", "name": "n"}
    statuses = [
        api_client.post("/api/v1/auth/token/", wrong, format="json").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    right = {**wrong, "password": PASSWORD}
    assert api_client.post("/api/v1/auth/token/", right, format="json").status_code == 429
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_fail_open_cache_still_throttles_while_redis_answers(settings, member, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    settings.CACHES = {
        "default": {
            "BACKEND": "fitjourney.cache.FailOpenRedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"fitjourney-test-{uuid.uuid4().hex}",
        }
    }
    monkeypatch.setattr(UserRateThrottle, "rate", "3/minute", raising=False)
    client = APIClient()
    client.force_login(member)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200, 200, 200, 429]


# ---------------------------------------------------------------------------------------------------
# PostgreSQL down: 503


@contextmanager
def database_unreachable():
    """PostgreSQL stops answering for the requests inside: the connection is closed and its settings point
    at a port nothing listens on, so the next query connects again (as after a restart) and fails."""
    connection = connections["default"]
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_database_outage_with_a_json_503(token_client, caplog):
    caplog.set_level(logging.WARNING, logger="fitjourney.outages")
    with database_unreachable():
        responses = [token_client.get("/api/v1/me/") for _ in range(3)]
    for response in responses:
        assert_unavailable_json(response)
        assert "no-store" in response["Cache-Control"]
    # One warning for the outage, not one per request.
    assert len([r for r in caplog.records if r.name == "fitjourney.outages"]) == 1
    assert token_client.get("/api/v1/me/").status_code == 200  # back as soon as the database is


@pytest.mark.django_db(transaction=True)
def test_a_page_answers_a_database_outage_with_the_503_page(client, member):
    client.force_login(member)
    with database_unreachable():
        response = client.get("/today/")
    assert_unavailable_page(response)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("debug", [False, True])
def test_an_outage_met_by_the_middleware_before_any_view_is_a_503_too(member, settings, debug):
    # Signed in with the session: the session and the person are loaded by middleware, before any view.
    # Outside a view Django answers any exception with a 500 (its debug page with DEBUG on).
    settings.DEBUG = debug
    api = APIClient(raise_request_exception=False)
    api.force_login(member)
    with database_unreachable():
        api_response = api.get("/api/v1/me/")
        page_response = api.get("/today/")
    assert_unavailable_json(api_response)
    assert_unavailable_page(page_response)


@pytest.mark.django_db(transaction=True)
def test_the_health_check_names_no_host_or_port(client, settings):
    port = closed_port()
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    with database_unreachable():
        database_port = connections["default"].settings_dict["PORT"]
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert response.json()["components"]["database"] == {"status": "down", "error": "OperationalError"}
    assert response.json()["components"]["redis"] == {"status": "down", "error": "ConnectionError"}
    for secret in ("127.0.0.1", str(port), database_port, connections["default"].settings_dict["NAME"]):
        assert secret not in body


@pytest.mark.parametrize(("path", "api"), [("/api/v1/me/", True), ("/today/", False)], ids=["api", "page"])
def test_the_500_handler_tells_an_outage_from_a_bug(path, api):
    # How Django calls handler500: while the exception is being handled, with no view around it.
    request = RequestFactory().get(path)
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        outage = views.server_error(request)
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        assert sys.exc_info()[0] is RuntimeError
        bug = views.server_error(request)
    assert outage.status_code == 503 and outage["Retry-After"]
    assert bug.status_code == 500
    if api:
        assert json.loads(outage.content)["error"]["code"] == "unavailable"
        assert json.loads(bug.content)["error"] == {
            "status": 500,
            "code": "server_error",
            "message": "Something went wrong on our side. It has been logged.",
            "fields": {},
        }
    else:
        assert b"Back in a moment" in outage.content
        assert b"Something went wrong" in bug.content


# ---------------------------------------------------------------------------------------------------
# The broker down, and plain bugs, in views (a URL configuration of its own, with the project's)


def _enqueue_to_an_unreachable_broker() -> None:
    # Sent for real (send_task ignores the tests' eager mode), to a broker URL nobody listens on; no
    # connection retries, so the failure comes at once.
    url = f"redis://127.0.0.1:{closed_port()}/0"
    with (
        celery_app.connection_for_write(url=url, transport_options={"max_retries": 0}) as connection,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        celery_app.send_task("fitjourney.tests.nothing", connection=connection, retry=False)


class EnqueueApi(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        _enqueue_to_an_unreachable_broker()
        return Response(status=201)


class BrokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


def enqueue_page(request):
    _enqueue_to_an_unreachable_broker()
    return HttpResponse("queued")


def broken_page(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/test-enqueue/", EnqueueApi.as_view()),
    path("api/v1/test-broken/", BrokenApi.as_view()),
    path("test-enqueue/", enqueue_page),
    path("test-broken/", broken_page),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_broker_outage_is_a_503_json_on_the_api_and_the_503_page_elsewhere():
    client = APIClient()
    assert_unavailable_json(client.post("/api/v1/test-enqueue/"))
    assert_unavailable_page(client.get("/test-enqueue/"))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bug_is_a_json_500_on_the_api_and_the_500_page_elsewhere():
    client = APIClient(raise_request_exception=False)
    api = client.get("/api/v1/test-broken/")
    assert api.status_code == 500
    assert api.json()["error"]["code"] == "server_error"
    assert "no-store" in api["Cache-Control"]
    page = client.get("/test-broken/")
    assert page.status_code == 500
    assert b"Something went wrong" in page.content


# ---------------------------------------------------------------------------------------------------
# The broker down after a write committed: the write stands, the client gets its 2xx (fitjourney.queue)


@pytest.fixture
def dead_broker(monkeypatch):
    """Tasks are really published (not run eagerly), to a broker nobody listens on."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{closed_port()}/0")
    monkeypatch.setitem(celery_app.conf, "task_publish_retry", False)
    monkeypatch.setitem(celery_app.conf, "broker_transport_options", {"max_retries": 0})
    # The next publish connects with the settings above (an earlier test may have left pools behind).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    from fitjourney import queue

    queue.warnings.reset()  # its warning is once a minute: an earlier test may have had it
    yield
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db
def test_a_write_whose_follow_up_task_cannot_be_queued_still_succeeds(
    dead_broker, caplog, member, django_capture_on_commit_callbacks
):
    from accounts.models import ApiToken

    client = APIClient()
    client.force_login(member)  # the browser session: not limited by token scopes
    with (
        caplog.at_level(logging.WARNING, logger="fitjourney.queue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/api/v1/tokens/", {"name": "phone"}, format="json")
    assert response.status_code == 201, response.content[:300]
    assert ApiToken.objects.filter(user=member, name="phone").exists()
    assert "its sweep will catch up" in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        export = client.post("/api/v1/exports/", {}, format="json")
    assert export.status_code in (201, 202), export.content[:300]


@pytest.mark.django_db
def test_mail_whose_task_was_lost_is_queued_again_by_the_sweep(member):
    from django.core import mail

    from accounts.models import Notification
    from accounts.services.notifications import notifications_mail_sweep

    lost = Notification.objects.create(user=member, type="system", title="Lost", message="m", channels=["email"])
    recent = Notification.objects.create(user=member, type="system", title="New", message="m", channels=["email"])
    Notification.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(minutes=20))
    assert notifications_mail_sweep() == 1  # tasks run eagerly here: the mail goes out
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.emailed_at is not None and recent.emailed_at is None
    assert [m.subject for m in mail.outbox] == ["[FitJourney] Lost"]
    assert notifications_mail_sweep() == 0
