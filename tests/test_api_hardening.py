"""Hostile input to the API: deep and huge bodies, a spoofed X-Forwarded-For, paths that name nothing.

Each is a clear 4xx in the one error format, never a 500, and nothing is half-saved.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from accounts.models import ApiToken
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.profile_kit import noise_png_upload
from fitjourney.api import throttling
from fitjourney.api.parsers import MAX_DEPTH
from fitjourney.client_ip import client_ip
from training.models import Session

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
DOCS = "/api/v1/docs/"
TEN_MB = 10 * 1024 * 1024


def nested(levels: int, inner: str = "1") -> str:
    """A JSON array `levels` deep: nested(2) == "[[1]]"."""
    return "[" * levels + inner + "]" * levels


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert error["status"] == status and error["message"] and isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code, error
    return error


def rate_of(scope: str) -> int:
    """How many requests the scope allows per window, as configured."""
    allowed, _ = AnonRateThrottle().parse_rate(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope])
    assert allowed is not None, f"no rate configured for {scope}"
    return allowed


@pytest.fixture
def raw_client(token_client):
    """The member's token client that answers what the server answered, 500s included."""
    client = APIClient(raise_request_exception=False)
    client.credentials(**token_client._credentials)
    return client


# ---------------------------------------------------------------------------------------------------
# Every hostile request at once: a 4xx in the error format, no 500


HOSTILE = {
    "JSON nested 10,000 levels": lambda c: c.post("/api/v1/sessions/", nested(10_000), content_type="application/json"),
    "a 10 MB JSON body": lambda c: c.post(
        "/api/v1/sessions/", json.dumps({"notes": "x" * TEN_MB}), content_type="application/json"
    ),
    "a 10 MB multipart field": lambda c: c.patch("/api/v1/profile/", {"bio": "x" * TEN_MB}, format="multipart"),
    "an unknown path": lambda c: c.get("/api/v1/nope/"),
    "a POST to an unknown path": lambda c: c.post("/api/v1/nope/", {"a": 1}, format="json"),
    "a non-UUID session id": lambda c: c.get("/api/v1/sessions/not-a-uuid/"),
    "a non-UUID id on DELETE": lambda c: c.delete("/api/v1/meals/12345/"),
    "a non-UUID token id": lambda c: c.get("/api/v1/tokens/not-a-uuid/"),
    "a method the operation lacks": lambda c: c.put("/api/v1/me/", {}, format="json"),
    "malformed JSON": lambda c: c.post("/api/v1/sessions/", "{", content_type="application/json"),
    "a spoofed X-Forwarded-For with garbage": lambda c: c.get("/api/v1/sessions/x/", HTTP_X_FORWARDED_FOR="<script>"),
}


