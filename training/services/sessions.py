"""Writes for sessions: start, log exercises and sets, metrics, media, finish, delete, templates.

Every function takes the acting person as `user` and checks that each object it is given belongs to
(or, for exercises, is visible to) that person; another person's object is "not found"
(fitjourney.errors.NotFound), an invisible exercise or template is a field error. The owner of anything
created is always `user`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery, Sum
from django.utils import timezone

from accounts.models import User
from accounts.selectors.body import body_weight_nearest_kg
from fitjourney.batch import isolated
from fitjourney.dates import check_entry_datetime
from fitjourney.errors import NotFound
from fitjourney.hooks.changes import days_changed_announce
from fitjourney.images import image_clean

from .. import compendium
from ..models import (
    ActivityType,
    Exercise,
    InputType,
    MediaType,
    MetricTemplate,
    Session,
    SessionExercise,
    SessionMedia,
    SessionMetric,
    SessionStatus,
    Set,
)
from ..models.sessions import (
    MAX_EXERCISES_PER_SESSION,
    MAX_REPS,
    MAX_SESSION_DURATION,
    MAX_SETS_PER_EXERCISE,
    MAX_WEIGHT_KG,
)
from . import library as library_service
from . import records as records_service
from . import streaks as streaks_service

CENT = Decimal("0.01")
# What session_update accepts (the session page's details form and the API's session fields import it).
SESSION_FIELDS = (
    "name",
    "location",
    "weather",
    "mood_before",
    "mood_after",
    "energy_level",
    "rating",
    "perceived_exertion",
    "avg_heart_rate",
    "max_heart_rate",
    "injuries",
    "notes",
    "started_at",
    "ended_at",
)
# Text fields are stored blank, never null: None clears them.
SESSION_TEXT_FIELDS = ("name", "location", "weather", "mood_before", "mood_after", "injuries", "notes")
# What set_add and set_update accept (the set form and the API's set serializers follow it).
SET_FIELDS = (
    "reps",
    "weight_kg",
    "duration_seconds",
    "distance_m",
    "rest_seconds",
    "rpe",
    "tempo",
    "is_warmup",
    "is_failure",
    "is_drop_set",
    "is_completed",
    "notes",
)
SET_TEXT_FIELDS = ("tempo", "notes")
# What a plan keeps when a session is repeated, started from a template or saved as one: the exercises in
# their order and groups, and each set's targets. Planned sets are never completed, so they add no volume.
PLAN_EXERCISE_FIELDS = ("exercise", "order", "superset_group", "notes")
PLAN_SET_FIELDS = (
    "number",
    "reps",
    "weight_kg",
    "duration_seconds",
    "distance_m",
    "rest_seconds",
    "tempo",
    "is_warmup",
    "is_drop_set",
)
# The same rules as the database's check constraints, checked in Python so a refusal names its field
# (Model.validate_constraints would also cost one query per constraint).
SESSION_RANGES = {
    "energy_level": (1, 10),
    "rating": (1, 10),
    "perceived_exertion": (1, 10),
    "avg_heart_rate": (20, 250),
    "max_heart_rate": (20, 250),
}
SET_RANGES = {
    "reps": (1, MAX_REPS),
    "weight_kg": (0, MAX_WEIGHT_KG),
    "duration_seconds": (0, 7 * 24 * 3600),
    "distance_m": (0, 10_000_000),
    "rest_seconds": (0, 24 * 3600),
    "rpe": (1, 10),
}

NOT_FOUND = "Not found."
# A session lasts at most MAX_SESSION_DURATION (24 h; the database checks it too): a longer one is a
# forgotten "finish", and its minutes and calories would swamp the day's summary.
SESSION_TOO_LONG = "A session lasts at most 24 hours."
TOO_MANY_EXERCISES = f"A session has at most {MAX_EXERCISES_PER_SESSION} exercises."
TOO_MANY_SETS = f"An exercise has at most {MAX_SETS_PER_EXERCISE} sets."
# The moments a person enters on a session; each obeys the one date rule (fitjourney.dates).
ENTERED_MOMENTS = ("started_at", "ended_at")
SUMMARY_SOURCE = "training.session"


# ---------------------------------------------------------------------------------------------------
# Ownership helpers


def _own_session(user: User, session: Session) -> None:
    if session.user_id != user.pk or session.deleted_at is not None:
        raise NotFound("Session not found.")


def _own_session_exercise(user: User, session_exercise: SessionExercise) -> None:
    _own_session(user, session_exercise.session)


def _check_ranges(values: dict[str, Any], ranges: dict[str, tuple[int, int]]) -> None:
    errors: dict[str, list[str]] = {}
    for field, (low, high) in ranges.items():
        value = values.get(field)
        if value is None or value == "":
            continue
        if value < low or value > high:
            errors[field] = [f"Enter a value from {low} to {high}."]
    if errors:
        raise ValidationError(errors)


def _check_entered_moments(user: User, values: dict[str, Any]) -> None:
    """The date rule for the start and end a person gave, before anything uses them: a local date of
    year 1 or 9999 cannot even be computed in every zone."""
    errors: dict[str, list[str]] = {}
    for field in ENTERED_MOMENTS:
        try:
            check_entry_datetime(values.get(field), zone=user.zone, field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


def _check_duration(session: Session) -> None:
    if session.ended_at and session.started_at:
        if session.ended_at < session.started_at:
            raise ValidationError({"ended_at": ["A session cannot end before it starts."]})
        if session.ended_at - session.started_at > MAX_SESSION_DURATION:
            raise ValidationError({"ended_at": [SESSION_TOO_LONG]})


def _session_checks(session: Session) -> None:
    values = {field: getattr(session, field) for field in SESSION_RANGES}
    _check_ranges(values, SESSION_RANGES)
    errors: dict[str, list[str]] = {}
    if session.avg_heart_rate and session.max_heart_rate and session.avg_heart_rate > session.max_heart_rate:
        errors["avg_heart_rate"] = ["The average heart rate cannot be above the maximum."]
    try:
        _check_duration(session)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    # Foreign keys are checked by whoever passed them; the ranges above mirror the constraints.
    session.full_clean(exclude={"user", "activity_type", "source_template"}, validate_constraints=False)


def _volume(s: Set) -> Decimal:
    """Volume counts completed working sets: reps × weight (warm-ups and planned sets do not)."""
    if not s.is_completed or s.is_warmup or not s.reps or s.weight_kg is None:
        return Decimal(0)
    return (Decimal(s.reps) * Decimal(s.weight_kg)).quantize(CENT)


# ---------------------------------------------------------------------------------------------------
# Sessions


def _local_date(user: User, at: datetime) -> date:
    return timezone.localdate(at, user.zone)


def _counts_in_summaries(session: Session) -> bool:
    """Daily summaries count finished, performed, non-deleted sessions (coaching.services.summaries)."""
    return session.status == SessionStatus.FINISHED and not session.is_template and session.deleted_at is None


def _copy_plan(*, source: Session, target: Session, exercise_fields: tuple[str, ...] = ()) -> list[SessionExercise]:
    """Copies the source's exercises and their sets into `target` as a plan (PLAN_*_FIELDS, plus any
    `exercise_fields`): three queries and two bulk inserts whatever the size."""
    fields = PLAN_EXERCISE_FIELDS + exercise_fields
    new_exercises: list[SessionExercise] = []
    new_sets: list[Set] = []
    for se in source.exercises.select_related("exercise").prefetch_related("sets"):
        sets = list(se.sets.all())
        copy = SessionExercise(session=target, set_count=len(sets), **{f: getattr(se, f) for f in fields})
        new_exercises.append(copy)
        new_sets.extend(
            Set(session_exercise=copy, is_completed=False, **{f: getattr(s, f) for f in PLAN_SET_FIELDS}) for s in sets
        )
    SessionExercise.objects.bulk_create(new_exercises)
    Set.objects.bulk_create(new_sets)
    return new_exercises


@transaction.atomic
def session_start(
    *,
    user: User,
    activity_type: ActivityType | None = None,
    started_at: datetime | None = None,
    name: str = "",
    from_template: Session | None = None,
    repeat_session: Session | None = None,
    recorded_by: User | None = None,
) -> Session:
    """Starts a session of `user`; `recorded_by` is the trainer logging it on the person's behalf (the
    caller has checked the person's grant)."""
    if from_template is not None and repeat_session is not None:
        raise ValidationError("Start from a template or repeat a session, not both.")
    source = None
    if from_template is not None:
        if from_template.user_id != user.pk or not from_template.is_template or from_template.deleted_at:
            raise ValidationError({"from_template": ["Template not found."]})
        source = from_template
    if repeat_session is not None:
        if repeat_session.user_id != user.pk or repeat_session.is_template or repeat_session.deleted_at:
            raise ValidationError({"repeat_session": ["Session not found."]})
        source = repeat_session
    if activity_type is None:
        if source is None:
            raise ValidationError({"activity_type": ["Choose an activity type."]})
        activity_type = source.activity_type
    started_at = started_at or timezone.now()
    _check_entered_moments(user, {"started_at": started_at})
    if not name and source is not None:
        name = source.template_name or source.name
    session = Session(
        user=user,
        activity_type=activity_type,
        name=name,
        started_at=started_at,
        local_date=_local_date(user, started_at),
        status=SessionStatus.IN_PROGRESS,
        source_template=from_template,
        recorded_by=recorded_by,
    )
    _session_checks(session)
    session.save()
    if source is not None:
        # Starting again from a plan keeps the form notes too.
        copied = _copy_plan(source=source, target=session, exercise_fields=("form_notes",))
        if copied:
            library_service.exercise_usage_count_later(exercise_ids=[se.exercise_id for se in copied])
    return session


