"""Writes for the weekly workout schedule (seed 003 workout_schedules) and its reminders."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, NotificationType, User
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from fitjourney.batch import isolated

from ..models import WEEKDAY_FIELDS, RestDayPreference, WorkoutSchedule
from ..models.schedule import DURATION_MAX, DURATION_MIN

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SCHEDULE_FIELDS = (
    *WEEKDAY_FIELDS,
    "preferred_time",
    "preferred_duration_minutes",
    "reminder_enabled",
    "reminder_offset_minutes",
    "rest_day_preference",
    "is_locked",
)
# `days` is the seven weekday flags given at once; its errors (no day at all) are reported under it.
DAYS = "days"
REMINDER_OFFSET_MIN, REMINDER_OFFSET_MAX = -720, 0
WORKOUT_REMINDER_GRACE = dt.timedelta(minutes=30)  # a run late by up to this still sends; later ones do not


def _days_to_flags(days: Any) -> dict[str, bool]:
    """["monday", "friday"] or [1, 5] (ISO weekdays) as the seven flags."""
    if isinstance(days, str) or not isinstance(days, list | tuple | set | frozenset):
        raise ValidationError({DAYS: ['Give the workout days as a list, e.g. ["monday", "thursday"].']})
    chosen = set()
    for day in days:
        if isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= 7:
            chosen.add(day - 1)
        elif isinstance(day, str) and day.strip().lower() in WEEKDAY_NAMES:
            chosen.add(WEEKDAY_NAMES.index(day.strip().lower()))
        else:
            raise ValidationError({DAYS: [f"“{day}” is not a day of the week."]})
    return {field: index in chosen for index, field in enumerate(WEEKDAY_FIELDS)}


def _time(value: Any) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError({"preferred_time": ["Enter a time as HH:MM."]})


def workout_schedule_validate(*, current: WorkoutSchedule | None = None, **fields: Any) -> dict[str, Any]:
    """The schedule `fields` would give (on top of `current`, or of the defaults), checked without saving:
    at least one workout day, a duration of 15–180 minutes, a reminder 0–720 minutes before a preferred
    time. `days` sets all seven weekday flags at once. Returns {field: value} for SCHEDULE_FIELDS."""
    unknown = set(fields) - {*SCHEDULE_FIELDS, DAYS}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    values = {name: getattr(current if current is not None else WorkoutSchedule(), name) for name in SCHEDULE_FIELDS}
    errors: dict[str, list[str]] = {}
    if DAYS in fields:
        try:
            values.update(_days_to_flags(fields.pop(DAYS)))
        except ValidationError as error:
            errors.update(error.message_dict)
    values.update(fields)
    try:
        values["preferred_time"] = _time(values["preferred_time"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for name in (*WEEKDAY_FIELDS, "reminder_enabled", "is_locked"):
        if not isinstance(values[name], bool):
            errors.setdefault(name, []).append("Must be true or false.")
    if not errors.get(DAYS) and not any(values[name] is True for name in WEEKDAY_FIELDS):
        errors.setdefault(DAYS, []).append("Pick at least one workout day.")
    duration = values["preferred_duration_minutes"]
    if duration is not None and (
        isinstance(duration, bool) or not isinstance(duration, int) or not DURATION_MIN <= duration <= DURATION_MAX
    ):
        errors.setdefault("preferred_duration_minutes", []).append(
            f"A workout may last {DURATION_MIN} to {DURATION_MAX} minutes."
        )
    offset = values["reminder_offset_minutes"]
    if (
        isinstance(offset, bool)
        or not isinstance(offset, int)
        or not REMINDER_OFFSET_MIN <= offset <= REMINDER_OFFSET_MAX
    ):
        errors.setdefault("reminder_offset_minutes", []).append("The reminder can be 0 to 720 minutes before.")
    if values["rest_day_preference"] not in ("", *RestDayPreference.values):
        errors.setdefault("rest_day_preference", []).append("Choose fixed, flexible or automatic.")
    if values["reminder_enabled"] is True and values["preferred_time"] is None and "preferred_time" not in errors:
        errors.setdefault("preferred_time", []).append("Give a preferred time so we know when to remind you.")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def workout_schedule_set(*, user: User, **fields: Any) -> WorkoutSchedule:
    """Creates or updates the person's workout schedule (only the fields given change; `days` gives all seven
    weekday flags). Moving the preferred time lets today's reminder go out again at the new time."""
    schedule = WorkoutSchedule.objects.select_for_update().filter(user=user).first()
    before = copy.copy(schedule) if schedule is not None else None
    values = workout_schedule_validate(current=schedule, **fields)
    schedule = schedule or WorkoutSchedule(user=user)
    for name, value in values.items():
        setattr(schedule, name, value)
    if before is not None and before.preferred_time != schedule.preferred_time:
        schedule.last_reminded_on = None
    schedule.save()
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=user,
        entity=schedule,
        old_values={name: getattr(before, name) for name in SCHEDULE_FIELDS} if before is not None else None,
        new_values={**values, "event": "workout_schedule_set"},
    )
    return schedule


