"""Tasks of bookings: telling the other side after a booking changed (queued after commit by the
services), and the reminders beat every 5 minutes (settings CELERY_BEAT_SCHEDULE). The reminders claim each
send with a conditional UPDATE, so two runs at once send it once."""

from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY

__all__ = ["booking_notify_task", "send_booking_reminders"]


@shared_task(name="coaching.tasks.booking_notify", **TASK_DATABASE_RETRY)
def booking_notify_task(booking_id: str, event: str, actor_id: str) -> int:
    from ..services.bookings import booking_notify

    return booking_notify(booking_id=booking_id, event=event, actor_id=actor_id)


@shared_task(name="coaching.tasks.send_booking_reminders", **TASK_DATABASE_RETRY)
def send_booking_reminders() -> int:
    from ..services.bookings import booking_reminders_send

    return booking_reminders_send()
