from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY


@shared_task(
    name="accounts.tasks.send_notification_email",
    autoretry_for=(OSError,),  # smtplib and socket errors; the service rolls back so a retry resends
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def send_notification_email(notification_id: str) -> bool:
    from ..services.notifications import notification_email_send

    return notification_email_send(notification_id=notification_id)


@shared_task(name="accounts.tasks.purge_read_notifications", **TASK_DATABASE_RETRY)
def purge_read_notifications() -> int:
    from ..services.notifications import notifications_purge_read

    return notifications_purge_read()


@shared_task(name="accounts.tasks.sweep_unsent_notification_mail", **TASK_DATABASE_RETRY)
def sweep_unsent_notification_mail() -> int:
    """Every ten minutes: mail whose task was lost while the broker was down is queued again."""
    from ..services.notifications import notifications_mail_sweep

    return notifications_mail_sweep()
