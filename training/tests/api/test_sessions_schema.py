"""The sessions API answers with output serializers that the schema documents, errors included."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/sessions/", "get"): "200",
    ("/api/v1/sessions/", "post"): "201",
    ("/api/v1/sessions/{session_id}/", "get"): "200",
    ("/api/v1/sessions/{session_id}/", "patch"): "200",
    ("/api/v1/sessions/{session_id}/finish/", "post"): "200",
    ("/api/v1/sessions/{session_id}/exercises/", "get"): "200",
    ("/api/v1/sessions/{session_id}/exercises/", "post"): "201",
    ("/api/v1/sessions/{session_id}/save-as-template/", "post"): "201",
    ("/api/v1/session-exercises/{session_exercise_id}/sets/", "post"): "201",
    ("/api/v1/sets/{set_id}/", "patch"): "200",
    ("/api/v1/templates/", "get"): "200",
    ("/api/v1/templates/{template_id}/start/", "post"): "201",
}


def test_every_sessions_operation_documents_its_answer_and_errors(client):
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    for (path, method), ok in OPERATIONS.items():
        responses = paths[path][method]["responses"]
        schema = responses[ok]["content"]["application/json"]["schema"]
        assert "$ref" in schema or "$ref" in schema.get("items", {}), (path, method)
        for code in ("401", "403"):
            assert responses[code]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
        if "{" in path:
            assert "404" in responses, (path, method)
    assert "422" in paths["/api/v1/sessions/"]["post"]["responses"]
