"""A data export whose worker died mid-build is restarted by the sweep in a real worker and finishes once."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import DataExport, ExportStatus, Notification
from accounts.services.privacy import export_request
from accounts.tasks import requeue_stalled_exports
from accounts.tests.factories import UserFactory
from fitjourney.celery import app


@pytest.mark.worker
def test_the_sweep_restarts_an_export_left_running_by_a_dead_worker(
    celery_worker_process, transactional_db, monkeypatch
):
    owner = UserFactory()
    export = export_request(user=owner, background=False)
    # What a `kill -9` of the worker mid-build leaves behind: running, 0 %, and no longer moving.
    stopped = timezone.now() - timedelta(minutes=settings.DATA_EXPORT_STALL_MINUTES + 1)
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, attempts=1, started_at=stopped, progress_at=stopped
    )
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    assert requeue_stalled_exports.apply_async().get(timeout=30) == 1

    deadline = time.monotonic() + 60
    while DataExport.objects.get(pk=export.pk).status != ExportStatus.READY:
        assert time.monotonic() < deadline, "the requeued export was not built within 60 s"
        time.sleep(0.2)
    export.refresh_from_db()
    assert export.attempts == 2 and export.progress == 100
    folder = settings.PRIVATE_MEDIA_ROOT / "exports" / str(owner.pk)
    assert [p.name for p in folder.iterdir()] == [export.file.name.rsplit("/", 1)[1]]
    assert Notification.objects.filter(user=owner, title="Your data export is ready").count() == 1
    assert requeue_stalled_exports.apply_async().get(timeout=30) == 0  # nothing left to restart
