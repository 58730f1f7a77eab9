"""The data export and the account erasure over the API."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditAction, AuditLog, DataExport, ExportStatus, User
from accounts.services import api_token_create
from accounts.services.privacy import export_build, export_request
from accounts.tests.factories import PASSWORD, UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

EXPORTS = "/api/v1/exports/"
ERASE = "/api/v1/account/erase/"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _detail(export):
    return f"{EXPORTS}{export.pk}/"


def _download(export):
    return f"{EXPORTS}{export.pk}/download/"


def _ready_export(user):
    export = export_request(user=user, background=False)
    return export_build(export_id=export.pk)


def test_asking_for_an_export_is_accepted_and_builds_after_commit(
    token_client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client.post(EXPORTS, {}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == ExportStatus.PENDING and body["progress"] == 0 and body["download_url"] is None
    export = DataExport.objects.get(pk=body["id"])
    assert export.user == member and export.status == ExportStatus.READY


def test_a_second_request_while_one_is_being_prepared_is_a_409(token_client):
    assert token_client.post(EXPORTS).status_code == 202
    response = token_client.post(EXPORTS)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "export_in_progress"


def test_unknown_fields_are_refused(token_client):
    response = token_client.post(EXPORTS, {"user": "someone-else"}, format="json")
    assert response.status_code == 400 and "user" in response.json()["error"]["fields"]
    assert not DataExport.objects.exists()


def test_the_export_shows_its_progress_and_then_where_to_download_it(token_client, member):
    export = export_request(user=member, background=False)
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=37, progress_message="Busy")
    running = token_client.get(_detail(export)).json()
    assert (running["status"], running["progress"], running["progress_message"]) == ("running", 37, "Busy")
    assert running["download_url"] is None

    # That build is gone (a running export that still moves is never built twice); a new one finishes it.
    DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(hours=1))
    export_build(export_id=export.pk)
    ready = token_client.get(_detail(export)).json()
    assert ready["status"] == "ready" and ready["progress"] == 100 and ready["size_bytes"] > 0
    assert ready["download_url"] == f"http://testserver{_download(export)}"

    # The download itself: a GET with the same token.
    response = token_client.get(ready["download_url"])
    assert response.status_code == 200
    assert "accounts.user.json" in zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))).namelist()
    done = token_client.get(_detail(export)).json()
    assert done["status"] == "downloaded" and done["download_url"] is None and done["downloaded_at"]


def test_the_list_shows_only_my_exports_and_does_not_grow_in_queries(token_client, member):
    _ready_export(UserFactory())
    _ready_export(member)
    with assert_max_queries(5) as few:
        body = token_client.get(EXPORTS).json()
    assert body["count"] == 1
    for _ in range(5):
        DataExport.objects.filter(user=member).update(status=ExportStatus.EXPIRED)
        _ready_export(member)
    with assert_max_queries(len(few)):
        body = token_client.get(EXPORTS).json()
    assert body["count"] == 6


def test_access_to_every_export_operation(personas):
    export = _ready_export(personas.owner)
    client = APIClient()
    assert_access(
        client,
        personas,
        lambda c: c.get(EXPORTS),
        {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(_detail(export)),
        {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(
        client,
        personas,
        lambda c: c.post(EXPORTS),
        {"anonymous": 401, "owner": 202, "other_member": 202, "trainer": 202, "staff": 202},
    )
    assert_access(
        client,
        personas,
        lambda c: c.delete(_detail(export)),
        {"anonymous": 401, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405},
    )
    assert_access(
        client,
        personas,
        lambda c: c.post(ERASE, {"password": "wrong"}, format="json"),
        {"anonymous": 401, "owner": 400, "other_member": 400, "trainer": 400, "staff": 400},
    )
    assert User.objects.count() == 4


def test_a_wrong_password_is_a_field_error_and_changes_nothing(token_client, member):
    response = token_client.post(ERASE, {"password": "not it"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"password": ["That is not your password. Nothing was changed."]}
    member.refresh_from_db()
    assert member.deleted_at is None and token_client.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("body", [{}, {"password": ""}, {"password": PASSWORD, "extra": 1}])
def test_a_bad_erase_body_is_a_400(token_client, member, body):
    assert token_client.post(ERASE, body, format="json").status_code == 400
    member.refresh_from_db()
    assert member.deleted_at is None


def test_erasing_with_a_token_revokes_it_and_anonymises_the_account(token_client, member):
    response = token_client.post(ERASE, {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    erased = User.all_objects.get(pk=member.pk)
    assert erased.email == f"deleted_{member.pk}@anonymized.local" and erased.deleted_at is not None
    assert not ApiToken.objects.filter(user=member).exists()
    assert token_client.get("/api/v1/me/").status_code == 401


def test_erasing_with_the_session_signs_out(member):
    client = APIClient()
    client.force_login(member)
    assert client.post(ERASE, {"password": PASSWORD}, format="json").status_code == 204
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_password_guesses_are_throttled(token_client, monkeypatch):
    from accounts.api.privacy import PasswordCheckThrottle

    monkeypatch.setattr(PasswordCheckThrottle, "rate", "2/minute", raising=False)
    statuses = [token_client.post(ERASE, {"password": "guess"}, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_the_schema_documents_the_privacy_operations(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert {"/api/v1/exports/", "/api/v1/exports/{id}/", "/api/v1/account/erase/"} <= set(schema["paths"])
    assert "202" in schema["paths"]["/api/v1/exports/"]["post"]["responses"]


# Downloading over the API


def _as(issued) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    return client


def test_a_token_downloads_the_zip_with_a_get_once(member):
    export = _ready_export(member)
    client = _as(api_token_create(user=member, name="script", scopes=["read"]))

    response = client.get(_download(export), HTTP_ACCEPT="application/zip")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="fitjourney-export-')
    assert "accounts.user.json" in zipfile.ZipFile(BytesIO(b"".join(response.streaming_content))).namelist()
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED
    assert AuditLog.objects.filter(action=AuditAction.EXPORT_DOWNLOAD, entity_id=str(export.pk)).count() == 1

    again = client.get(_download(export), HTTP_ACCEPT="application/zip")
    assert again.status_code == 410 and again["Content-Type"] == "application/json"
    assert again.json()["error"]["code"] == "export_downloaded"


def test_access_to_the_download(personas):
    export = _ready_export(personas.owner)
    assert_access(
        APIClient(),
        personas,
        lambda c: c.get(_download(export)),
        {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED


def test_download_errors_use_the_json_error_format(member):
    client = _as(api_token_create(user=member, name="script"))
    anonymous = APIClient().get(_download(_ready_export(UserFactory())))
    assert anonymous.status_code == 401 and anonymous.json()["error"]["status"] == 401

    someone_elses = _ready_export(UserFactory())
    refused = client.get(_download(someone_elses), HTTP_ACCEPT="application/zip")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    someone_elses.refresh_from_db()
    assert someone_elses.status == ExportStatus.READY

    waiting = export_request(user=member, background=False)
    not_ready = client.get(_download(waiting))
    assert not_ready.status_code == 409 and not_ready.json()["error"]["code"] == "export_not_ready"

    DataExport.objects.filter(pk=waiting.pk).update(status=ExportStatus.EXPIRED)
    expired = client.get(_download(waiting))
    assert expired.status_code == 410 and expired.json()["error"]["code"] == "export_expired"

    assert client.post(_download(waiting)).status_code == 405
    assert client.get(f"{EXPORTS}not-a-uuid/download/").status_code == 404


def test_a_ready_export_past_its_seven_days_is_not_downloaded(member):
    export = _ready_export(member)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _as(api_token_create(user=member, name="script")).get(_download(export))
    assert response.status_code == 410 and response.json()["error"]["code"] == "export_expired"


def test_a_token_without_read_cannot_download(member):
    export = _ready_export(member)
    response = _as(api_token_create(user=member, name="manager", scopes=["tokens"])).get(_download(export))
    assert response.status_code == 403 and response.json()["error"]["code"] == "insufficient_scope"
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_the_session_downloads_over_the_api_too(member):
    export = _ready_export(member)
    client = APIClient()
    client.force_login(member)
    assert client.get(_download(export)).status_code == 200


def test_the_schema_documents_the_download_and_its_errors(client):
    operation = client.get("/api/v1/schema/?format=json").json()["paths"]["/api/v1/exports/{id}/download/"]["get"]
    assert set(operation["responses"]) == {"200", "401", "403", "404", "409", "410"}
    assert operation["responses"]["200"]["content"]["application/zip"]["schema"]["format"] == "binary"
    assert "ErrorResponse" in operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
