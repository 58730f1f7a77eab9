"""The trainer dashboard's summary rows (coaching.models.dashboard): each client's progress and the
trainer's numbers, recomputed by a Celery task a little after the gym's or a client's data changes
(debounced per trainer) and for everybody nightly, one trainer per transaction so one bad row never
stops the others.

Progress rests only on what the member granted: without the training grant the trainer's row has no
sessions, adherence or e1RM; without the body grant no weight.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Value
from django.utils import timezone

from accounts.models import BodyMetric, User
from training.models import CURRENT_ENROLLMENT_STATUSES, Enrollment, Session, SessionStatus, Set

from ..models import (
    AttentionReason,
    Booking,
    BookingStatus,
    Client,
    ClientProgress,
    ClientStatus,
    Goal,
    GoalMetric,
    GoalStatus,
    SessionCard,
    Trainer,
    TrainerDashboard,
)

logger = logging.getLogger(__name__)

QUIET_DAYS = 14
WINDOW_DAYS = 28
FALLING_E1RM_PCT = Decimal(-5)
LOW_ADHERENCE_PCT = Decimal(50)
WEIGHT_NOISE_KG = Decimal("0.5")
HUNDRED = Decimal(100)


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (HUNDRED * Decimal(part) / Decimal(whole)).quantize(Decimal("0.01")) if whole else Decimal(0)


# ---------------------------------------------------------------------------------------------------
# One client


def _training(member: User, today: dt.date) -> dict[str, Any]:
    sessions = Session.objects.filter(
        user=member, status=SessionStatus.FINISHED, deleted_at__isnull=True, is_template=False
    )
    seen = sessions.aggregate(
        last=Max("local_date"), recent=Count("id", filter=Q(local_date__gt=today - dt.timedelta(days=WINDOW_DAYS)))
    )
    return {"last_session_date": seen["last"], "sessions_28d": seen["recent"]}


def _adherence(member: User, today: dt.date) -> tuple[Decimal | None, int]:
    """Days done of the days due so far in the current program (weeks elapsed × days a week)."""
    enrollment = (
        Enrollment.objects.filter(user=member, status__in=CURRENT_ENROLLMENT_STATUSES).select_related("program").first()
    )
    if enrollment is None or enrollment.start_date > today:
        return None, 0
    weeks = (today - enrollment.start_date).days // 7 + 1
    due = min(enrollment.sessions_planned, weeks * enrollment.program.sessions_per_week)
    if not due:
        return None, 0
    return min(HUNDRED, _pct(enrollment.sessions_done, due)), due


def _e1rm_change(member: User, today: dt.date) -> Decimal | None:
    """The mean change of the best Epley e1RM of each lift done in both of the last two 4-week windows,
    in one grouped query."""
    start = today - dt.timedelta(days=2 * WINDOW_DAYS)
    middle = today - dt.timedelta(days=WINDOW_DAYS)
    epley = ExpressionWrapper(
        F("weight_kg") * (Value(30) + F("reps")) / Value(30), output_field=DecimalField(max_digits=12, decimal_places=4)
    )
    rows = (
        Set.objects.filter(
            session_exercise__session__user=member,
            session_exercise__session__status=SessionStatus.FINISHED,
            session_exercise__session__deleted_at__isnull=True,
            session_exercise__session__local_date__gt=start,
            is_completed=True,
            is_warmup=False,
            reps__gt=0,
            reps__lte=12,
            weight_kg__gt=0,
        )
        .order_by()
        .values("session_exercise__exercise_id")
        .annotate(
            recent=Max(epley, filter=Q(session_exercise__session__local_date__gt=middle)),
            before=Max(epley, filter=Q(session_exercise__session__local_date__lte=middle)),
        )
    )
    changes = [(r["recent"] - r["before"]) / r["before"] * HUNDRED for r in rows if r["recent"] and r["before"]]
    if not changes:
        return None
    mean: Decimal = (sum(changes) / len(changes)).quantize(Decimal("0.01"))
    return mean


def _weight(member: User, today: dt.date) -> tuple[Decimal | None, str]:
    """The weight change over the window, and the direction the member's body-weight goal wants."""
    weights = BodyMetric.objects.filter(user=member, metric_type_id="weight")
    latest = weights.filter(local_date__gt=today - dt.timedelta(days=WINDOW_DAYS)).order_by("-measured_at").first()
    earlier = (
        weights.filter(local_date__lte=today - dt.timedelta(days=WINDOW_DAYS)).order_by("-measured_at").first()
        or weights.order_by("measured_at").first()
    )
    goal = Goal.objects.filter(user=member, metric=GoalMetric.BODY_WEIGHT, status=GoalStatus.ACTIVE).first()
    direction = goal.direction if goal else ""
    if latest is None or earlier is None or latest.pk == earlier.pk:
        return None, direction
    return (latest.value - earlier.value).quantize(Decimal("0.01")), direction


