"""Writes of habits: the person's habits, their daily check-ins and the reminders.

Values are stored in the habit's own unit, as given by its template or by the person ("glasses",
"steps", "hours" for Sleep, "minutes" for Meditation): a duration habit of 7 hours stores 7.5 for seven
and a half hours. Nothing is converted, so the number the person typed is the number they see again.

Every write that changes what a day counts announces the day (fitjourney.hooks.changes) inside its transaction:
a check-in its date; creating, changing or deleting a habit the days from its start to today (at most
the last 60), since each of them may now count the habit as due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationType, User
from accounts.services.notifications import notify
from fitjourney.batch import isolated
from fitjourney.dates import check_planned_date
from fitjourney.errors import NotFound
from fitjourney.hooks.changes import days_changed_announce

from ..models import Frequency, Habit, HabitCategory, HabitLog, HabitTemplate, TrackingType
from ..models.habits import MAX_VALUE
from ..selectors.habits import habit_scheduled_on, week_start

SOURCE = "coaching.habit"
ANNOUNCE_DAYS = 60
# What a habit's writes accept (the form, the API's serializers and the admin show exactly these).
HABIT_FIELDS = (
    "name",
    "description",
    "category",
    "tracking_type",
    "unit",
    "target_value",
    "frequency",
    "weekdays",
    "reminder_time",
    "start_date",
    "end_date",
    "is_active",
)
# Beat runs every 5 minutes and may start a little late: a reminder goes out in the 10 minutes after
# its time (once a day, whatever the number of runs in that window).
REMINDER_GRACE = dt.timedelta(minutes=10)
# How far ahead a habit may be planned to start, and how far back it may have started.
MAX_START_AHEAD = dt.timedelta(days=366)
MAX_START_BACK = dt.timedelta(days=20 * 366)


def _own(user: User, habit: Habit) -> None:
    if habit.user_id != user.pk or habit.deleted_at is not None:
        raise NotFound("Habit not found.")


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: ["Enter a number."]}) from None
    if not number.is_finite():
        raise ValidationError({field: ["Enter a number."]})
    return number


def _date(value: Any, field: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: ["Enter a date as YYYY-MM-DD."]}) from None


def _habit_days(habit: Habit, today: dt.date) -> set[dt.date]:
    """The local dates whose totals may count this habit: start (or 60 days ago) to end (or today)."""
    first = max(habit.start_date, today - dt.timedelta(days=ANNOUNCE_DAYS - 1))
    last = min(habit.end_date or today, today)
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)} if first <= last else set()


def _weekdays(value: Any) -> list[int]:
    if value in (None, ""):
        return []
    try:
        days = sorted({int(day) for day in value})
    except (TypeError, ValueError):
        raise ValidationError({"weekdays": ["Choose weekdays as numbers 1 (Monday) to 7 (Sunday)."]}) from None
    if any(not 1 <= day <= 7 for day in days):
        raise ValidationError({"weekdays": ["Choose weekdays as numbers 1 (Monday) to 7 (Sunday)."]})
    return days


def _validate_habit(habit: Habit, today: dt.date) -> None:
    """The rules people meet, with a message per field (the database constraints back them up)."""
    errors: dict[str, list[str]] = {}
    habit.name = (habit.name or "").strip()
    habit.unit = (habit.unit or "").strip()
    habit.description = (habit.description or "").strip()
    if not habit.name:
        errors.setdefault("name", []).append("Give the habit a name.")
    if habit.tracking_type not in TrackingType.values:
        errors.setdefault("tracking_type", []).append("Choose done-or-not, a number or a duration.")
    elif habit.tracking_type == TrackingType.BOOLEAN:
        if habit.target_value is not None:
            errors.setdefault("target_value", []).append("A done-or-not habit has no target.")
    elif habit.target_value is None:
        errors.setdefault("target_value", []).append("Set a target: the habit is done when you reach it.")
    elif not Decimal("0.01") <= habit.target_value <= MAX_VALUE:
        errors.setdefault("target_value", []).append(f"Choose a target from 0.01 to {MAX_VALUE:,}.")
    if habit.frequency not in Frequency.values:
        errors.setdefault("frequency", []).append("Choose every day, once a week or chosen weekdays.")
    elif habit.frequency == Frequency.CUSTOM and not habit.weekdays:
        errors.setdefault("weekdays", []).append("Choose at least one weekday.")
    if habit.category not in HabitCategory.values:
        errors.setdefault("category", []).append("Choose a category.")
    if habit.start_date is None:
        errors.setdefault("start_date", []).append("Choose a start date.")
    elif habit.start_date > today + MAX_START_AHEAD:
        errors.setdefault("start_date", []).append("Start within the next year.")
    elif habit.start_date < today - MAX_START_BACK:
        errors.setdefault("start_date", []).append("Start within the last 20 years.")
    elif habit.end_date is not None and habit.end_date < habit.start_date:
        errors.setdefault("end_date", []).append("The end date cannot be before the start date.")
    try:
        check_planned_date(habit.end_date, zone=habit.user.zone, field="end_date")
    except ValidationError as exc:
        errors.setdefault("end_date", []).extend(exc.message_dict["end_date"])
    if errors:
        raise ValidationError(errors)
    try:
        habit.full_clean(exclude=["user", "template"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _apply(habit: Habit, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(HABIT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), ["Unknown field."]))
    for name, value in fields.items():
        if name == "target_value":
            value = _decimal(value, "target_value")
        elif name == "weekdays":
            value = _weekdays(value)
        elif name in ("start_date", "end_date"):
            value = _date(value, name)
        elif name in ("name", "description", "unit", "category") and value is None:
            value = ""
        setattr(habit, name, value)
    # Done-or-not habits carry no target; only custom habits carry weekdays.
    if habit.tracking_type == TrackingType.BOOLEAN and "target_value" not in fields:
        habit.target_value = None
    if habit.frequency != Frequency.CUSTOM:
        habit.weekdays = []
    if habit.tracking_type == TrackingType.DURATION and not habit.unit:
        habit.unit = "minutes"


@transaction.atomic
def habit_create(*, user: User, template: HabitTemplate | None = None, **fields: Any) -> Habit:
    """A new habit of the person's. From a template, the name, description, category, tracking type,
    unit, target and frequency default to the template's; anything given in `fields` wins."""
    today = user.local_today()
    habit = Habit(user=user, start_date=today, category=HabitCategory.CUSTOM)
    if template is not None:
        if not (template.is_system or template.created_by_id == user.pk):
            raise ValidationError({"template": ["Choose one of the templates offered."]})
        habit.template = template
        habit.name = template.name
        habit.description = template.description
        habit.category = template.category
        habit.tracking_type = template.tracking_type
        habit.unit = template.unit
        habit.target_value = template.default_target if template.tracking_type != TrackingType.BOOLEAN else None
        habit.frequency = template.frequency
    _apply(habit, fields)
    _validate_habit(habit, today)
    habit.save()
    days_changed_announce(user_id=user.pk, dates=_habit_days(habit, today), source=SOURCE)
    return habit


