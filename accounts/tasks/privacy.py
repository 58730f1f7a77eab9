from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from fitjourney.db import TASK_DATABASE_RETRY


@shared_task(bind=True, name="accounts.tasks.build_data_export", **TASK_DATABASE_RETRY)
def build_data_export(self: Task[Any, Any], export_id: str) -> str | None:
    """Builds one requested export, reporting progress to Celery as well as to the DataExport row."""
    from ..services.privacy import export_build

    def report(percent: int, message: str) -> None:
        if not self.request.is_eager:  # an eager run has no result backend entry to update
            self.update_state(state="PROGRESS", meta={"export_id": export_id, "progress": percent, "message": message})

    export = export_build(export_id=export_id, progress=report)
    return export.status if export is not None else None


@shared_task(name="accounts.tasks.expire_data_exports", **TASK_DATABASE_RETRY)
def expire_data_exports() -> int:
    from ..services.privacy import data_exports_expire

    return data_exports_expire()


@shared_task(name="accounts.tasks.requeue_stalled_exports", **TASK_DATABASE_RETRY)
def requeue_stalled_exports() -> int:
    from ..services.privacy import data_exports_requeue_stalled

    return data_exports_requeue_stalled()


@shared_task(name="accounts.tasks.purge_erased_accounts", **TASK_DATABASE_RETRY)
def purge_erased_accounts() -> int:
    from ..services.privacy import accounts_purge_erased

    return accounts_purge_erased()
