"""A trainer's availability: weekly working hours at the locations they work at, and time off.

The trainer edits their own; gym staff of the location (and superusers) may too. Overlaps are refused by
the database (exclusion constraints): the IntegrityError is caught inside a savepoint and answered with the
constraint's own message, so two concurrent edits cannot both slip through a check made in Python.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from fitjourney.dates import EARLIEST_DATE, LATEST_DATE, check_planned_date
from fitjourney.errors import NotFound

from ..models import Location, TimeOff, Trainer, WorkingHours

WORKING_HOURS_FIELDS = ("location", "weekday", "starts", "ends")
TIME_OFF_FIELDS = ("starts_at", "ends_at", "reason")
LONGEST_TIME_OFF = dt.timedelta(days=366)


def constraint_error(error: IntegrityError, model: type[models.Model], *, field: str) -> ValidationError:
    """The violated constraint's message as a field error (re-raises what is not one of `model`'s)."""
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return ValidationError({field: [constraint.get_violation_error_message()]})
    raise error


def check_moment(moment: dt.datetime, *, field: str) -> None:
    """An aware date-time far from the calendar's ends (so no arithmetic on it can overflow)."""
    if timezone.is_naive(moment):
        raise ValidationError({field: ["Give the time with its time zone."]})
    low = dt.datetime.combine(EARLIEST_DATE, dt.time(), tzinfo=dt.UTC)
    high = dt.datetime.combine(LATEST_DATE, dt.time(), tzinfo=dt.UTC)
    if not low <= moment <= high:
        raise ValidationError({field: [f"Enter a time between {EARLIEST_DATE} and {LATEST_DATE}."]})


def staff_of(user: User, location: Location | UUID | str) -> bool:
    location_id: Any = getattr(location, "pk", location)
    return user.gym_locations.filter(pk=location_id).exists()


def may_manage_trainer(*, actor: User, trainer: Trainer, location: Location | None = None) -> bool:
    """The trainer themself, a superuser, or gym staff of `location` (or of one of the trainer's locations)."""
    if actor.is_superuser or trainer.user_id == actor.pk:
        return True
    if location is not None:
        return staff_of(actor, location)
    return actor.gym_locations.filter(pk__in=trainer.locations.values("pk")).exists()


def _check_hours(*, trainer: Trainer, location: Location, weekday: int, starts: dt.time, ends: dt.time) -> None:
    if not location.is_active:
        raise ValidationError({"location": ["This location is closed for good."]})
    if not trainer.locations.filter(pk=location.pk).exists():
        raise ValidationError({"location": ["The trainer does not work at this location."]})
    if weekday not in range(7):
        raise ValidationError({"weekday": ["Choose a day of the week."]})
    if starts >= ends:
        raise ValidationError({"ends": ["Working hours end after they start."]})


def _save(obj: models.Model, *, field: str) -> None:
    obj.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise constraint_error(error, type(obj), field=field) from None


@transaction.atomic
def working_hours_add(
    *, actor: User, trainer: Trainer, location: Location, weekday: int, starts: dt.time, ends: dt.time
) -> WorkingHours:
    if not may_manage_trainer(actor=actor, trainer=trainer, location=location):
        raise NotFound("No such trainer.")
    _check_hours(trainer=trainer, location=location, weekday=weekday, starts=starts, ends=ends)
    hours = WorkingHours(trainer=trainer, location=location, weekday=weekday, starts=starts, ends=ends)
    _save(hours, field="starts")
    return hours


@transaction.atomic
def working_hours_update(
    *,
    actor: User,
    hours: WorkingHours,
    location: Location | None = None,
    weekday: int | None = None,
    starts: dt.time | None = None,
    ends: dt.time | None = None,
) -> WorkingHours:
    if not may_manage_trainer(actor=actor, trainer=hours.trainer, location=hours.location):
        raise NotFound("No such working hours.")
    hours.location = location or hours.location
    hours.weekday = hours.weekday if weekday is None else weekday
    hours.starts = starts or hours.starts
    hours.ends = ends or hours.ends
    _check_hours(
        trainer=hours.trainer, location=hours.location, weekday=hours.weekday, starts=hours.starts, ends=hours.ends
    )
    _save(hours, field="starts")
    return hours


@transaction.atomic
def working_hours_delete(*, actor: User, hours: WorkingHours) -> None:
    """Bookings already made in these hours stay: deleting hours only stops new ones."""
    if not may_manage_trainer(actor=actor, trainer=hours.trainer, location=hours.location):
        raise NotFound("No such working hours.")
    WorkingHours.objects.filter(pk=hours.pk).delete()


@transaction.atomic
def time_off_add(
    *,
    actor: User,
    trainer: Trainer,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str = "",
    now: dt.datetime | None = None,
) -> TimeOff:
    if not may_manage_trainer(actor=actor, trainer=trainer):
        raise NotFound("No such trainer.")
    check_moment(starts_at, field="starts_at")
    check_moment(ends_at, field="ends_at")
    zone = trainer.user.zone
    check_planned_date(timezone.localdate(starts_at, zone), zone=zone, field="starts_at", now=now)
    check_planned_date(timezone.localdate(ends_at, zone), zone=zone, field="ends_at", now=now)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ["Time off ends after it starts."]})
    if ends_at - starts_at > LONGEST_TIME_OFF:
        raise ValidationError({"ends_at": ["Enter time off of a year at most (add another for longer)."]})
    if ends_at <= (now or timezone.now()):
        raise ValidationError({"ends_at": ["This time off is already over."]})
    off = TimeOff(trainer=trainer, starts_at=starts_at, ends_at=ends_at, reason=reason.strip())
    _save(off, field="starts_at")
    return off


@transaction.atomic
def time_off_delete(*, actor: User, time_off: TimeOff) -> None:
    if not may_manage_trainer(actor=actor, trainer=time_off.trainer):
        raise NotFound("No such time off.")
    TimeOff.objects.filter(pk=time_off.pk).delete()


__all__ = [
    "TIME_OFF_FIELDS",
    "WORKING_HOURS_FIELDS",
    "check_moment",
    "constraint_error",
    "may_manage_trainer",
    "staff_of",
    "time_off_add",
    "time_off_delete",
    "working_hours_add",
    "working_hours_delete",
    "working_hours_update",
]