@transaction.atomic
def habit_update(*, user: User, habit: Habit, **fields: Any) -> Habit:
    """Changes the fields given. The days it counted before and counts now are announced."""
    _own(user, habit)
    today = user.local_today()
    before = _habit_days(habit, today)
    _apply(habit, fields)
    _validate_habit(habit, today)
    habit.save()
    days_changed_announce(user_id=user.pk, dates=before | _habit_days(habit, today), source=SOURCE)
    return habit


@transaction.atomic
def habit_delete(*, user: User, habit: Habit) -> None:
    """Soft delete: the habit leaves every page; its logs stay for the summaries until erasure."""
    _own(user, habit)
    habit.deleted_at = timezone.now()
    habit.save(update_fields=["deleted_at", "updated_at"])
    days_changed_announce(user_id=user.pk, dates=_habit_days(habit, user.local_today()), source=SOURCE)


# ---------------------------------------------------------------------------------------------------
# Check-ins


def _lock_habit(user: User, habit: Habit) -> Habit:
    """Every check-in of a habit takes the habit's row lock first, so two check-ins of the same day
    (a double tap, two devices) run one after the other: the second finds the first's row and updates
    it. The unique constraint (habit, log_date) stays the last word."""
    _own(user, habit)
    locked = Habit.objects.select_for_update(of=("self",)).filter(pk=habit.pk, user=user).first()
    if locked is None:
        raise NotFound("Habit not found.")
    return locked