@transaction.atomic
def session_create_whole(*, user: User, data: dict[str, Any], recorded_by: User | None = None) -> Session:
    """A whole session in one transaction, all or nothing: its fields, exercises in order (with superset
    groups) and their sets, the type's metrics, finished when `data["finished"]`. Field errors are named
    by their path ("exercises[0].sets[2].reps"). Used by POST /api/v1/sessions/ and the trainer's session
    cards (`recorded_by`)."""
    fields = {k: data[k] for k in SESSION_FIELDS if k in data and k != "started_at"}
    finished = data.get("finished", False)
    ended_at = fields.pop("ended_at", None)
    session = session_start(
        user=user,
        activity_type=data["activity_type"],
        started_at=data.get("started_at"),
        name=data.get("name", ""),
        recorded_by=recorded_by,
    )
    fields.pop("name", None)
    if fields:
        session_update(user=user, session=session, **fields)
    items = sorted(enumerate(data.get("exercises", [])), key=lambda pair: (pair[1].get("order", 10**6), pair[0]))
    for index, item in items:
        se = exercise_add(user=user, session=session, exercise=item["exercise"], notes=item.get("notes", ""))
        if item.get("superset_group") is not None:
            se.superset_group = item["superset_group"]
            se.save(update_fields=["superset_group"])
        for set_index, set_fields in enumerate(item.get("sets", [])):
            try:
                set_add(user=user, session_exercise=se, **set_fields)
            except ValidationError as exc:
                raise ValidationError(
                    {f"exercises[{index}].sets[{set_index}].{k}": v for k, v in exc.message_dict.items()}
                ) from exc
    if data.get("metrics"):
        try:
            metrics_save(user=user, session=session, values=data["metrics"])
        except ValidationError as exc:
            raise ValidationError({f"metrics.{k}": v for k, v in exc.message_dict.items()}) from exc
    if finished:
        session = session_finish(user=user, session=session, ended_at=ended_at)
    elif ended_at:
        session_update(user=user, session=session, ended_at=ended_at)
    return session


