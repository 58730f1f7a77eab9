"""The trainer dashboard's reads (the admin page and the API): the summary row, the clients needing
attention, and today's and this week's bookings — a handful of queries on small tables and the
(trainer, starts_at) index, whatever the trainer's history (issue 13: ≤ 8 with the request's own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.utils import timezone

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import Booking, ClientProgress, Trainer, TrainerDashboard
from ..models.gym import HOLDING_BOOKING_STATUSES

ATTENTION_SHOWN = 20


@dataclass(frozen=True)
class Dashboard:
    trainer: Trainer
    summary: TrainerDashboard | None
    attention: list[ClientProgress]
    today: list[Booking]
    week: list[Booking]
    day: dt.date


def trainer_dashboard(*, user: User, trainer_id: UUID | str | None = None, now: dt.datetime | None = None) -> Dashboard:
    """The dashboard of the caller's trainer profile, or of `trainer_id` for staff who may see it (the
    caller decides that; here another trainer's id is a 404 unless `user` is that trainer or staff)."""
    now = now or timezone.now()
    trainers = Trainer.objects.select_related("user", "dashboard")
    trainer = trainers.filter(user=user).first() if trainer_id is None else trainers.filter(pk=trainer_id).first()
    if trainer is None:
        raise NotFound("No such trainer.")
    day = timezone.localdate(now, trainer.user.zone)
    monday = day - dt.timedelta(days=day.weekday())
    zone = trainer.user.zone
    week_start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    week_end = week_start + dt.timedelta(days=7)
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    bookings = list(
        Booking.objects.filter(
            trainer=trainer, status__in=HOLDING_BOOKING_STATUSES, starts_at__gte=week_start, starts_at__lt=week_end
        )
        .select_related("member", "location")
        .order_by("starts_at")
    )
    today = [b for b in bookings if day_start <= b.starts_at < day_start + dt.timedelta(days=1)]
    attention = list(
        ClientProgress.objects.filter(trainer=trainer)
        .exclude(attention=[])
        .select_related("client__member")
        .order_by("last_session_date")[:ATTENTION_SHOWN]
    )
    summary = getattr(trainer, "dashboard", None)
    return Dashboard(trainer=trainer, summary=summary, attention=attention, today=today, week=bookings, day=day)


__all__ = ["Dashboard", "trainer_dashboard"]
