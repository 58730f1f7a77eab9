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
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Value
from django.utils import timezone

from accounts.models import BodyMetric
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
# Clients, set-based: a handful of queries for all of a trainer's clients, whatever their number


def _training(members: list[Any], today: dt.date) -> dict[Any, dict[str, Any]]:
    rows = (
        # Workouts only: a painting or chess session is logged, but it is not training (issue 14, point 3).
        Session.objects.filter(
            user__in=members,
            status=SessionStatus.FINISHED,
            deleted_at__isnull=True,
            is_template=False,
            activity_type__is_physical=True,
        )
        .order_by()
        .values("user_id")
        .annotate(
            last=Max("local_date"),
            recent=Count("id", filter=Q(local_date__gt=today - dt.timedelta(days=WINDOW_DAYS))),
        )
    )
    return {r["user_id"]: {"last_session_date": r["last"], "sessions_28d": r["recent"]} for r in rows}


def _adherence(members: list[Any], today: dt.date) -> dict[Any, tuple[Decimal | None, int]]:
    """Days done of the days due so far in each member's current program (weeks elapsed × days a week)."""
    found: dict[Any, tuple[Decimal | None, int]] = {}
    enrollments = Enrollment.objects.filter(user__in=members, status__in=CURRENT_ENROLLMENT_STATUSES).select_related(
        "program"
    )
    for enrollment in enrollments:
        if enrollment.start_date > today:
            continue
        weeks = (today - enrollment.start_date).days // 7 + 1
        due = min(enrollment.sessions_planned, weeks * enrollment.program.sessions_per_week)
        if due:
            found[enrollment.user_id] = (min(HUNDRED, _pct(enrollment.sessions_done, due)), due)
    return found