@transaction.atomic
def session_update(*, user: User, session: Session, **fields: Any) -> Session:
    _own_session(user, session)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError({key: ["This field cannot be changed."] for key in sorted(unknown)})
    # Only what changes is held to the rule: editing the notes of an old session never trips on its date.
    _check_entered_moments(user, fields)
    for key, value in fields.items():
        setattr(session, key, "" if key in SESSION_TEXT_FIELDS and value is None else value)
    old_date = session.local_date
    if "started_at" in fields and session.started_at is None:
        raise ValidationError({"started_at": ["A session needs a start."]})
    if session.status == SessionStatus.FINISHED and "ended_at" in fields and session.ended_at is None:
        raise ValidationError({"ended_at": ["A finished session needs an end."]})
    session.local_date = _local_date(user, session.started_at)
    _session_checks(session)
    session.save()
    # The effort chooses a swim's MET when it has no distance (training.compendium).
    if {"started_at", "ended_at", "perceived_exertion"} & set(fields) and session.status == SessionStatus.FINISHED:
        _calories_refresh(session)
        session.refresh_from_db(fields=["duration_seconds"])
        if _counts_in_summaries(session):
            # Its minutes and calories changed, and a new start may move it to another day.
            days_changed_announce(user_id=user.pk, dates=[old_date, session.local_date], source=SUMMARY_SOURCE)
    return session


@transaction.atomic
def session_duration_set(*, user: User, session: Session, seconds: int) -> Session:
    """The time an activity took, as people log a run ("28:00"): the end is the start plus it. Logged
    right after (an in-progress session whose end would be in the future), it ended now and started
    `seconds` ago. At most MAX_SESSION_DURATION."""
    _own_session(user, session)
    if not 1 <= seconds <= MAX_SESSION_DURATION.total_seconds():
        raise ValidationError(
            {"duration": [f"Enter a time between 0:01 and {int(MAX_SESSION_DURATION.total_seconds()) // 3600}:00:00."]}
        )
    length = timedelta(seconds=seconds)
    now = timezone.now()
    start = session.started_at
    if session.status != SessionStatus.FINISHED and start + length > now:
        start = now - length
    fields: dict[str, Any] = {"ended_at": start + length}
    if start != session.started_at:
        fields["started_at"] = start
    return session_update(user=user, session=session, **fields)


def _distance_m(session: Session) -> Decimal | None:
    return (
        SessionMetric.objects.filter(session=session, name="distance", value_numeric__isnull=False)
        .values_list("value_numeric", flat=True)
        .first()
    )