def client_progress_refresh(*, client: Client, now: dt.datetime | None = None) -> ClientProgress:
    """The link's progress row from the member's logs, limited to the member's grants."""
    now = now or timezone.now()
    member = client.member
    values: dict[str, Any] = {
        "trainer_id": client.trainer_id,
        "last_session_date": None,
        "sessions_28d": None,
        "adherence_pct": None,
        "e1rm_change_pct": None,
        "weight_change_kg": None,
        "attention": [],
        "refreshed_at": now,
    }
    if member is not None and client.status == ClientStatus.ACTIVE:
        today = timezone.localdate(now, member.zone)
        attention: list[str] = []
        if client.grant_training:
            values.update(_training(member, today))
            values["adherence_pct"], due = _adherence(member, today)
            values["e1rm_change_pct"] = _e1rm_change(member, today)
            linked_long_enough = client.accepted_at is None or client.accepted_at <= now - dt.timedelta(days=QUIET_DAYS)
            last = values["last_session_date"]
            if linked_long_enough and (last is None or last < today - dt.timedelta(days=QUIET_DAYS)):
                attention.append(AttentionReason.NO_SESSION)
            if values["adherence_pct"] is not None and due >= 2 and values["adherence_pct"] < LOW_ADHERENCE_PCT:
                attention.append(AttentionReason.LOW_ADHERENCE)
            if values["e1rm_change_pct"] is not None and values["e1rm_change_pct"] <= FALLING_E1RM_PCT:
                attention.append(AttentionReason.FALLING_E1RM)
        if client.grant_body:
            change, direction = _weight(member, today)
            values["weight_change_kg"] = change
            if change is not None and (
                (direction == "down" and change > WEIGHT_NOISE_KG) or (direction == "up" and change < -WEIGHT_NOISE_KG)
            ):
                attention.append(AttentionReason.WEIGHT_AGAINST_GOAL)
        values["attention"] = [str(reason) for reason in attention]
    progress, _ = ClientProgress.objects.update_or_create(client=client, defaults=values)
    return progress


# ---------------------------------------------------------------------------------------------------
# One trainer