def _workout_reminder_due(schedule: WorkoutSchedule, now: dt.datetime) -> tuple[dt.date, dt.datetime] | None:
    """(the workout's local date, the person's local now) when its reminder is due now, else None."""
    if schedule.preferred_time is None:  # no time, no reminder (the sweep selects only those with one)
        return None
    zone = schedule.user.zone
    local_now = now.astimezone(zone)
    # A reminder can fall on the day before the workout (a 06:00 workout reminded at 23:00).
    for day in (local_now.date(), local_now.date() + dt.timedelta(days=1)):
        if not schedule.is_workout_day(day):
            continue
        due = dt.datetime.combine(day, schedule.preferred_time, tzinfo=zone) + dt.timedelta(
            minutes=schedule.reminder_offset_minutes
        )
        if due <= local_now < due + WORKOUT_REMINDER_GRACE:
            return day, local_now
    return None


def workout_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Sends every due workout reminder: `reminder_offset_minutes` before the preferred time on the person's
    workout days, in their time zone, once a day (last_reminded_on holds the workout's local date). A run up
    to 30 minutes late still sends; a conditional UPDATE makes two overlapping runs send once."""
    now = now or timezone.now()
    sent = 0
    # Schedules with a reminder, of live accounts, with their person: one query for the whole run.
    schedules = WorkoutSchedule.objects.filter(
        reminder_enabled=True, preferred_time__isnull=False, user__deleted_at__isnull=True, user__is_active=True
    ).select_related("user")
    for schedule in schedules:
        row = f"workout schedule {schedule.pk}"
        with isolated("workout reminders", person=schedule.user_id, row=row, transactional=False) as outcome:
            due = _workout_reminder_due(schedule, now)
        if outcome.failed or due is None:
            continue
        day, local_now = due
        with isolated("workout reminders", person=schedule.user_id, row=row):
            claimed = (
                WorkoutSchedule.objects.filter(pk=schedule.pk)
                .filter(Q(last_reminded_on__isnull=True) | ~Q(last_reminded_on=day))
                .update(last_reminded_on=day)
            )
            if not claimed:
                continue
            minutes = schedule.preferred_duration_minutes
            length = f" for {minutes} minutes" if minutes else ""
            when = "today" if day == local_now.date() else "tomorrow"
            notify(
                user=schedule.user,
                type=NotificationType.REMINDER,
                title=f"Workout at {schedule.preferred_time:%H:%M}",
                message=f"Your workout is planned {when} at {schedule.preferred_time:%H:%M}{length}.",
                action_url=reverse("training:index"),
            )
            sent += 1
    return sent


__all__ = [
    "SCHEDULE_FIELDS",
    "WEEKDAY_NAMES",
    "workout_reminders_send",
    "workout_schedule_set",
    "workout_schedule_validate",
]
