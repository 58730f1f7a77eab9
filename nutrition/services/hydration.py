"""Writes for hydration preferences and the hydration reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationType, User
from accounts.services.notifications import notify
from fitjourney import units
from fitjourney.batch import isolated

from ..models import HydrationPreferences, ReminderTone, WaterLog

HYDRATION_FIELDS = (
    "daily_target_ml",
    "reminder_enabled",
    "reminder_every_minutes",
    "reminder_start",
    "reminder_end",
    "tone",
    "remind_with_meals",
)
DAILY_TARGET_MIN_ML, DAILY_TARGET_MAX_ML = 500, 10000
# Beat runs every 15 minutes and never exactly on the minute: a reminder due "every 60 minutes" that is
# a few seconds short of 60 still goes, instead of waiting for the next run.
SPACING_SLACK = dt.timedelta(minutes=2)


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not DAILY_TARGET_MIN_ML <= int(values["daily_target_ml"]) <= DAILY_TARGET_MAX_ML:
        errors["daily_target_ml"] = "Choose a daily target of 500–10,000 ml."
    if not 15 <= int(values["reminder_every_minutes"]) <= 480:
        errors["reminder_every_minutes"] = "Remind every 15–480 minutes."
    if not values["reminder_start"] < values["reminder_end"]:
        errors["reminder_end"] = "The reminders must end after they start (within one day)."
    if values["tone"] not in ReminderTone.values:
        errors["tone"] = "Choose gentle, motivational or minimal."
    if errors:
        raise ValidationError(errors)


def hydration_preferences_validate(*, current: HydrationPreferences | None = None, **changes: Any) -> dict[str, Any]:
    """The settings `changes` would give (on top of `current`, or of the defaults), checked without saving:
    {field: value} for every hydration field. Times may be given as "HH:MM". Raises field errors."""
    unknown = set(changes) - set(HYDRATION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    source = current if current is not None else HydrationPreferences()
    values = {name: getattr(source, name) for name in HYDRATION_FIELDS}
    values.update(changes)
    errors: dict[str, str] = {}
    for name in ("reminder_start", "reminder_end"):
        if isinstance(values[name], str):
            try:
                values[name] = dt.time.fromisoformat(values[name])
            except ValueError:
                errors[name] = "Enter a time as HH:MM."
        elif not isinstance(values[name], dt.time):
            errors[name] = "Enter a time as HH:MM."
    for name in ("daily_target_ml", "reminder_every_minutes"):
        try:
            values[name] = int(values[name])
        except (TypeError, ValueError):
            errors[name] = "Enter a whole number."
    for name in ("reminder_enabled", "remind_with_meals"):
        values[name] = bool(values[name])
    if errors:
        raise ValidationError(errors)
    _validate(values)
    return values


@transaction.atomic
def hydration_preferences_set(*, user: User, **changes: Any) -> HydrationPreferences:
    """Creates or updates the person's hydration preferences (only the fields given change)."""
    unknown = set(changes) - set(HYDRATION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    prefs = HydrationPreferences.objects.select_for_update().filter(user=user).first() or HydrationPreferences(
        user=user
    )
    for name, value in hydration_preferences_validate(current=prefs, **changes).items():
        setattr(prefs, name, value)
    prefs.save()
    return prefs


TONE_WORDING: dict[str, tuple[str, str]] = {
    ReminderTone.GENTLE: (
        "A sip of water?",
        "Just a gentle nudge: you've had {drunk:,} of {target:,} {unit} today. A glass now would be lovely.",
    ),
    ReminderTone.MOTIVATIONAL: (
        "Hydrate and power on!",
        "You're at {drunk:,} {unit} — only {left:,} {unit} to reach {target:,} {unit}. "
        "Grab a glass and keep the streak going!",
    ),
    ReminderTone.MINIMAL: ("Water", "{drunk:,}/{target:,} {unit}."),
}


def hydration_reminder_text(
    *, tone: str, drunk_ml: int, target_ml: int, unit_system: units.UnitSystem = units.METRIC
) -> tuple[str, str]:
    """The reminder's title and message, with the amounts in the person's unit (ml or fl oz)."""
    title, message = TONE_WORDING.get(tone, TONE_WORDING[ReminderTone.GENTLE])
    return title, message.format(
        drunk=units.water_shown(drunk_ml, unit_system),
        target=units.water_shown(target_ml, unit_system),
        left=units.water_shown(max(target_ml - drunk_ml, 0), unit_system),
        unit=units.water_unit(unit_system),
    )


def hydration_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Sends the hydration reminders that are due: inside the person's local reminder window, at least
    `reminder_every_minutes` after the last one, and only while the day's water is below the target.
    Two queries for the run (the preferences with their people, the day's water per person) plus the
    writes for those reminded."""
    now = now or timezone.now()
    candidates = []
    for prefs in HydrationPreferences.objects.filter(
        reminder_enabled=True, user__deleted_at__isnull=True, user__is_active=True
    ).select_related("user"):
        row = f"hydration preferences {prefs.pk}"
        with isolated("hydration reminders", person=prefs.user_id, row=row, transactional=False):
            local_now = now.astimezone(prefs.user.zone)
            if not prefs.reminder_start <= local_now.time() < prefs.reminder_end:
                continue
            spacing = dt.timedelta(minutes=prefs.reminder_every_minutes) - SPACING_SLACK
            if prefs.last_reminded_at is not None and now - prefs.last_reminded_at < spacing:
                continue
            candidates.append((prefs, local_now.date()))
    if not candidates:
        return 0
    # The day's water of every candidate in one query: people's local dates differ, so match (user, date).
    days = Q()
    for prefs, day in candidates:
        days |= Q(user_id=prefs.user_id, date=day)
    drunk = {
        (row["user_id"], row["date"]): row["total"]
        for row in WaterLog.objects.filter(days).values("user_id", "date").annotate(total=Sum("amount_ml"))
    }
    sent = 0
    for prefs, day in candidates:
        total = drunk.get((prefs.user_id, day), 0)
        if total >= prefs.daily_target_ml:
            continue
        with isolated("hydration reminders", person=prefs.user_id, row=f"hydration preferences {prefs.pk}"):
            # Claim the slot so an overlapping run does not remind twice.
            claimed = HydrationPreferences.objects.filter(pk=prefs.pk, last_reminded_at=prefs.last_reminded_at).update(
                last_reminded_at=now
            )
            if not claimed:
                continue
            title, message = hydration_reminder_text(
                tone=prefs.tone, drunk_ml=total, target_ml=prefs.daily_target_ml, unit_system=prefs.user
            )
            notify(
                user=prefs.user,
                type=NotificationType.REMINDER,
                title=title,
                message=message,
                action_url=reverse("nutrition:preferences") + "#hydration",
            )
            sent += 1
    return sent