@transaction.atomic
def trainer_dashboard_refresh(*, trainer_id: Any, now: dt.datetime | None = None) -> TrainerDashboard | None:
    """The trainer's clients' progress rows, then the trainer's row: in one transaction."""
    now = now or timezone.now()
    trainer = Trainer.objects.select_related("user").filter(pk=trainer_id).first()
    if trainer is None:
        return None
    active = list(Client.objects.filter(trainer=trainer, status=ClientStatus.ACTIVE).select_related("member"))
    for client in active:
        client_progress_refresh(client=client, now=now)
    ClientProgress.objects.filter(trainer=trainer).exclude(client__status=ClientStatus.ACTIVE).delete()
    month_start = timezone.localdate(now, trainer.user.zone).replace(day=1)
    since = now - dt.timedelta(days=90)
    outcomes = Booking.objects.filter(trainer=trainer, starts_at__gte=since, starts_at__lte=now).aggregate(
        done=Count("id", filter=Q(status=BookingStatus.COMPLETED)),
        cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
        missed=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
    )
    done, cancelled, missed = outcomes["done"], outcomes["cancelled"], outcomes["missed"]
    values = {
        "active_clients": len(active),
        "sessions_month": SessionCard.objects.filter(trainer=trainer, date__gte=month_start).count(),
        "completed_90d": done,
        "cancelled_90d": cancelled,
        "no_show_90d": missed,
        "completion_rate": _pct(done, done + cancelled + missed),
        "no_show_rate": _pct(missed, done + missed),
        "rating_average": trainer.rating_average,
        "rating_count": trainer.rating_count,
        "clients_needing_attention": ClientProgress.objects.filter(trainer=trainer).exclude(attention=[]).count(),
        "refreshed_at": now,
    }
    dashboard, _ = TrainerDashboard.objects.update_or_create(trainer=trainer, defaults=values)
    return dashboard


def gym_dashboards_refresh_all(*, now: dt.datetime | None = None) -> int:
    """Nightly: every trainer, one transaction each; a failure is logged and the others go on."""
    refreshed = 0
    for trainer_id in list(Trainer.objects.values_list("pk", flat=True)):
        try:
            trainer_dashboard_refresh(trainer_id=trainer_id, now=now)
            refreshed += 1
        except Exception:
            logger.exception("BATCH FAILURE in trainer dashboards for trainer %s", trainer_id)
    return refreshed


# ---------------------------------------------------------------------------------------------------
# Scheduling (debounced like the goals' evaluation)


def _schedule(trainer_id: Any) -> None:
    from ..tasks.dashboard import refresh_trainer_dashboard

    delay = settings.GYM_DASHBOARD_DELAY_SECONDS
    key = f"coaching:trainer-dashboard:{trainer_id}"
    added = False
    try:
        added = cache.add(key, 1, timeout=max(delay, 1))
        if added:
            refresh_trainer_dashboard.apply_async(args=[str(trainer_id)], countdown=delay)  # type: ignore[arg-type]
    except Exception:
        logger.warning("Could not schedule the dashboard of trainer %s.", trainer_id, exc_info=True)
        if added:
            with contextlib.suppress(Exception):
                cache.delete(key)


def trainer_dashboard_refresh_later(*, trainer_id: Any) -> None:
    """After the commit, once per trainer per window: the refresh reads what the transaction wrote."""
    transaction.on_commit(lambda: _schedule(trainer_id))


def member_trainers_refresh(*, user_id: Any) -> int:
    """A member's logs changed: the dashboards of the trainers they train with (actively) are refreshed,
    each debounced. Run by a task, so the member's request pays no query for it."""
    trainer_ids = list(
        Client.objects.filter(member_id=user_id, status=ClientStatus.ACTIVE).values_list("trainer_id", flat=True)
    )
    for trainer_id in trainer_ids:
        _schedule(trainer_id)
    return len(trainer_ids)


def member_trainers_refresh_later(*, user_id: Any) -> None:
    """From the days-changed receiver: no query in the member's request; one debounced task per member."""

    def schedule() -> None:
        from ..tasks.dashboard import refresh_member_trainers

        key = f"coaching:member-trainers:{user_id}"
        delay = settings.GYM_DASHBOARD_DELAY_SECONDS
        try:
            if cache.add(key, 1, timeout=max(delay, 1)):
                refresh_member_trainers.apply_async(args=[str(user_id)], countdown=delay)  # type: ignore[arg-type]
        except Exception:
            logger.warning("Could not schedule the trainers' dashboards of %s.", user_id, exc_info=True)

    transaction.on_commit(schedule)


__all__ = [
    "client_progress_refresh",
    "gym_dashboards_refresh_all",
    "trainer_dashboard_refresh",
    "trainer_dashboard_refresh_later",
    "member_trainers_refresh",
    "member_trainers_refresh_later",
]
