"""An export whose build died is restarted by the sweep, never blocks asking again, and finishes once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import DataExport, ExportStatus, Notification
from accounts.services import privacy
from accounts.services.privacy import (
    ExportInProgress,
    data_exports_requeue_stalled,
    export_build,
    export_request,
)
from accounts.tasks import requeue_stalled_exports
from accounts.tests.factories import UserFactory
from fitjourney.celery import app

pytestmark = pytest.mark.django_db

READY_TITLE = "Your data export is ready"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _died_while_running(user, *, minutes_ago: int, attempts: int = 1, progress: int = 37) -> DataExport:
    """An export whose worker was killed mid-build: running, and not moved for `minutes_ago` minutes."""
    export = export_request(user=user, background=False)
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING,
        progress=progress,
        attempts=attempts,
        started_at=timezone.now() - timedelta(minutes=minutes_ago + 1),
        progress_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    export.refresh_from_db()
    return export


def test_the_sweep_runs_every_two_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-requeue-stalled-exports"]
    assert entry["task"] == "accounts.tasks.requeue_stalled_exports" and entry["task"] in app.tasks
    assert entry["schedule"].minute == set(range(0, 60, 2))


def test_a_stalled_export_is_requeued_by_the_sweep_and_finishes(django_capture_on_commit_callbacks, private_media):
    owner = UserFactory()
    export = _died_while_running(owner, minutes_ago=settings.DATA_EXPORT_STALL_MINUTES + 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stalled_exports.delay().get() == 1

    export.refresh_from_db()
    assert (export.status, export.progress, export.attempts) == (ExportStatus.READY, 100, 2)
    assert len(_files(private_media)) == 1
    assert Notification.objects.filter(user=owner, title=READY_TITLE).count() == 1


def test_an_export_that_still_moves_is_left_alone(django_capture_on_commit_callbacks):
    export = _died_while_running(UserFactory(), minutes_ago=settings.DATA_EXPORT_STALL_MINUTES - 1)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert data_exports_requeue_stalled() == 0

    assert not callbacks
    export.refresh_from_db()
    assert (export.status, export.progress, export.attempts) == (ExportStatus.RUNNING, 37, 1)


def test_a_waiting_export_whose_message_was_lost_is_queued_again(django_capture_on_commit_callbacks):
    export = export_request(user=UserFactory(), background=False)  # queued, but no worker ever got it
    DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(minutes=30))

    with django_capture_on_commit_callbacks(execute=True):
        assert data_exports_requeue_stalled() == 1

    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.attempts == 1


def test_after_the_last_attempt_the_export_is_failed_and_the_person_can_ask_again(django_capture_on_commit_callbacks):
    owner = UserFactory()
    export = _died_while_running(owner, minutes_ago=10, attempts=settings.DATA_EXPORT_MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert data_exports_requeue_stalled() == 1

    assert not callbacks  # nothing queued
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "ask again" in export.progress_message
    assert str(settings.DATA_EXPORT_MAX_ATTEMPTS) in export.error
    assert export_request(user=owner, background=False).status == ExportStatus.PENDING


def test_a_redelivered_build_past_the_last_attempt_fails_instead_of_looping():
    export = _died_while_running(UserFactory(), minutes_ago=10, attempts=settings.DATA_EXPORT_MAX_ATTEMPTS)
    assert export_build(export_id=export.pk).status == ExportStatus.FAILED


def test_asking_again_while_stalled_replaces_the_stalled_export():
    owner = UserFactory()
    stalled = _died_while_running(owner, minutes_ago=settings.DATA_EXPORT_STALL_MINUTES + 1)

    fresh = export_request(user=owner, background=False)

    stalled.refresh_from_db()
    assert stalled.status == ExportStatus.FAILED and "stopped moving" in stalled.error
    assert fresh.status == ExportStatus.PENDING and fresh.pk != stalled.pk
    with pytest.raises(ExportInProgress):  # the new one is moving: the 409 is for it
        export_request(user=owner, background=False)


def test_asking_again_over_the_api_while_stalled_is_accepted_and_while_moving_a_409(member):
    client = APIClient()
    client.force_login(member)
    moving = _died_while_running(member, minutes_ago=1)
    assert client.post("/api/v1/exports/").status_code == 409

    DataExport.objects.filter(pk=moving.pk).update(progress_at=timezone.now() - timedelta(minutes=10))

    response = client.post("/api/v1/exports/")
    assert response.status_code == 202 and response.json()["id"] != str(moving.pk)


def test_the_page_offers_to_ask_again_when_the_export_stopped_moving(client):
    owner = UserFactory()
    client.force_login(owner)
    export = _died_while_running(owner, minutes_ago=1)
    status_url = reverse("accounts:export-status", args=[export.pk])
    assert 'data-testid="export-stalled"' not in client.get(status_url, HTTP_HX_REQUEST="true").content.decode()

    DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(minutes=10))

    body = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="export-stalled"' in body and f'action="{reverse("accounts:export-request")}"' in body


def test_progress_writes_record_when_the_build_last_moved(monkeypatch):
    export = export_request(user=UserFactory(), background=False)
    DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(hours=1))
    seen = []

    def progress(percent, message):
        seen.append(DataExport.objects.values_list("progress_at", flat=True).get(pk=export.pk))

    started = timezone.now()
    export_build(export_id=export.pk, progress=progress)

    assert len(seen) > 3 and seen[0] >= started
    assert seen == sorted(seen) and len(set(seen)) == len(seen)  # each write moves it on


def test_a_heartbeat_is_written_while_the_percentage_stands_still(monkeypatch):
    export = export_request(user=UserFactory(), background=False)
    claimed, _ = privacy._export_claim(export.pk)
    reporter = privacy._Progress(export.pk, claimed.attempts, None)
    reporter(10, "Exporting")
    DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(minutes=10))

    reporter(10, "Exporting")  # same percent, heartbeat not due: nothing written
    assert DataExport.objects.get(pk=export.pk).is_stalled()
    monkeypatch.setattr(privacy, "HEARTBEAT_SECONDS", 0)
    reporter(10, "Exporting")
    assert not DataExport.objects.get(pk=export.pk).is_stalled()


# Exactly once


def test_a_duplicate_delivery_while_the_build_moves_does_nothing(private_media):
    owner = UserFactory()
    export = export_request(user=owner, background=False)
    duplicates = []

    def progress(percent, message):
        if percent >= 50 and not duplicates:
            duplicates.append(export_build(export_id=export.pk))  # the same task delivered twice

    done = export_build(export_id=export.pk, progress=progress)

    assert duplicates[0].status == ExportStatus.RUNNING and duplicates[0].attempts == 1
    assert done.status == ExportStatus.READY and done.attempts == 1
    assert len(_files(private_media)) == 1
    assert Notification.objects.filter(user=owner, title=READY_TITLE).count() == 1


@pytest.mark.parametrize("taken_over_at", [50, 98])  # mid-rows, and while the zip is being saved
def test_a_slow_build_taken_over_by_the_sweep_stops_without_a_second_file_or_notice(
    django_capture_on_commit_callbacks, private_media, taken_over_at
):
    owner = UserFactory()
    export = export_request(user=owner, background=False)
    second = []

    def progress(percent, message):
        # The first build is slow (no write for longer than the stall time): the sweep restarts the
        # export, and the requeued task runs to the end before the first build writes again.
        if percent >= taken_over_at and not second:
            DataExport.objects.filter(pk=export.pk).update(progress_at=timezone.now() - timedelta(minutes=10))
            assert data_exports_requeue_stalled() == 1
            second.append(export_build(export_id=export.pk))

    with django_capture_on_commit_callbacks(execute=True):  # then the queued task (a no-op) and clean-ups
        first = export_build(export_id=export.pk, progress=progress)

    assert second[0].status == ExportStatus.READY and second[0].attempts == 2
    assert first.status == ExportStatus.READY and first.file.name == second[0].file.name
    assert len(_files(private_media)) == 1
    assert Notification.objects.filter(user=owner, title=READY_TITLE).count() == 1
    with first.file.open("rb") as handle:
        assert handle.read(2) == b"PK"