def _session_met(session: Session) -> compendium.Choice | None:
    """The MET of a running, walking, cycling or swimming session from the 2024 Compendium by its speed
    or effort (training.compendium says how); else the type's MET; when it has none, the exercises' MET
    weighted by their sets (a proxy for the time spent on each), else their plain average."""
    activity_type = session.activity_type
    # Only FitJourney's own types are matched to Compendium rows by slug: a person's "Running" is theirs.
    slug = activity_type.slug if activity_type.owner_id is None else ""
    if slug in compendium.PACED_TYPES:
        seconds = int((session.ended_at - session.started_at).total_seconds()) if session.ended_at else None
        return compendium.met_choose(
            type_slug=slug,
            type_met=activity_type.met,
            metres=_distance_m(session),
            seconds=seconds,
            effort=session.perceived_exertion,
        )
    if activity_type.met:
        return compendium.Choice(met=Decimal(activity_type.met))
    rows = [
        (Decimal(met), count)
        for met, count in SessionExercise.objects.filter(session=session, exercise__met__isnull=False).values_list(
            "exercise__met", "set_count"
        )
        if met is not None
    ]
    if not rows:
        return None
    weight = sum(max(count, 0) for _, count in rows)
    if weight:
        met = sum((met * count for met, count in rows), Decimal(0)) / weight
    else:
        met = sum((met for met, _ in rows), Decimal(0)) / len(rows)
    return compendium.Choice(met=met.quantize(CENT, rounding=ROUND_HALF_UP))


def _calories_set(session: Session) -> None:
    """Sets the session's calories and the MET they were counted with (not saved).

    Gross energy, the Compendium's convention: MET × body weight (kg) × hours, with 1 MET taken as
    1 kcal/kg/h, so the resting energy of that time is included. The weight is the one nearest the
    session's local day (accounts.selectors.body.body_weight_nearest_kg): a run logged before that day's
    weigh-in uses it. Non-physical activities (painting, chess…) burn nothing worth counting: no calories,
    no MET. Without a weight the calories stay empty until one is recorded (sessions_calories_fill)."""
    session.calories_kcal, session.met, session.met_code = None, None, ""
    if session.ended_at is None or not session.activity_type.is_physical:
        return
    choice = _session_met(session)
    if choice is None:
        return
    session.met, session.met_code = choice.met, choice.code
    weight = body_weight_nearest_kg(user=session.user, day=session.local_date)
    if weight is None:
        return
    hours = Decimal((session.ended_at - session.started_at).total_seconds()) / Decimal(3600)
    session.calories_kcal = (choice.met * Decimal(weight) * hours).quantize(CENT, rounding=ROUND_HALF_UP)


CALORIE_FIELDS = ["calories_kcal", "met", "met_code"]


def _calories_refresh(session: Session) -> bool:
    """Recounts a finished session's calories and saves them; True when they changed."""
    before = (session.calories_kcal, session.met, session.met_code)
    _calories_set(session)
    session.save(update_fields=[*CALORIE_FIELDS, "updated_at"])
    return before != (session.calories_kcal, session.met, session.met_code)


@transaction.atomic
def sessions_calories_fill(*, user_id: UUID | str, recount: bool = False) -> int:
    """Counts the calories of the person's finished sessions that have none (a weight has arrived since),
    or of all of them with `recount` (the recompute_calories command, after a change of the rules), and
    announces the days whose totals changed. Idempotent. Returns how many sessions changed."""
    sessions = (
        Session.objects.performed()
        .filter(
            user_id=user_id, deleted_at__isnull=True, status=SessionStatus.FINISHED, activity_type__is_physical=True
        )
        .select_related("activity_type", "user")
        .select_for_update(of=("self",))
        .order_by("started_at")
    )
    if not recount:
        sessions = sessions.filter(calories_kcal__isnull=True)
    changed_days: set[date] = set()
    changed = 0
    for session in sessions:
        if _calories_refresh(session):
            changed += 1
            changed_days.add(session.local_date)
    days_changed_announce(user_id=user_id, dates=changed_days, source=SUMMARY_SOURCE)
    return changed


def sessions_calories_recompute(
    *, user_ids: Sequence[UUID | str] | None = None, recount: bool = True
) -> tuple[int, int, int]:
    """sessions_calories_fill for each person with finished sessions (or `user_ids`), each in their own
    transaction: one person's bad row is logged as a BATCH FAILURE and the others go on. Returns (people
    done, sessions changed, people failed)."""
    people = Session.objects.performed().filter(status=SessionStatus.FINISHED, deleted_at__isnull=True)
    if user_ids is not None:
        people = people.filter(user_id__in=list(user_ids))
    done = changed = failed = 0
    for person in people.order_by("user_id").values_list("user_id", flat=True).distinct():
        with isolated("calorie recount", person=person) as outcome:
            changed += sessions_calories_fill(user_id=person, recount=recount)
        failed += outcome.failed
        done += not outcome.failed
    return done, changed, failed