@pytest.mark.parametrize("request_", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_requests_get_a_clear_4xx_in_the_error_format(raw_client, request_):
    response = request_(raw_client)
    assert 400 <= response.status_code < 500, response.content[:300]
    assert_error(response, response.status_code)
    assert not Session.objects.exists()


# ---------------------------------------------------------------------------------------------------
# Depth and size


def test_json_nested_10000_levels_deep_is_a_400_not_a_recursion_error(raw_client):
    response = raw_client.post("/api/v1/sessions/", nested(10_000), content_type="application/json")
    assert "32 levels" in assert_error(response, 400, "too_deep")["message"]
    assert not Session.objects.exists()


def test_the_upload_endpoint_refuses_deep_json_too(raw_client):
    # The profile takes JSON and multipart: its JSON parser is the same one.
    response = raw_client.patch("/api/v1/profile/", nested(10_000), content_type="application/json")
    assert_error(response, 400, "too_deep")


def test_depth_is_refused_above_the_limit_and_not_at_it(raw_client):
    # {"first_name": [[…]]}: the object is one level, the lists the rest.
    too_deep = '{"first_name": ' + nested(MAX_DEPTH) + "}"
    at_limit = '{"first_name": ' + nested(MAX_DEPTH - 1) + "}"
    assert_error(raw_client.patch("/api/v1/me/", too_deep, content_type="application/json"), 400, "too_deep")
    # At the limit the body is read, and the serializer says what is wrong with it.
    error = assert_error(raw_client.patch("/api/v1/me/", at_limit, content_type="application/json"), 400, "invalid")
    assert "first_name" in error["fields"]


def test_a_10_mb_json_body_is_a_413_and_saves_nothing(raw_client):
    body = json.dumps({"activity_type": "x", "notes": "x" * TEN_MB})
    response = raw_client.post("/api/v1/sessions/", body, content_type="application/json")
    assert "2.5 MB" in assert_error(response, 413, "too_large")["message"]
    assert not Session.objects.exists()


def test_uploaded_files_do_not_count_towards_the_body_limit(token_client, member, settings):
    # Photos travel as multipart files, which stream to storage: only the other fields are held in memory.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    upload = noise_png_upload(side=200)
    assert upload.size > 100_000
    response = token_client.patch("/api/v1/profile/", {"avatar": upload}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["avatar"]


def test_a_page_refuses_a_too_large_form_with_a_friendly_413(client):
    response = client.post("/accounts/login/", {"login": "x@example.com", "password": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"could not be read" in response.content


# ---------------------------------------------------------------------------------------------------
# Paths that name nothing


@pytest.mark.parametrize(
    "path", ["/api/v1/nope/", "/api/v1/sessions/not-a-uuid/", "/api/v1/sessions/123/finish/", "/api/v1/"]
)
def test_paths_that_name_nothing_are_a_json_404(raw_client, path):
    assert_error(raw_client.get(path), 404, "not_found")


def test_a_404_for_anonymous_callers_is_json_too():
    assert_error(APIClient().get("/api/v1/nope/"), 404, "not_found")


def test_pages_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Page not found" in response.content


# ---------------------------------------------------------------------------------------------------
# Shared caches never keep personal responses


def test_personal_api_responses_are_never_stored_by_a_cache(token_client):
    for response in (token_client.get("/api/v1/me/"), token_client.get("/api/v1/nope/")):
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_a_new_token_is_never_stored_by_a_cache(api_client):
    UserFactory(email="cli@example.com")
    response = api_client.post(TOKEN, {"email": "cli@example.com", "password": PASSWORD, "name": "cli"}, format="json")
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]


def test_the_public_schema_may_be_cached(api_client):
    response = api_client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# ---------------------------------------------------------------------------------------------------
# X-Forwarded-For: believed only as far as our proxies wrote it (TRUSTED_PROXY_COUNT)


@pytest.fixture
def behind_one_proxy(settings):
    """A deployment with one reverse proxy in front (TRUSTED_PROXY_COUNT=1), as base.py derives it."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_one_setting_feeds_the_throttles_the_lockout_and_the_audit_trail():
    assert django_settings.TRUSTED_PROXY_COUNT == 0
    assert django_settings.REST_FRAMEWORK["NUM_PROXIES"] == django_settings.TRUSTED_PROXY_COUNT
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == django_settings.TRUSTED_PROXY_COUNT
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "fitjourney.client_ip.client_ip"
    assert all(
        path.startswith("fitjourney.api.throttling.")
        for path in django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "192.0.2.1"),
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy of ours: the header is the client's word
        (1, None, "192.0.2.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client prepended proves nothing
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ],
)
def test_drf_allauth_and_our_helper_read_the_client_the_same_way(settings, proxies, forwarded, expected):
    from allauth.core.internal.httpkit import get_client_ip as allauth_client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)
    assert client_ip(request) == expected
    assert throttling.AnonRateThrottle().get_ident(request) == expected
    assert AnonRateThrottle().get_ident(request) == expected  # DRF's own reading, from NUM_PROXIES
    assert allauth_client_ip(request) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9:5123", "203.0.113.9"),  # some proxies write the client's port too
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("<script>", "192.0.2.1"),  # not an address: the socket's is all we know
        ("203.0.113.9, unknown", "192.0.2.1"),
    ],
)
def test_behind_a_proxy_our_helper_reads_ports_and_refuses_garbage(behind_one_proxy, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_a_garbage_header_is_no_500_and_records_the_socket_address(api_client, behind_one_proxy):
    UserFactory(email="cli@example.com")
    body = {"email": "cli@example.com", "password": PASSWORD, "name": "cli"}
    response = api_client.post(TOKEN, body, format="json", HTTP_X_FORWARDED_FOR="'; DROP TABLE x; --")
    assert response.status_code == 201
    assert ApiToken.objects.get().ip_address == "127.0.0.1"


def test_a_new_x_forwarded_for_each_time_does_not_escape_the_anonymous_throttle(api_client):
    limit = rate_of("anon")
    statuses = [api_client.get(DOCS, HTTP_X_FORWARDED_FOR=f"203.0.113.{i % 250}").status_code for i in range(limit)]
    assert statuses == [200] * limit
    response = api_client.get(DOCS, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_a_new_x_forwarded_for_each_time_does_not_escape_the_token_throttle(api_client):
    limit = rate_of("token_obtain")
    for i in range(limit):
        response = api_client.post(
            TOKEN,
            {"email": f"x{i}@example.com", "password": "p", "name": "n"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        assert response.status_code == 401
    response = api_client.post(
        TOKEN,
        {"email": "y@example.com", "password": "p", "name": "n"},
        format="json",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert_error(response, 429, "throttled")


def test_a_new_x_forwarded_for_each_time_does_not_escape_the_login_lockout(api_client):
    UserFactory(email="target@example.com")
    limit = django_settings.AXES_FAILURE_LIMIT
    statuses = [
        api_client.post(
            TOKEN,
            {"email": "target@example.com", "password": "wrong", "name": "n"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(limit)
    ]
    assert statuses == [401] * (limit - 1) + [429]
    response = api_client.post(
        TOKEN,
        {"email": "target@example.com", "password": PASSWORD, "name": "n"},
        format="json",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert_error(response, 429, "locked_out")
    assert not ApiToken.objects.exists()


def test_behind_a_proxy_the_throttle_counts_each_client_apart(api_client, behind_one_proxy):
    def attempt(i: int, forwarded: str):
        body = {"email": f"x{i}@example.com", "password": "p", "name": "n"}  # no lockout: a new login each
        return api_client.post(TOKEN, body, format="json", HTTP_X_FORWARDED_FOR=forwarded)

    limit = rate_of("token_obtain")
    assert [attempt(i, "203.0.113.5").status_code for i in range(limit)] == [401] * limit
    assert_error(attempt(limit, "203.0.113.5"), 429, "throttled")
    # Another client behind the same proxy (the same REMOTE_ADDR) has its own allowance.
    assert attempt(limit + 1, "203.0.113.6").status_code == 401


def test_behind_a_proxy_the_lockout_is_per_client(api_client, behind_one_proxy):
    UserFactory(email="target@example.com")
    wrong = {"email": "target@example.com", "password": "wrong", "name": "n"}
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN, wrong, format="json", HTTP_X_FORWARDED_FOR="203.0.113.5")
    right = {**wrong, "password": PASSWORD}
    assert_error(api_client.post(TOKEN, right, format="json", HTTP_X_FORWARDED_FOR="203.0.113.5"), 429, "locked_out")
    assert api_client.post(TOKEN, right, format="json", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 201


def test_behind_a_proxy_the_audit_trail_records_the_client(api_client, behind_one_proxy):
    UserFactory(email="cli@example.com")
    body = {"email": "cli@example.com", "password": PASSWORD, "name": "cli"}
    response = api_client.post(TOKEN, body, format="json", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert response.status_code == 201
    assert ApiToken.objects.get().ip_address == "203.0.113.7"


def test_without_a_proxy_the_audit_trail_ignores_the_header(api_client):
    UserFactory(email="cli@example.com")
    body = {"email": "cli@example.com", "password": PASSWORD, "name": "cli"}
    response = api_client.post(TOKEN, body, format="json", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 201
    assert ApiToken.objects.get().ip_address == "127.0.0.1"
