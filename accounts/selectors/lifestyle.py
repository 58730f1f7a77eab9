"""Reads of lifestyle check-ins: the recent ones and the trend over the last days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from fitjourney.errors import NotFound

from ..models import LifestyleBaseline, User
from ..models.profile import Level, SleepQuality

# Levels as numbers for charts and averages.
LEVEL_SCORE: dict[str, int] = {Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3}
SLEEP_SCORE: dict[str, int] = {
    SleepQuality.POOR: 1,
    SleepQuality.FAIR: 2,
    SleepQuality.GOOD: 3,
    SleepQuality.EXCELLENT: 4,
}
TREND_DAYS = 30


def lifestyle_checkins_for_user(
    *, user: User, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[LifestyleBaseline]:
    """The person's check-ins, newest first (index accounts_lifestyle_user_time)."""
    rows = LifestyleBaseline.objects.filter(user=user)
    if since is not None:
        rows = rows.filter(recorded_at__gte=since)
    if until is not None:
        rows = rows.filter(recorded_at__lt=until)
    return rows.order_by("-recorded_at")


def lifestyle_checkin_get_for_user(*, user: User, checkin_id: UUID | str) -> LifestyleBaseline:
    checkin = LifestyleBaseline.objects.filter(user=user, pk=checkin_id).first()
    if checkin is None:
        raise NotFound("Check-in not found.")
    return checkin


def lifestyle_latest(*, user: User) -> LifestyleBaseline | None:
    return lifestyle_checkins_for_user(user=user).first()


@dataclass(frozen=True)
class LifestyleTrend:
    """The last `days` days of check-ins, oldest first, with averages (levels as 1–3, sleep quality 1–4)."""

    checkins: list[LifestyleBaseline]
    days: int
    average_sleep_hours: Decimal | None
    average_energy: float | None
    average_stress: float | None
    average_sleep_quality: float | None

    def chart(self, zone: dt.tzinfo) -> dict[str, Any]:
        """Chart data (static/js/charts.js): sleep hours per check-in, in the person's local time."""
        rows = [(c.recorded_at, c.sleep_hours) for c in self.checkins if c.sleep_hours is not None]
        return {
            "unit": "h",
            "labels": [f"{timezone.localtime(at, zone):%-d %b}" for at, _ in rows],
            "series": [{"name": "Sleep (hours)", "values": [float(hours) for _, hours in rows]}],
        }

    def levels_chart(self, zone: dt.tzinfo) -> dict[str, Any]:
        """Energy and stress per check-in as 1 (low) to 3 (high)."""
        return {
            "unit": "",
            "labels": [f"{timezone.localtime(c.recorded_at, zone):%-d %b}" for c in self.checkins],
            "series": [
                {"name": "Stress (1 low – 3 high)", "values": [LEVEL_SCORE[c.stress_level] for c in self.checkins]},
                {"name": "Energy (1 low – 3 high)", "values": [LEVEL_SCORE[c.energy_level] for c in self.checkins]},
            ],
        }


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def lifestyle_trend(*, user: User, days: int = TREND_DAYS, now: dt.datetime | None = None) -> LifestyleTrend:
    """The check-ins of the last `days` days and their averages. One query."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    checkins = list(lifestyle_checkins_for_user(user=user, since=since).order_by("recorded_at"))
    hours = [c.sleep_hours for c in checkins if c.sleep_hours is not None]
    total_hours = sum(hours, Decimal(0))
    return LifestyleTrend(
        checkins=checkins,
        days=days,
        average_sleep_hours=(total_hours / len(hours)).quantize(Decimal("0.1")) if hours else None,
        average_energy=_mean([LEVEL_SCORE[c.energy_level] for c in checkins]),
        average_stress=_mean([LEVEL_SCORE[c.stress_level] for c in checkins]),
        average_sleep_quality=_mean([SLEEP_SCORE[c.sleep_quality] for c in checkins]),
    )


__all__ = [
    "LEVEL_SCORE",
    "SLEEP_SCORE",
    "LifestyleTrend",
    "lifestyle_checkin_get_for_user",
    "lifestyle_checkins_for_user",
    "lifestyle_latest",
    "lifestyle_trend",
]
