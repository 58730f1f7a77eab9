"""Right of access: ask for a copy of your data, watch it being built, download it once."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AuditAction,
    AuditLog,
    DataExport,
    ExportStatus,
    Notification,
    NotificationType,
    Profile,
)
from accounts.services import api_token_create
from accounts.services.audit import audit_record
from accounts.services.privacy import (
    ExportInProgress,
    data_exports_expire,
    export_build,
    export_kinds,
    export_request,
)
from accounts.services.profiles import profile_update
from accounts.tasks import build_data_export, expire_data_exports
from accounts.tests.factories import UserFactory
from fitjourney.hooks import personal_data
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:privacy")
REQUEST = reverse("accounts:export-request")
AVATAR = b"\x89PNG\r\n\x1a\n not really an image, but bytes to find in the zip"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _status_url(export):
    return reverse("accounts:export-status", args=[export.pk])


def _download_url(export):
    return reverse("accounts:export-download", args=[export.pk])


def _person_with_data(marker: str, **kwargs):
    """A person with a row in every accounts model, each carrying `marker` where there is text."""
    user = UserFactory.create(first_name=f"{marker}first", last_name=f"{marker}last", **kwargs)
    profile = Profile.objects.get(user=user)
    profile_update(
        profile=profile,
        changes={"bio": f"{marker} bio", "location": f"{marker}ville"},
        changed_by="user",
        changed_by_user=user,
    )
    avatar = default_storage.save(f"avatars/{user.pk}/{marker}.png", ContentFile(AVATAR))
    Profile.objects.filter(user=user).update(avatar=avatar)
    for day in range(3):
        Notification.objects.create(
            user=user, type=NotificationType.SYSTEM, title=f"{marker} news {day}", message=f"{marker} message"
        )
    api_token_create(user=user, name=f"{marker} phone")
    audit_record(action=AuditAction.SETTINGS_UPDATE, actor=user, old_values={"first_name": f"{marker}old"})
    return user


def _built(user, django_capture_on_commit_callbacks):
    """Asks for an export and runs what the request queued (the Celery task, eagerly)."""
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=user)
    export.refresh_from_db()
    return export


def _zip(export) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


# Building


def test_the_export_holds_the_persons_data_and_nobody_elses(django_capture_on_commit_callbacks):
    owner = _person_with_data("zorblax")
    other = _person_with_data("quimby")

    export = _built(owner, django_capture_on_commit_callbacks)

    assert export.status == ExportStatus.READY and export.progress == 100
    assert export.size_bytes == export.file.size > 0
    assert export.expires_at - export.finished_at == timedelta(days=7)
    archive = _zip(export)
    names = set(archive.namelist())
    for entry in personal_data.registered():
        assert f"{entry.kind}.json" in names
        assert (f"{entry.kind}.csv" in names) == entry.csv
    assert "README.txt" in names
    avatar = Profile.objects.get(user=owner).avatar.name
    assert archive.read(f"media/{avatar}") == AVATAR

    everything = b"".join(archive.read(name) for name in names).decode("utf-8", "replace")
    assert "zorblax" in everything
    for trace in ("quimby", other.email, other.username, str(other.pk)):
        assert trace not in everything, f"{trace} leaked into {owner.email}'s export"


def test_json_rows_use_the_registered_fields_with_iso_dates(django_capture_on_commit_callbacks):
    owner = _person_with_data("zorblax")
    archive = _zip(_built(owner, django_capture_on_commit_callbacks))

    [me] = json.loads(archive.read("accounts.user.json"))
    assert me["email"] == owner.email and me["id"] == str(owner.pk)
    assert "password" not in me
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", me["created_at"])

    [token] = json.loads(archive.read("accounts.apitoken.json"))
    assert token["name"] == "zorblax phone" and "token_hash" not in token

    notifications = json.loads(archive.read("accounts.notification.json"))
    assert sorted(n["title"] for n in notifications) == [f"zorblax news {day}" for day in range(3)]
    entry = personal_data.entry_for(Notification)
    assert list(notifications[0]) == entry.export_fields()

    emails = json.loads(archive.read("account.emailaddress.json"))
    assert emails == [{"email": owner.email, "verified": True, "primary": True}]

    trail = json.loads(archive.read("accounts.auditlog.json"))
    assert {row["action"] for row in trail} >= {AuditAction.SETTINGS_UPDATE, AuditAction.EXPORT_REQUEST}
    assert all(row["subject_id"] == str(owner.pk) for row in trail)


def test_csv_files_have_a_header_and_one_line_per_row(django_capture_on_commit_callbacks):
    owner = _person_with_data("zorblax")
    Notification.objects.create(user=owner, type=NotificationType.SOCIAL, title="=HYPERLINK(evil)", message="m")
    archive = _zip(_built(owner, django_capture_on_commit_callbacks))

    text = archive.read("accounts.notification.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert list(rows[0]) == personal_data.entry_for(Notification).export_fields()
    titles = {row["title"] for row in rows}
    assert "'=HYPERLINK(evil)" in titles  # a spreadsheet must not run someone else's text as a formula
    assert all(re.match(r"\d{4}-\d\d-\d\dT", row["created_at"]) for row in rows)


def test_the_readme_explains_the_files(django_capture_on_commit_callbacks):
    archive = _zip(_built(_person_with_data("zorblax"), django_capture_on_commit_callbacks))
    readme = archive.read("README.txt").decode()
    assert "accounts.notification.json" in readme and "3 rows" in readme
    assert "ISO 8601" in readme and "media/" in readme


def test_a_file_missing_from_storage_is_named_in_the_readme(django_capture_on_commit_callbacks):
    owner = UserFactory()
    Profile.objects.filter(user=owner).update(avatar="avatars/gone.png")
    archive = _zip(_built(owner, django_capture_on_commit_callbacks))
    assert "could no longer be found: avatars/gone.png" in archive.read("README.txt").decode()
    assert not any(name.startswith("media/") for name in archive.namelist())


def test_progress_is_written_to_the_export_as_it_goes_and_reaches_100():
    owner = _person_with_data("zorblax")
    export = export_request(user=owner, background=False)
    seen = []

    def progress(percent, message):
        stored = DataExport.objects.get(pk=export.pk)
        seen.append((percent, message, stored.progress, stored.status))

    built = export_build(export_id=export.pk, progress=progress)

    percents = [p for p, *_ in seen]
    assert percents == sorted(percents) and percents[-1] == 100 and len(set(percents)) > 3
    for percent, _message, stored, status in seen[:-1]:
        assert status == ExportStatus.RUNNING and stored == percent  # the page sees what the callback sees
    assert any("notifications" in message for _p, message, *_ in seen)
    assert built.progress == 100 and built.progress_message == "Ready to download"


def test_the_task_reports_progress_to_celery(monkeypatch):
    owner = UserFactory()
    export = export_request(user=owner, background=False)
    states = []
    monkeypatch.setattr(build_data_export, "update_state", lambda **kwargs: states.append(kwargs))

    assert build_data_export.run(str(export.pk)) == ExportStatus.READY

    assert states and all(state["state"] == "PROGRESS" for state in states)
    assert states[-1]["meta"] == {"export_id": str(export.pk), "progress": 100, "message": "Ready to download"}


def test_building_twice_builds_once(django_capture_on_commit_callbacks):
    export = _built(_person_with_data("zorblax"), django_capture_on_commit_callbacks)
    name, finished = export.file.name, export.finished_at

    again = export_build(export_id=export.pk)

    assert again.status == ExportStatus.READY and again.file.name == name and again.finished_at == finished


def test_an_interrupted_build_can_run_again():
    owner = _person_with_data("zorblax")
    export = export_request(user=owner, background=False)
    stopped = timezone.now() - timedelta(minutes=6)
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=40, progress_at=stopped)

    assert export_build(export_id=export.pk).status == ExportStatus.READY


def test_a_build_that_still_moves_is_not_started_twice():
    owner = UserFactory()
    export = export_request(user=owner, background=False)
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=40, attempts=1)

    again = export_build(export_id=export.pk)

    assert (again.status, again.progress, again.attempts) == (ExportStatus.RUNNING, 40, 1)


def test_a_failing_build_is_marked_failed_with_the_error(monkeypatch):
    owner = UserFactory()
    export = export_request(user=owner, background=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("accounts.services.privacy._write_archive", broken)
    with pytest.raises(RuntimeError):
        export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "disk full" in export.error
    assert "ask again" in export.progress_message
    assert export_request(user=owner, background=False)  # a failed export does not block a new one


def test_an_export_deleted_while_building_leaves_no_file(django_capture_on_commit_callbacks, private_media):
    owner = UserFactory()
    export = export_request(user=owner, background=False)

    def erase_meanwhile(percent, message):
        if percent >= 50:
            DataExport.objects.filter(pk=export.pk).delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert export_build(export_id=export.pk, progress=erase_meanwhile) is None
    assert not any(p.is_file() for p in private_media.rglob("*"))


def test_a_second_export_is_refused_while_one_is_being_prepared():
    owner = UserFactory()
    export_request(user=owner, background=False)
    with pytest.raises(ExportInProgress, match="already being prepared"):
        export_request(user=owner, background=False)
    assert DataExport.objects.filter(user=owner).count() == 1


def test_the_request_is_audited_and_the_build_queued_after_commit(django_capture_on_commit_callbacks):
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export = export_request(user=owner)
    assert export.status == ExportStatus.PENDING and len(callbacks) == 1
    assert AuditLog.objects.filter(action=AuditAction.EXPORT_REQUEST, subject_id=owner.pk).exists()


def test_an_erased_account_cannot_ask_for_an_export():
    owner = UserFactory()
    owner.deleted_at, owner.account_status = timezone.now(), "deleted"
    with pytest.raises(ValidationError):
        export_request(user=owner, background=False)


def test_the_owner_is_notified_when_the_export_is_ready(django_capture_on_commit_callbacks):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    notification = Notification.objects.get(user=owner, title="Your data export is ready")
    assert notification.action_url == PAGE and notification.related_id == str(export.pk)


# Downloading


def test_the_download_works_once_for_its_owner(client, django_capture_on_commit_callbacks):
    owner = _person_with_data("zorblax")
    export = _built(owner, django_capture_on_commit_callbacks)
    client.force_login(owner)

    assert client.get(_download_url(export)).status_code == 200  # a GET only shows the button
    response = client.post(_download_url(export))

    assert response.status_code == 200
    today = export.finished_at.date().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="fitjourney-export-{today}.zip"'
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert "accounts.user.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED and export.downloaded_at is not None
    assert AuditLog.objects.filter(action=AuditAction.EXPORT_DOWNLOAD, entity_id=str(export.pk)).count() == 1

    again = client.post(_download_url(export))
    assert again.status_code == 410
    assert "already downloaded" in again.content.decode() and "ask for a new one" in again.content.decode()
    assert client.get(_download_url(export)).status_code == 410


def test_the_stored_file_is_deleted_once_downloaded(client, django_capture_on_commit_callbacks, private_media):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_download_url(export))
    assert len(b"".join(response.streaming_content)) == export.size_bytes  # the open file still streams
    assert not any(p.is_file() for p in private_media.rglob("*"))


def test_an_expired_export_is_refused(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(owner)

    response = client.post(_download_url(export))

    assert response.status_code == 410 and "expired" in response.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.downloaded_at is None


def test_an_export_not_ready_yet_cannot_be_downloaded(client):
    owner = UserFactory()
    export = export_request(user=owner, background=False)
    client.force_login(owner)
    assert client.post(_download_url(export)).status_code == 409


def test_another_persons_export_does_not_exist_for_them(client, django_capture_on_commit_callbacks):
    export = _built(UserFactory(), django_capture_on_commit_callbacks)
    client.force_login(UserFactory())
    for response in (
        client.post(_download_url(export)),
        client.get(_download_url(export)),
        client.get(_status_url(export), HTTP_HX_REQUEST="true"),
    ):
        assert response.status_code == 404
    export.refresh_from_db()
    assert export.status == ExportStatus.READY


def test_the_download_accepts_a_personal_access_token(django_capture_on_commit_callbacks):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    issued = api_token_create(user=owner, name="script")
    stranger = api_token_create(user=UserFactory(), name="other")
    client = Client()

    assert client.post(_download_url(export), HTTP_AUTHORIZATION="Bearer fj_nonsense").status_code == 401
    refused = client.post(_download_url(export), HTTP_AUTHORIZATION=f"Bearer {stranger.raw}")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    response = client.post(_download_url(export), HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    again = client.post(_download_url(export), HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert again.status_code == 410 and again.json()["error"]["code"] == "export_downloaded"


def test_opening_the_download_url_with_a_token_and_get_downloads_the_zip(django_capture_on_commit_callbacks):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    issued = api_token_create(user=owner, name="script", scopes=["read"])
    client = Client()

    for header, status, code in (
        ("Bearer fj_nonsense", 401, "authentication_failed"),
        (f"Bearer {api_token_create(user=UserFactory(), name='other').raw}", 404, "not_found"),
        (f"Bearer {api_token_create(user=owner, name='manager', scopes=['tokens']).raw}", 403, "insufficient_scope"),
    ):
        refused = client.get(_download_url(export), HTTP_AUTHORIZATION=header)
        assert refused.status_code == status and refused.json()["error"]["code"] == code

    response = client.get(_download_url(export), HTTP_AUTHORIZATION=f"bearer {issued.raw}")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "accounts.user.json" in zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    again = client.get(_download_url(export), HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert again.status_code == 410 and again.json()["error"]["code"] == "export_downloaded"


def test_a_session_download_needs_the_csrf_token(django_capture_on_commit_callbacks):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post(_download_url(export)).status_code == 403
    page = client.get(_download_url(export))
    token = page.context["csrf_token"]
    assert client.post(_download_url(export), {"csrfmiddlewaretoken": token}).status_code == 200


# The nightly clean-up


def test_the_nightly_task_expires_ready_exports_and_deletes_their_files(
    django_capture_on_commit_callbacks, private_media
):
    owner = UserFactory()
    export = _built(owner, django_capture_on_commit_callbacks)
    fresh = _built(UserFactory(), django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        assert data_exports_expire(now=timezone.now() + timedelta(days=6)) == 0
        assert expire_data_exports.delay().get() == 0
        assert data_exports_expire(now=timezone.now() + timedelta(days=7, minutes=1)) == 2
        assert data_exports_expire(now=timezone.now() + timedelta(days=8)) == 0  # safe to run twice

    for item in (export, fresh):
        item.refresh_from_db()
        assert item.status == ExportStatus.EXPIRED and not item.file
    assert not any(p.is_file() for p in private_media.rglob("*"))


def test_an_export_stuck_for_a_day_is_failed_so_a_new_one_can_be_asked_for():
    owner = UserFactory()
    stuck = export_request(user=owner, background=False)

    assert data_exports_expire(now=timezone.now() + timedelta(hours=25)) == 1

    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED
    assert export_request(user=owner, background=False)


# The page


def test_the_page_offers_an_export_and_the_account_deletion(client):
    owner = UserFactory()
    client.force_login(owner)
    page = client.get(PAGE).content.decode()
    assert "Ask for a copy of my data" in page and f'action="{REQUEST}"' in page
    assert "Delete my account" in page and 'name="password"' in page and 'name="confirm"' in page
    assert "After 90 days" in page


def test_asking_shows_a_progress_bar_that_polls_every_second(client):
    owner = UserFactory()
    client.force_login(owner)

    response = client.post(REQUEST, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="exports")

    assert response.status_code == 201
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="exports"') and "<html" not in body
    export = DataExport.objects.get(user=owner)
    assert f'hx-get="{_status_url(export)}"' in body and 'hx-trigger="every 1s"' in body
    assert re.search(r'<progress id="export-progress" max="100" value="0"\s+aria-valuemin="0"', body)
    assert '<label for="export-progress">' in body and ">0%<" in body


def test_the_polled_fragment_stops_polling_once_ready(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    export = export_request(user=owner, background=False)
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=42, progress_message="Busy")

    running = client.get(_status_url(export), HTTP_HX_REQUEST="true").content.decode()
    assert running.lstrip().startswith('<div id="export-status"') and 'hx-trigger="every 1s"' in running
    assert 'value="42"' in running and 'aria-valuenow="42"' in running and ">42%<" in running

    # The build that wrote 42 % is gone (a running export that still moves is never built twice).
    DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(hours=1))
    export_build(export_id=export.pk)
    ready = client.get(_status_url(export), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in ready and "<progress" not in ready
    assert f'action="{_download_url(export)}"' in ready and "Download your data" in ready


def test_the_status_url_without_htmx_goes_to_the_page(client):
    owner = UserFactory()
    client.force_login(owner)
    export = export_request(user=owner, background=False)
    assert client.get(_status_url(export)).url == PAGE


def test_asking_twice_says_an_export_is_already_being_prepared(client):
    owner = UserFactory()
    client.force_login(owner)
    client.post(REQUEST)
    response = client.post(REQUEST, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "already being prepared" in response.content.decode()
    followed = client.post(REQUEST, follow=True)
    assert "already being prepared" in followed.content.decode()
    assert DataExport.objects.filter(user=owner).count() == 1


def test_the_page_lists_earlier_exports(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    first = _built(owner, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=first.pk).update(status=ExportStatus.DOWNLOADED, downloaded_at=timezone.now())
    export_request(user=owner, background=False)
    page = client.get(PAGE).content.decode()
    assert "Earlier exports" in page and "Downloaded" in page and 'hx-trigger="every 1s"' in page


def test_the_page_query_count_does_not_grow_with_the_exports(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    _built(owner, django_capture_on_commit_callbacks)
    client.get(PAGE)  # warm the session and caches
    with assert_num_queries(PAGE_QUERIES):
        client.get(PAGE)
    for _ in range(12):
        DataExport.objects.filter(user=owner).update(status=ExportStatus.EXPIRED)
        _built(owner, django_capture_on_commit_callbacks)
    with assert_num_queries(PAGE_QUERIES):
        response = client.get(PAGE)
    assert len(response.context["previous"]) == 9  # the current one and the nine before it
    with assert_num_queries(0):
        response.content.decode()


# The session, the person, and one for the exports (the current one is the first of the list).
PAGE_QUERIES = 3


def test_the_command_builds_an_export_for_staff_answering_by_mail(tmp_path, capsys):
    owner = _person_with_data("zorblax")
    target = tmp_path / "answer.zip"

    call_command("export_personal_data", owner.email.upper(), "--output", str(target))

    out = capsys.readouterr().out
    assert "100%" in out and "#" * 30 in out and str(target) in out
    assert "accounts.user.json" in zipfile.ZipFile(target).namelist()
    export = DataExport.objects.get(user=owner)
    assert export.status == ExportStatus.DOWNLOADED
    labels = set(AuditLog.objects.filter(subject_id=owner.pk).values_list("action", "actor_label"))
    assert (AuditAction.EXPORT_REQUEST, "manage.py export_personal_data") in labels
    assert (AuditAction.EXPORT_DOWNLOAD, "manage.py export_personal_data") in labels


def test_the_command_refuses_an_unknown_email():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No account"):
        call_command("export_personal_data", "nobody@example.com")


# Access


def test_access_to_every_export_url(client, personas, django_capture_on_commit_callbacks):
    export = _built(personas.owner, django_capture_on_commit_callbacks)
    not_mine = {"other_member": 404, "trainer": 404, "staff": 404}
    assert_access(
        client,
        personas,
        lambda c: c.get(PAGE),
        {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(_status_url(export), HTTP_HX_REQUEST="true"),
        {"anonymous": 302, "owner": 200, **not_mine},
    )
    assert_access(
        client, personas, lambda c: c.get(_download_url(export)), {"anonymous": 302, "owner": 200, **not_mine}
    )
    assert_access(
        client, personas, lambda c: c.post(_download_url(export)), {"anonymous": 302, "owner": 200, **not_mine}
    )
    assert_access(
        client,
        personas,
        lambda c: c.post(REQUEST),
        {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302},
    )
    client.force_login(personas.owner)
    assert client.get(REQUEST).status_code == 405  # a GET never writes
    assert client.post(PAGE).status_code == 405
    assert client.post(_status_url(export)).status_code == 405
    assert client.put(_download_url(export)).status_code == 405


def test_csvs_put_names_beside_the_ids_people_cannot_read(django_capture_on_commit_callbacks):
    """A session's activity type and a habit log's habit are named in the CSV, right after the id (issue 14,
    point 13); keys to people are not expanded."""
    from coaching.tests.factories import HabitFactory, HabitLogFactory
    from training.tests.factories import ActivityTypeFactory, SessionFactory

    owner = _person_with_data("zorblax")
    run = ActivityTypeFactory(name="Trail running", uses_exercises=False)
    SessionFactory(user=owner, activity_type=run)
    HabitLogFactory(habit=HabitFactory(user=owner, name="Stretch"), log_date=timezone.localdate())
    archive = _zip(_built(owner, django_capture_on_commit_callbacks))

    sessions = list(csv.DictReader(io.StringIO(archive.read("training.session.csv").decode("utf-8-sig"))))
    header = list(sessions[0])
    assert header[header.index("activity_type_id") + 1] == "activity_type_name"
    assert sessions[0]["activity_type_name"] == "Trail running"
    logs = list(csv.DictReader(io.StringIO(archive.read("coaching.habitlog.csv").decode("utf-8-sig"))))
    assert logs[0]["habit_name"] == "Stretch"
    [row] = json.loads(archive.read("training.session.json"))
    assert row["activity_type_name"] == "Trail running"
    assert "user_name" not in header and "recorded_by_name" not in header


def test_the_privacy_page_lists_every_kind_of_data_the_export_holds(client):
    owner = UserFactory()
    client.force_login(owner)
    page = client.get(reverse("accounts:privacy")).content.decode()
    for kind in ("Sessions", "Meal items", "Journal entries", "Habit logs", "Body metrics", "Bookings"):
        assert kind.lower() in page.lower(), kind
    listed = re.findall(r"<li>([^<]+)</li>", page.split('data-testid="export-kinds"')[1].split("</ul>")[0])
    assert [kind.lower() for kind in listed] == [kind.lower() for kind in export_kinds()]
    assert len(listed) > 30  # the registry's every kind, not the five the page named before
