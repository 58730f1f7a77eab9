"""coaching's API operations document their answers: an output serializer, and the errors in the one shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PREFIXES = (
    "/api/v1/intake/",
    "/api/v1/habit",
    "/api/v1/journal/",
    "/api/v1/checkins/",
    "/api/v1/summaries/",
    "/api/v1/trainer",
    "/api/v1/clients/",
    "/api/v1/cards/",
    "/api/v1/locations/",
)


def test_every_coaching_operation_documents_its_errors_as_the_shared_error_response(member):
    client = APIClient()
    client.force_login(member)
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    operations = [
        (path, method, operation)
        for path, item in paths.items()
        if path.startswith(PREFIXES)
        for method, operation in item.items()
    ]
    assert len(operations) >= 25
    for path in (
        "/api/v1/trainer-dashboard/",
        "/api/v1/clients/{client_id}/timeline/",
        "/api/v1/clients/{client_id}/stats/",
        "/api/v1/trainer-links/{link_id}/stats/",
        "/api/v1/locations/",
    ):
        assert any(p == path for p, _, _ in operations), path
    for path, method, operation in operations:
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (method, path)
        for status in ("400", "401", "403", "404"):
            if status in responses:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/ErrorResponse"), (method, path, status)
        if method in ("post", "put", "patch"):
            assert "400" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