def _e1rm_change(members: list[Any], today: dt.date) -> dict[Any, Decimal]:
    """Per member, the mean change of the best Epley e1RM of each lift done in both of the last two
    4-week windows: one grouped query for all the members."""
    start = today - dt.timedelta(days=2 * WINDOW_DAYS)
    middle = today - dt.timedelta(days=WINDOW_DAYS)
    epley = ExpressionWrapper(
        F("weight_kg") * (Value(30) + F("reps")) / Value(30), output_field=DecimalField(max_digits=12, decimal_places=4)
    )
    rows = (
        Set.objects.filter(
            session_exercise__session__user__in=members,
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
        .values("session_exercise__session__user_id", "session_exercise__exercise_id")
        .annotate(
            recent=Max(epley, filter=Q(session_exercise__session__local_date__gt=middle)),
            before=Max(epley, filter=Q(session_exercise__session__local_date__lte=middle)),
        )
    )
    changes: dict[Any, list[Decimal]] = defaultdict(list)
    for r in rows:
        if r["recent"] and r["before"]:
            changes[r["session_exercise__session__user_id"]].append((r["recent"] - r["before"]) / r["before"] * HUNDRED)
    return {
        user_id: (sum(found, Decimal(0)) / len(found)).quantize(Decimal("0.01")) for user_id, found in changes.items()
    }


def _first_weights(members: list[Any], *, newest: bool, **filters: Any) -> dict[Any, BodyMetric]:
    """Each member's newest (or oldest) weight matching `filters`: DISTINCT ON (user), one query."""
    order = "-measured_at" if newest else "measured_at"
    rows = (
        BodyMetric.objects.filter(user__in=members, metric_type_id="weight", **filters)
        .order_by("user_id", order)
        .distinct("user_id")
        .only("id", "user_id", "value")
    )
    return {row.user_id: row for row in rows}


def _weight(members: list[Any], today: dt.date) -> dict[Any, tuple[Decimal | None, str]]:
    """Per member, the weight change over the window and the direction their body-weight goal wants."""
    cutoff = today - dt.timedelta(days=WINDOW_DAYS)
    latest = _first_weights(members, newest=True, local_date__gt=cutoff)
    earlier = _first_weights(members, newest=True, local_date__lte=cutoff)
    missing = [m for m in members if m.pk in latest and m.pk not in earlier]
    first = _first_weights(missing, newest=False) if missing else {}
    directions = {
        goal.user_id: goal.direction
        for goal in Goal.objects.filter(user__in=members, metric=GoalMetric.BODY_WEIGHT, status=GoalStatus.ACTIVE)
    }
    found: dict[Any, tuple[Decimal | None, str]] = {}
    for member in members:
        now_row, then_row = latest.get(member.pk), earlier.get(member.pk) or first.get(member.pk)
        change = None
        if now_row is not None and then_row is not None and now_row.pk != then_row.pk:
            change = (now_row.value - then_row.value).quantize(Decimal("0.01"))
        found[member.pk] = (change, directions.get(member.pk, ""))
    return found


PROGRESS_FIELDS = (
    "trainer_id",
    "last_session_date",
    "sessions_28d",
    "adherence_pct",
    "e1rm_change_pct",
    "weight_change_kg",
    "attention",
    "refreshed_at",
)


def clients_progress_refresh(*, clients: list[Client], now: dt.datetime | None = None) -> list[ClientProgress]:
    """The links' progress rows from their members' logs, each limited to its member's grants: per group
    of members sharing a local date (usually one or two), one query per kind of data for all of them,
    then one upsert — so a trainer's refresh costs the same for 3 or 30 clients."""
    now = now or timezone.now()
    rows: list[ClientProgress] = []
    by_day: dict[dt.date, list[Client]] = defaultdict(list)
    for client in clients:
        values: dict[str, Any] = {"trainer_id": client.trainer_id, "attention": [], "refreshed_at": now}
        rows.append(ClientProgress(client=client, **values))
        if client.member is not None and client.status == ClientStatus.ACTIVE:
            by_day[timezone.localdate(now, client.member.zone)].append(client)
    progress = {row.client_id: row for row in rows}
    for today, group in by_day.items():
        training_members = [c.member for c in group if c.grant_training]
        body_members = [c.member for c in group if c.grant_body]
        training = _training(training_members, today) if training_members else {}
        adherence = _adherence(training_members, today) if training_members else {}
        e1rm = _e1rm_change(training_members, today) if training_members else {}
        weight = _weight(body_members, today) if body_members else {}
        for client in group:
            member, row, attention = client.member, progress[client.pk], []
            assert member is not None
            if client.grant_training:
                seen = training.get(member.pk, {"last_session_date": None, "sessions_28d": 0})
                row.last_session_date, row.sessions_28d = seen["last_session_date"], seen["sessions_28d"]
                row.adherence_pct, due = adherence.get(member.pk, (None, 0))
                row.e1rm_change_pct = e1rm.get(member.pk)
                linked_long_enough = client.accepted_at is None or client.accepted_at <= now - dt.timedelta(
                    days=QUIET_DAYS
                )
                last = row.last_session_date
                if linked_long_enough and (last is None or last < today - dt.timedelta(days=QUIET_DAYS)):
                    attention.append(AttentionReason.NO_SESSION)
                if row.adherence_pct is not None and due >= 2 and row.adherence_pct < LOW_ADHERENCE_PCT:
                    attention.append(AttentionReason.LOW_ADHERENCE)
                if row.e1rm_change_pct is not None and row.e1rm_change_pct <= FALLING_E1RM_PCT:
                    attention.append(AttentionReason.FALLING_E1RM)
            if client.grant_body:
                change, direction = weight.get(member.pk, (None, ""))
                row.weight_change_kg = change
                if change is not None and (
                    (direction == "down" and change > WEIGHT_NOISE_KG)
                    or (direction == "up" and change < -WEIGHT_NOISE_KG)
                ):
                    attention.append(AttentionReason.WEIGHT_AGAINST_GOAL)
            row.attention = [str(reason) for reason in attention]
    if rows:
        ClientProgress.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["client"], update_fields=list(PROGRESS_FIELDS)
        )
    return rows


def client_progress_refresh(*, client: Client, now: dt.datetime | None = None) -> ClientProgress:
    """One link's progress row (see clients_progress_refresh)."""
    return clients_progress_refresh(clients=[client], now=now)[0]


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
    clients_progress_refresh(clients=active, now=now)
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
    "clients_progress_refresh",
    "gym_dashboards_refresh_all",
    "trainer_dashboard_refresh",
    "trainer_dashboard_refresh_later",
    "member_trainers_refresh",
    "member_trainers_refresh_later",
]