@transaction.atomic
def session_finish(*, user: User, session: Session, ended_at: datetime | None = None) -> Session:
    _own_session(user, session)
    if session.is_template:
        raise NotFound("Session not found.")
    _check_entered_moments(user, {"ended_at": ended_at})
    session = Session.objects.select_for_update().select_related("activity_type", "user").get(pk=session.pk)
    session.ended_at = ended_at or session.ended_at or timezone.now()
    _check_duration(session)
    session.status = SessionStatus.FINISHED
    total = Decimal(0)
    for se in SessionExercise.objects.filter(session=session).values_list("total_volume_kg", flat=True):
        total += se
    session.total_volume_kg = total
    _calories_set(session)
    session.save(update_fields=["ended_at", "status", "total_volume_kg", *CALORIE_FIELDS, "updated_at"])
    records_service.records_detect(session=session)
    streaks_service.streaks_refresh(user=user)
    if session.enrollment_id is not None:  # a program day: mark it done and move the enrolment on
        from .enrollments import enrollment_session_finished

        enrollment_session_finished(session=session)
    days_changed_announce(user_id=user.pk, dates=[session.local_date], source=SUMMARY_SOURCE)
    session.refresh_from_db()
    return session


@transaction.atomic
def session_delete(*, user: User, session: Session) -> None:
    """Soft delete: the row stays (for undo and the audit trail) but no list or total shows it."""
    _own_session(user, session)
    Session.objects.filter(pk=session.pk).update(deleted_at=timezone.now())
    session.deleted_at = timezone.now()
    streaks_service.streaks_refresh(user=user)
    if session.enrollment_id is not None:  # its program day is no longer done
        from .enrollments import enrollment_session_deleted

        enrollment_session_deleted(session=session)
    if not session.is_template:  # a finished session leaves its day's summary
        days_changed_announce(user_id=user.pk, dates=[session.local_date], source=SUMMARY_SOURCE)


# ---------------------------------------------------------------------------------------------------
# Exercises in a session


def _visible_exercise(user: User, exercise: Exercise | UUID | str) -> Exercise:
    pk = exercise.pk if isinstance(exercise, Exercise) else exercise
    found = Exercise.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"exercise": ["Exercise not found."]})
    return found


@transaction.atomic
def exercise_add(*, user: User, session: Session, exercise: Exercise, notes: str = "") -> SessionExercise:
    _own_session(user, session)
    exercise = _visible_exercise(user, exercise)
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk").get()
    last = SessionExercise.objects.filter(session=session).aggregate(m=Max("order"))["m"] or 0
    # Orders are 1…n (removals renumber), so the last order is the count.
    if last >= MAX_EXERCISES_PER_SESSION:
        raise ValidationError({"exercises": [TOO_MANY_EXERCISES]})
    se = SessionExercise(session=session, exercise=exercise, order=last + 1, notes=notes)
    se.full_clean(exclude={"session", "exercise"}, validate_unique=False, validate_constraints=False)
    se.save()
    library_service.exercise_usage_count_later(exercise_ids=[exercise.pk])
    return se


def _renumber_orders(session: Session) -> None:
    rows = list(SessionExercise.objects.filter(session=session).order_by("order").values_list("pk", flat=True))
    _write_orders(session, rows)


def _write_orders(session: Session, ordered_ids: list) -> None:
    """Two passes so the unique (session, order) never sees two rows with one order mid-update."""
    SessionExercise.objects.filter(session=session).update(order=F("order") + 10000)
    objs = [SessionExercise(pk=pk, order=i) for i, pk in enumerate(ordered_ids, 1)]
    SessionExercise.objects.bulk_update(objs, ["order"])


@transaction.atomic
def exercise_remove(*, user: User, session_exercise: SessionExercise) -> None:
    _own_session_exercise(user, session_exercise)
    session = session_exercise.session
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk").get()
    session_exercise.delete()
    _renumber_orders(session)
    _refresh_session_total(session)


@transaction.atomic
def exercise_move(*, user: User, session_exercise: SessionExercise, position: int) -> None:
    """Moves the exercise to `position` (1-based); the others close up around it."""
    _own_session_exercise(user, session_exercise)
    session = session_exercise.session
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk").get()
    ids = list(SessionExercise.objects.filter(session=session).order_by("order").values_list("pk", flat=True))
    ids.remove(session_exercise.pk)
    position = max(1, min(int(position), len(ids) + 1))
    ids.insert(position - 1, session_exercise.pk)
    _write_orders(session, ids)


