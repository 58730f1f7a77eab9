"""Writes of lifestyle check-ins (seed 003 lifestyle_baselines): energy, stress and sleep at a moment.

A time series: every check-in is a new row (the intake records the first one), so trends show how the
person felt over time. Nothing here is a daily total, so no day is announced.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fitjourney.dates import check_entry_datetime
from fitjourney.errors import NotFound

from ..models import LifestyleBaseline, User
from ..models.lifestyle import DataSource
from ..models.profile import Level, SleepQuality

# A clock a little ahead of ours is not the future.
FUTURE_SLACK = dt.timedelta(minutes=5)
TENTH = Decimal("0.1")


def _sleep_hours(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError({"sleep_hours": ["Enter the hours slept, e.g. 7.5."]})
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"sleep_hours": ["Enter the hours slept, e.g. 7.5."]}) from None
    if not hours.is_finite() or not 0 <= hours <= 24:
        raise ValidationError({"sleep_hours": ["Enter 0 to 24 hours."]})
    if hours != hours.quantize(TENTH):
        raise ValidationError({"sleep_hours": ["Use at most one decimal, e.g. 7.5."]})
    return hours


@transaction.atomic
def lifestyle_checkin_record(
    *,
    user: User,
    energy_level: str,
    stress_level: str,
    sleep_quality: str,
    sleep_hours: Decimal | float | str | None = None,
    notes: str = "",
    data_source: str = DataSource.USER,
    recorded_at: dt.datetime | None = None,
) -> LifestyleBaseline:
    """Records how the person feels now (or at `recorded_at`, never in the future)."""
    errors: dict[str, list[str]] = {}
    if energy_level not in Level.values:
        errors["energy_level"] = ["Choose low, medium or high."]
    if stress_level not in Level.values:
        errors["stress_level"] = ["Choose low, medium or high."]
    if sleep_quality not in SleepQuality.values:
        errors["sleep_quality"] = ["Choose poor, fair, good or excellent."]
    if data_source not in DataSource.values:
        errors["data_source"] = ["Choose user_input, wearable or system."]
    try:
        hours = _sleep_hours(sleep_hours)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        hours = None
    notes = (notes or "").replace("\x00", "").strip()
    if len(notes) > 2000:
        errors["notes"] = ["Keep notes to 2,000 characters."]
    now = timezone.now()
    if recorded_at is None:
        recorded_at = now
    elif timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at, user.zone)
    if recorded_at > now + FUTURE_SLACK:
        errors["recorded_at"] = ["A check-in cannot be in the future."]
    else:
        try:
            check_entry_datetime(recorded_at, zone=user.zone, field="recorded_at")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    checkin = LifestyleBaseline(
        user=user,
        energy_level=energy_level,
        stress_level=stress_level,
        sleep_quality=sleep_quality,
        sleep_hours=hours,
        notes=notes,
        data_source=data_source,
        recorded_at=recorded_at,
    )
    checkin.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    checkin.save(force_insert=True)
    return checkin


@transaction.atomic
def lifestyle_checkin_delete(*, user: User, checkin: LifestyleBaseline) -> None:
    """Only the person's own check-in; anybody else's is a 404, as for a missing one."""
    if checkin.user_id != user.pk:
        raise NotFound("Check-in not found.")
    LifestyleBaseline.objects.filter(pk=checkin.pk, user=user).delete()


__all__ = ["lifestyle_checkin_delete", "lifestyle_checkin_record"]
