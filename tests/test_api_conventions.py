"""What every API operation shares: schema, docs, error shape, throttling."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_and_lists_our_operations(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/me/", "/api/v1/tokens/", "/api/v1/tokens/{id}/", "/api/v1/auth/token/"):
        assert path in schema["paths"], path
    assert "personalAccessToken" in schema["components"]["securitySchemes"]


def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


def test_unknown_urls_and_methods_use_the_error_shape(member):
    client = APIClient()
    client.force_login(member)
    for response, status in ((client.get("/api/v1/nothing-here/"), 404), (client.put("/api/v1/me/", {}), 405)):
        assert response.status_code == status
        if response["Content-Type"].startswith("application/json"):
            assert response.json()["error"]["status"] == status


def test_signed_in_requests_are_throttled(monkeypatch, member):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "rate", "3/minute", raising=False)
    client = APIClient()
    client.force_login(member)
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    error = client.get("/api/v1/me/").json()["error"]
    assert error["code"] == "throttled" and error["status"] == 429