@transaction.atomic
def superset_set(
    *,
    user: User,
    session: Session,
    session_exercises: Sequence[SessionExercise | UUID | str],
    group: int | None = None,
) -> int:
    """Groups two or more of the session's exercises (or their ids) to be done together; returns the
    group number."""
    _own_session(user, session)
    ids = {se.pk if isinstance(se, SessionExercise) else se for se in session_exercises}
    if len(ids) < 2:
        raise ValidationError({"session_exercises": ["Choose at least two exercises for a superset."]})
    found = SessionExercise.objects.select_for_update().filter(session=session, pk__in=ids)
    if len(found) != len(ids):
        raise NotFound("Exercise not found.")
    if group is None:
        group = (SessionExercise.objects.filter(session=session).aggregate(m=Max("superset_group"))["m"] or 0) + 1
    if group < 1 or group > 999:
        raise ValidationError({"group": ["Enter a group from 1 to 999."]})
    SessionExercise.objects.filter(pk__in=ids).update(superset_group=group)
    return group


@transaction.atomic
def superset_clear(*, user: User, session_exercise: SessionExercise) -> None:
    """Takes the exercise out of its superset; a group left with one exercise is dissolved."""
    _own_session_exercise(user, session_exercise)
    group = session_exercise.superset_group
    if group is None:
        return
    session = session_exercise.session
    SessionExercise.objects.filter(pk=session_exercise.pk).update(superset_group=None)
    session_exercise.superset_group = None
    rest = SessionExercise.objects.filter(session=session, superset_group=group)
    if rest.count() < 2:
        rest.update(superset_group=None)


# ---------------------------------------------------------------------------------------------------
# Sets


def _refresh_session_total(session: Session) -> None:
    """A finished session's total follows later edits of its sets."""
    if session.status == SessionStatus.FINISHED:
        total = SessionExercise.objects.filter(session=session).aggregate(t=Sum("total_volume_kg"))["t"]
        Session.objects.filter(pk=session.pk).update(total_volume_kg=total or 0)
        session.total_volume_kg = total or Decimal(0)


def _clean_set(s: Set) -> None:
    _check_ranges({field: getattr(s, field) for field in SET_RANGES}, SET_RANGES)
    # No foreign-key, unique or constraint queries: the caller holds the exercise's lock and the
    # ranges above mirror the constraints.
    s.full_clean(exclude={"session_exercise", "number"}, validate_unique=False, validate_constraints=False)


@transaction.atomic
def set_add(*, user: User, session_exercise: SessionExercise, **fields: Any) -> Set:
    _own_session_exercise(user, session_exercise)
    unknown = set(fields) - set(SET_FIELDS)
    if unknown:
        raise ValidationError({key: ["Unknown field."] for key in sorted(unknown)})
    fields = {k: ("" if k in SET_TEXT_FIELDS and v is None else v) for k, v in fields.items()}
    s = Set(session_exercise=session_exercise, number=1, **fields)
    _clean_set(s)
    # Lock the exercise row: the next number and the cached totals change together.
    locked = (
        SessionExercise.objects.select_for_update(of=("self",))
        .filter(pk=session_exercise.pk)
        .annotate(
            last_number=Subquery(
                Set.objects.filter(session_exercise=OuterRef("pk")).order_by("-number").values("number")[:1]
            )
        )
        .values("last_number", "total_volume_kg", "set_count")
        .get()
    )
    if locked["set_count"] >= MAX_SETS_PER_EXERCISE:
        raise ValidationError({"sets": [TOO_MANY_SETS]})
    s.number = (locked["last_number"] or 0) + 1
    s.save(force_insert=True)
    volume = _volume(s)
    SessionExercise.objects.filter(pk=session_exercise.pk).update(
        total_volume_kg=F("total_volume_kg") + volume, set_count=F("set_count") + 1
    )
    session_exercise.total_volume_kg = locked["total_volume_kg"] + volume
    session_exercise.set_count = locked["set_count"] + 1
    if session_exercise.session.status == SessionStatus.FINISHED:
        _refresh_session_total(session_exercise.session)
    return s


@transaction.atomic
def set_update(*, user: User, set: Set, **fields: Any) -> Set:
    se = set.session_exercise
    _own_session_exercise(user, se)
    unknown = set_fields_unknown(fields)
    if unknown:
        raise ValidationError({key: ["Unknown field."] for key in sorted(unknown)})
    SessionExercise.objects.select_for_update().filter(pk=se.pk).values_list("pk").get()
    current = Set.objects.get(pk=set.pk)
    old_volume = _volume(current)
    for key, value in fields.items():
        setattr(set, key, "" if key in SET_TEXT_FIELDS and value is None else value)
    _clean_set(set)
    set.save()
    delta = _volume(set) - old_volume
    if delta:
        SessionExercise.objects.filter(pk=se.pk).update(total_volume_kg=F("total_volume_kg") + delta)
        se.total_volume_kg = se.total_volume_kg + delta
        _refresh_session_total(se.session)
    return set