def _check_day(user: User, habit: Habit, log_date: Any) -> dt.date:
    day = _date(log_date, "log_date")
    if day is None:
        raise ValidationError({"log_date": ["Choose the day."]})
    if day > user.local_today():
        raise ValidationError({"log_date": ["You cannot check in for a day that has not come yet."]})
    if day < habit.start_date:
        raise ValidationError({"log_date": [f"This habit starts on {habit.start_date:%-d %B %Y}."]})
    if habit.end_date and day > habit.end_date:
        raise ValidationError({"log_date": [f"This habit ended on {habit.end_date:%-d %B %Y}."]})
    return day


def _write_log(habit: Habit, log_date: dt.date, apply: Callable[[HabitLog], None]) -> HabitLog:
    """Creates the day's log or updates the existing one (the habit is locked by the caller)."""
    found = HabitLog.objects.filter(habit=habit, log_date=log_date).first()
    created = found is None
    log = HabitLog(habit=habit, log_date=log_date, notes="") if found is None else found
    apply(log)
    log.logged_at = timezone.now()
    try:
        log.full_clean(exclude=["habit"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    log.save(force_insert=created)
    # Whether this call inserted the row: the API answers 201 then, 200 for an update.
    log.was_created = created
    return log


@transaction.atomic
def habit_log_set(
    *,
    user: User,
    habit: Habit,
    log_date: dt.date,
    completed: bool | None = None,
    value: Decimal | None = None,
    notes: str | None = None,
) -> HabitLog:
    """Records the day's check-in; a second one for the same day updates the first.

    Done-or-not habits take `completed`; number and duration habits take `value` (in the habit's unit)
    and are completed when it reaches the target. `notes` None keeps the notes already there.
    The returned log's `was_created` says whether it was new.
    """
    habit = _lock_habit(user, habit)
    log_date = _check_day(user, habit, log_date)
    if habit.tracking_type == TrackingType.BOOLEAN:
        if value not in (None, ""):
            raise ValidationError({"value": [f"{habit.name} is done or not: send completed, not a number."]})
        if completed is None:
            raise ValidationError({"completed": ["Say whether it is done."]})
        number = None
    else:
        number = _decimal(value, "value")
        if number is None:
            raise ValidationError({"value": [f"Enter how much ({habit.unit or 'a number'})."]})
        if not 0 <= number <= MAX_VALUE:
            raise ValidationError({"value": [f"Enter 0 to {MAX_VALUE:,}."]})
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError({"value": ["Use at most two decimals."]})
    if notes is not None and len(notes) > 1000:
        raise ValidationError({"notes": ["Keep notes to 1,000 characters."]})

    def apply(log: HabitLog) -> None:
        if habit.tracking_type == TrackingType.BOOLEAN:
            log.completed = bool(completed)
            log.value = None
        else:
            log.value = number
            # A number or duration habit always has a target (a database constraint).
            log.completed = number is not None and habit.target_value is not None and number >= habit.target_value
        if notes is not None:
            log.notes = notes.strip()

    log = _write_log(habit, log_date, apply)
    days_changed_announce(user_id=user.pk, dates=[log_date], source=SOURCE)
    return log


@transaction.atomic
def habit_log_toggle(*, user: User, habit: Habit, log_date: dt.date) -> HabitLog:
    """One tap for a done-or-not habit: done if it was not, not done if it was."""
    habit = _lock_habit(user, habit)
    log_date = _check_day(user, habit, log_date)
    if habit.tracking_type != TrackingType.BOOLEAN:
        raise ValidationError({"value": [f"Enter how much ({habit.unit or 'a number'}) for {habit.name}."]})

    def apply(log: HabitLog) -> None:
        log.completed = True if log._state.adding else not log.completed

    log = _write_log(habit, log_date, apply)
    days_changed_announce(user_id=user.pk, dates=[log_date], source=SOURCE)
    return log


@transaction.atomic
def habit_log_delete(*, user: User, habit: Habit, log_date: dt.date) -> bool:
    """Removes the day's check-in (the day counts as not done again). False when there was none."""
    habit = _lock_habit(user, habit)
    day = _date(log_date, "log_date")
    if day is None:
        return False
    deleted, _ = HabitLog.objects.filter(habit=habit, log_date=day).delete()
    if deleted:
        days_changed_announce(user_id=user.pk, dates=[day], source=SOURCE)
    return bool(deleted)


# ---------------------------------------------------------------------------------------------------
# Reminders


def _reminder_day(habit: Habit, now: dt.datetime) -> dt.date | None:
    """The local date whose reminder is due at `now`, if any: the reminder time falls in the last
    REMINDER_GRACE (which may reach back over midnight to yesterday's reminder)."""
    if habit.reminder_time is None:
        return None
    zone = habit.user.zone
    local_now = now.astimezone(zone)
    for day in (local_now.date(), local_now.date() - dt.timedelta(days=1)):
        due = dt.datetime.combine(day, habit.reminder_time, tzinfo=zone)
        if due <= local_now < due + REMINDER_GRACE:
            return day
    return None


def habit_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Sends the habit reminders due now: at the habit's reminder time in the person's time zone, on a day
    the habit is due (a weekly habit: any day of a week it is not done yet), when not completed yet, once
    a day (last_reminded_on, claimed with a conditional UPDATE so two overlapping runs send once).
    Two queries for the run (the habits with their people; the completed logs that matter) plus the
    writes for those reminded."""
    now = now or timezone.now()
    candidates: list[tuple[Habit, dt.date]] = []
    habits = (
        Habit.objects.filter(
            is_active=True, reminder_time__isnull=False, user__deleted_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .order_by("reminder_time")
    )
    for habit in habits:
        with isolated("habit reminders", person=habit.user_id, row=f"habit {habit.pk}", transactional=False):
            day = _reminder_day(habit, now)
            if day is None or habit.last_reminded_on == day:
                continue
            if habit.frequency == Frequency.WEEKLY:
                if day < habit.start_date or (habit.end_date and day > habit.end_date):
                    continue
            elif not habit_scheduled_on(habit, day):
                continue
            candidates.append((habit, day))
    if not candidates:
        return 0
    # Completed check-ins of the candidates in their reminder week (a weekly habit done on Monday needs
    # no reminder on Thursday): one query.
    first = min(week_start(day) for _, day in candidates)
    done = set(
        HabitLog.objects.filter(
            habit__in=[habit.pk for habit, _ in candidates], completed=True, log_date__gte=first
        ).values_list("habit_id", "log_date")
    )
    sent = 0
    for habit, day in candidates:
        if habit.frequency == Frequency.WEEKLY:
            if any((habit.pk, week_start(day) + dt.timedelta(days=n)) in done for n in range(7)):
                continue
        elif (habit.pk, day) in done:
            continue
        with isolated("habit reminders", person=habit.user_id, row=f"habit {habit.pk}"):
            claimed = (
                Habit.objects.filter(pk=habit.pk)
                .filter(Q(last_reminded_on__isnull=True) | ~Q(last_reminded_on=day))
                .update(last_reminded_on=day)
            )
            if not claimed:
                continue
            notify(
                user=habit.user,
                type=NotificationType.REMINDER,
                title=f"Time for {habit.name}",
                message=_reminder_message(habit),
                related=habit,
                action_url=reverse("coaching:habits"),
            )
            sent += 1
    return sent


def _reminder_message(habit: Habit) -> str:
    when = "this week" if habit.frequency == Frequency.WEEKLY else "today"
    if habit.tracking_type == TrackingType.BOOLEAN:
        return f"{habit.name} is still open {when}. One tap when it's done."
    target = format(habit.target_value.normalize(), "f") if habit.target_value is not None else ""
    return f"{habit.name} is still open {when}: your target is {target} {habit.unit}.".replace(" .", ".")


__all__ = [
    "HABIT_FIELDS",
    "habit_create",
    "habit_delete",
    "habit_log_delete",
    "habit_log_set",
    "habit_log_toggle",
    "habit_reminders_send",
    "habit_update",
]
