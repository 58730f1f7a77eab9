"""A client's timeline for their trainer (issue 13, item 4): one chronological view of sessions, session
cards, body metrics, daily nutrition totals, habits, check-ins and journal entries over a period — each
kind only where the member granted it on an active link — with the series the page charts (weight, the
best e1RM of the main lifts per week, program adherence per week).

One query per granted kind, plus the link and the charts: at most 12 whatever the history's size (each
reads a (user, date) or (user, time) index over the period only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Q, Value
from django.utils import timezone

from accounts.models import BodyMetric, LifestyleBaseline, User
from accounts.presenters import body_value_display
from fitjourney import units
from fitjourney.errors import NotFound
from training.models import CURRENT_ENROLLMENT_STATUSES, EnrollmentDay, Session, SessionStatus, Set

from ..models import Client, ClientStatus, DailySummary, HabitLog, JournalEntry, SessionCard

MAX_DAYS = 366
MAIN_LIFTS = 3


@dataclass(frozen=True)
class Entry:
    at: dt.datetime | dt.date
    day: dt.date
    kind: str  # session, card, body, nutrition, habit, checkin, journal
    title: str
    detail: str = ""
    object_id: Any = None


@dataclass
class Timeline:
    client: Client
    start: dt.date
    end: dt.date
    granted: dict[str, bool]
    entries: list[Entry] = field(default_factory=list)
    weight: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    lifts: dict[str, list[tuple[dt.date, Decimal]]] = field(default_factory=dict)
    adherence: list[tuple[dt.date, int]] = field(default_factory=list)  # (Monday, days done that week)


def _link(trainer_user: User, client_id: Any) -> Client:
    client = (
        Client.objects.select_related("member", "trainer__user")
        .filter(pk=client_id, trainer__user=trainer_user, status=ClientStatus.ACTIVE, member__isnull=False)
        .first()
    )
    if client is None:
        raise NotFound("No such active client of yours.")
    return client


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def client_timeline(*, trainer_user: User, client_id: Any, days: int = 90, end: dt.date | None = None) -> Timeline:
    """The active link's member's data from `end - days` to `end`, newest first, limited to the grants."""
    client = _link(trainer_user, client_id)
    member = client.member
    assert member is not None
    days = max(1, min(days, MAX_DAYS))
    end = end or member.local_today()
    start = end - dt.timedelta(days=days - 1)
    granted = {area: client.grants(area) for area in ("training", "body", "nutrition", "habits", "checkins", "journal")}
    timeline = Timeline(client=client, start=start, end=end, granted=granted)
    entries = timeline.entries
    zone = member.zone

    # Cards are the trainer's own record: always shown.
    for card in SessionCard.objects.filter(client=client, date__gte=start, date__lte=end).order_by("-date"):
        entries.append(Entry(card.date, card.date, "card", card.title, card.feedback[:140], card.pk))

    if granted["training"]:
        sessions = (
            Session.objects.filter(
                user=member,
                status=SessionStatus.FINISHED,
                deleted_at__isnull=True,
                is_template=False,
                local_date__gte=start,
                local_date__lte=end,
            )
            .select_related("activity_type")
            .order_by("-started_at")
        )
        for s in sessions:
            minutes = round((s.ended_at - s.started_at).total_seconds() / 60) if s.ended_at else None
            detail = f"{minutes} min" if minutes else ""
            if s.total_volume_kg:
                detail += f" · {units.weight_display(s.total_volume_kg, trainer_user)} volume"
            entries.append(Entry(s.started_at, s.local_date, "session", s.name or s.activity_type.name, detail, s.pk))
        timeline.lifts = _lifts(member, start, end)
        timeline.adherence = _adherence(member, start, end)

    if granted["body"]:
        metrics = (
            BodyMetric.objects.filter(user=member, local_date__gte=start, local_date__lte=end)
            .select_related("metric_type__unit")
            .order_by("-measured_at")
        )
        for m in metrics:
            shown = body_value_display(m, trainer_user)  # in the reader's units
            entries.append(Entry(m.measured_at, m.local_date, "body", m.metric_type.name, shown, m.pk))
            if m.metric_type_id == "weight":
                timeline.weight.append((m.local_date, m.value))
        timeline.weight.reverse()

    if granted["nutrition"]:
        for d in DailySummary.objects.filter(user=member, date__gte=start, date__lte=end, meals__gt=0).order_by(
            "-date"
        ):
            detail = f"{d.calories_eaten} kcal · protein {d.protein_g.normalize():f} g · {d.meals} meals"
            entries.append(Entry(d.date, d.date, "nutrition", "Food", detail, d.pk))

    if granted["habits"]:
        logs = (
            HabitLog.objects.filter(habit__user=member, log_date__gte=start, log_date__lte=end, completed=True)
            .select_related("habit")
            .order_by("-log_date")
        )
        for log in logs:
            entries.append(Entry(log.logged_at, log.log_date, "habit", log.habit.name, "done", log.pk))

    if granted["checkins"]:
        since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        for c in LifestyleBaseline.objects.filter(user=member, recorded_at__gte=since, recorded_at__lt=until):
            detail = f"energy {c.energy_level}, stress {c.stress_level}, sleep {c.sleep_quality}"
            entries.append(Entry(c.recorded_at, timezone.localdate(c.recorded_at, zone), "checkin", "Check-in", detail))

    if granted["journal"]:
        for j in JournalEntry.objects.filter(user=member, entry_date__gte=start, entry_date__lte=end):
            entries.append(Entry(j.entry_date, j.entry_date, "journal", j.title or "Journal", j.get_mood_display()))

    def moment(entry: Entry) -> tuple[dt.date, float]:
        at = entry.at
        return (entry.day, at.timestamp() if isinstance(at, dt.datetime) else 0.0)

    entries.sort(key=moment, reverse=True)
    return timeline


def _lifts(member: User, start: dt.date, end: dt.date) -> dict[str, list[tuple[dt.date, Decimal]]]:
    """The best Epley e1RM per week of the member's most-trained lifts in the period: one grouped query."""
    epley = ExpressionWrapper(
        F("weight_kg") * (Value(30) + F("reps")) / Value(30), output_field=DecimalField(max_digits=12, decimal_places=4)
    )
    rows = list(
        Set.objects.filter(
            session_exercise__session__user=member,
            session_exercise__session__status=SessionStatus.FINISHED,
            session_exercise__session__deleted_at__isnull=True,
            session_exercise__session__local_date__gte=start,
            session_exercise__session__local_date__lte=end,
            is_completed=True,
            is_warmup=False,
            reps__gt=0,
            reps__lte=12,
            weight_kg__gt=0,
        )
        .order_by()
        .values("session_exercise__exercise__name", "session_exercise__session__local_date")
        .annotate(best=Max(epley), n=Count("id"))
    )
    volume: dict[str, int] = defaultdict(int)
    weekly: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    for row in rows:
        name = row["session_exercise__exercise__name"]
        volume[name] += row["n"]
        week = _monday(row["session_exercise__session__local_date"])
        best = Decimal(row["best"]).quantize(Decimal("0.1"))
        weekly[name][week] = max(best, weekly[name].get(week, Decimal(0)))
    main = sorted(volume, key=lambda name: (-volume[name], name))[:MAIN_LIFTS]
    return {name: sorted(weekly[name].items()) for name in main}


def _adherence(member: User, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Program days done per week in the period (the current or a recent enrolment): one grouped query."""
    rows = (
        EnrollmentDay.objects.filter(
            Q(enrollment__status__in=CURRENT_ENROLLMENT_STATUSES) | Q(enrollment__ended_at__date__gte=start),
            enrollment__user=member,
            status="done",
            local_date__gte=start,
            local_date__lte=end,
        )
        .order_by()
        .values("local_date")
        .annotate(n=Count("id"))
    )
    weeks: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        weeks[_monday(row["local_date"])] += row["n"]
    return sorted(weeks.items())


__all__ = ["Entry", "Timeline", "client_timeline"]