def set_fields_unknown(fields: dict[str, Any]) -> set[str]:
    return set(fields) - set(SET_FIELDS)


@transaction.atomic
def set_delete(*, user: User, set: Set) -> None:
    """Deletes the set and renumbers the later ones, so the sets always read 1, 2, 3…"""
    se = set.session_exercise
    _own_session_exercise(user, se)
    SessionExercise.objects.select_for_update().filter(pk=se.pk).values_list("pk").get()
    current = Set.objects.filter(pk=set.pk).first()
    if current is None:
        raise NotFound("Set not found.")
    volume = _volume(current)
    current.delete()
    later = Set.objects.filter(session_exercise=se, number__gt=current.number)
    # Two passes: (exercise, number) is unique and checked row by row.
    later.update(number=F("number") + 10000)
    Set.objects.filter(session_exercise=se, number__gt=10000).update(number=F("number") - 10001)
    SessionExercise.objects.filter(pk=se.pk).update(
        total_volume_kg=F("total_volume_kg") - volume, set_count=F("set_count") - 1
    )
    se.total_volume_kg -= volume
    se.set_count -= 1
    _refresh_session_total(se.session)


@transaction.atomic
def set_restore(*, user: User, session_exercise: SessionExercise, number: int, **fields: Any) -> Set:
    """Undo of a deletion: the set comes back with its values at its number (the later ones move down
    one), through set_add's checks and totals."""
    restored = set_add(user=user, session_exercise=session_exercise, **fields)
    if 1 <= number < restored.number:
        se = session_exercise
        # Two passes again ((exercise, number) is unique row by row): make room, then put it there.
        Set.objects.filter(pk=restored.pk).update(number=30000)
        Set.objects.filter(session_exercise=se, number__gte=number, number__lt=30000).update(number=F("number") + 10001)
        Set.objects.filter(session_exercise=se, number__gt=10000, number__lt=30000).update(number=F("number") - 10000)
        Set.objects.filter(pk=restored.pk).update(number=number)
        restored.number = number
    return restored


# ---------------------------------------------------------------------------------------------------
# Metrics


def _metric_value(template: MetricTemplate, raw: Any) -> tuple[Decimal | None, str | None]:
    """Returns (numeric, text) for one value, or raises ValidationError with a message."""
    if template.input_type == InputType.TEXT:
        text = str(raw).strip()
        if len(text) > 2000:
            raise ValidationError("At most 2000 characters.")
        if template.validation_regex and not re.fullmatch(template.validation_regex, text):
            raise ValidationError(template.help_text or "This value is not in the expected format.")
        return None, text
    if template.input_type == InputType.DURATION and isinstance(raw, str) and ":" in raw:
        parts = raw.strip().split(":")
        try:
            numbers = [int(p) for p in parts]
        except ValueError as exc:
            raise ValidationError("Write a duration as h:mm:ss, mm:ss or seconds.") from exc
        if len(numbers) > 3 or any(n < 0 for n in numbers) or any(n >= 60 for n in numbers[1:]):
            raise ValidationError("Write a duration as h:mm:ss, mm:ss or seconds.")
        value = Decimal(0)
        for n in numbers:
            value = value * 60 + n
    else:
        if isinstance(raw, bool):
            raise ValidationError("Enter a number.")
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError("Enter a number.") from exc
        if not value.is_finite():
            raise ValidationError("Enter a number.")
    if value < 0:
        raise ValidationError("Enter a value of 0 or more.")
    if template.min_value is not None and value < template.min_value:
        raise ValidationError(f"Enter at least {template.min_value.normalize():f}.")
    if template.max_value is not None and value > template.max_value:
        raise ValidationError(f"Enter at most {template.max_value.normalize():f}.")
    if abs(value) >= Decimal("1e11"):
        raise ValidationError("This number is too large.")
    return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP), None


@transaction.atomic
def metrics_save(*, user: User, session: Session, values: dict[str, Any]) -> list[SessionMetric]:
    """Saves the session's metrics against its type's templates: unknown names, missing required ones
    and values out of range are refused together; an empty value removes a metric."""
    _own_session(user, session)
    templates = {t.name: t for t in MetricTemplate.objects.filter(activity_type_id=session.activity_type_id)}
    errors: dict[str, list[str]] = {}
    for name in values:
        if name not in templates:
            errors[str(name)] = ["This activity type has no such metric."]
    cleaned: dict[str, tuple[Decimal | None, str | None] | None] = {}
    for name, template in templates.items():
        raw = values.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if template.is_required:
                errors[name] = ["This metric is required."]
            elif name in values:
                cleaned[name] = None
            continue
        try:
            cleaned[name] = _metric_value(template, raw)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    saved = []
    for name, value in cleaned.items():
        if value is None:
            SessionMetric.objects.filter(session=session, name=name).delete()
            continue
        numeric, text = value
        metric, _ = SessionMetric.objects.update_or_create(
            session=session,
            name=name,
            defaults={"value_numeric": numeric, "value_text": text, "unit": templates[name].unit},
        )
        saved.append(metric)
    # A distance sets the speed, and so the MET, of a run, walk, ride or swim logged after it finished.
    recounted = "distance" in cleaned and session.status == SessionStatus.FINISHED and _calories_refresh(session)
    if recounted and _counts_in_summaries(session):
        days_changed_announce(user_id=user.pk, dates=[session.local_date], source=SUMMARY_SOURCE)
    return saved


# ---------------------------------------------------------------------------------------------------
# Media

IMAGE_MAX_BYTES = 10 * 1024 * 1024
VIDEO_MAX_BYTES = 100 * 1024 * 1024
IMAGE_STORED_MAX_SIDE = 2048
MEDIA_ACCEPT = "image/jpeg,image/png,image/webp,video/mp4,video/webm"
NOT_MEDIA = "Upload a JPEG, PNG or WebP photo, or an MP4 or WebM video."


def _sniff_video(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


def _clean_image(upload: UploadedFile) -> ContentFile:
    """A real photo, decoded and re-encoded without its metadata (see fitjourney.images)."""
    try:
        return image_clean(upload, max_bytes=IMAGE_MAX_BYTES, stored_max_side=IMAGE_STORED_MAX_SIDE, name="photo")
    except ValidationError as exc:
        message = NOT_MEDIA if exc.code in {"invalid_image", "invalid_image_format"} else exc.message
        raise ValidationError({"file": [message]}) from exc


@transaction.atomic
def media_add(
    *,
    user: User,
    file: UploadedFile | None,
    session: Session | None = None,
    session_exercise: SessionExercise | None = None,
    caption: str = "",
    is_progress_photo: bool = False,
    is_form_check: bool = False,
) -> SessionMedia:
    if (session is None) == (session_exercise is None):
        raise ValidationError("Attach the file to the session or to one of its exercises.")
    if session is not None:
        _own_session(user, session)
    elif session_exercise is not None:
        _own_session_exercise(user, session_exercise)
    if file is None or not getattr(file, "size", 0):
        raise ValidationError({"file": ["Choose a file to upload."]})
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    video = _sniff_video(head)
    stored: File
    if video:
        size = file.size or 0
        if size > VIDEO_MAX_BYTES:
            raise ValidationError({"file": ["The video is too large: at most 100 MB."]})
        stored, name, media_type = file, f"video.{video}", MediaType.VIDEO
    else:
        stored = _clean_image(file)
        name, media_type, size = stored.name or "photo", MediaType.IMAGE, stored.size
    media = SessionMedia(
        user=user,
        session=session,
        session_exercise=session_exercise,
        media_type=media_type,
        file_size_bytes=size,
        caption=(caption or "").strip(),
        is_progress_photo=is_progress_photo,
        is_form_check=is_form_check,
    )
    media.file.save(name, stored, save=False)
    media.full_clean(exclude={"user", "session", "session_exercise"}, validate_constraints=False)
    media.save()
    return media


# ---------------------------------------------------------------------------------------------------
# Templates


def _template_name_clean(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["Give the template a name."]})
    if len(name) > 200:
        raise ValidationError({"name": ["At most 200 characters."]})
    return name


@transaction.atomic
def template_save_from_session(*, user: User, session: Session, name: str) -> Session:
    _own_session(user, session)
    name = _template_name_clean(name)
    template = Session(
        user=user,
        activity_type=session.activity_type,
        name=name,
        template_name=name,
        is_template=True,
        status=SessionStatus.IN_PROGRESS,
        started_at=timezone.now(),
        local_date=user.local_today(),
        notes=session.notes,
    )
    template.save()
    _copy_plan(source=session, target=template)
    return template


def _own_template(user: User, template: Session) -> None:
    _own_session(user, template)
    if not template.is_template:
        raise NotFound("Template not found.")


@transaction.atomic
def template_rename(*, user: User, template: Session, name: str) -> Session:
    _own_template(user, template)
    name = _template_name_clean(name)
    template.template_name = name
    template.name = name
    template.save(update_fields=["template_name", "name", "updated_at"])
    return template


@transaction.atomic
def template_delete(*, user: User, template: Session) -> None:
    _own_template(user, template)
    Session.objects.filter(pk=template.pk).update(deleted_at=timezone.now())
