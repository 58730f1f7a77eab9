"""Writes for programs: authoring (fields, days, exercise targets), copying, publishing, archiving and
deleting, and the API's whole-tree save.

Only the author edits a program, and staff (superusers and gym staff) edit official ones; anyone else's
program is "not found" (fitjourney.errors.NotFound), even when they may read it. Exercises must be
visible to the author. A published program keeps its shape: edits to fields and targets are welcome, but
a structural change that would fail publishing (a missing day, an empty strength day, a week beyond the
program's length) is refused and rolled back. Trees are written with bulk inserts: a 12-week program is a
handful of queries, not hundreds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from accounts.models import Goal as GoalCategory
from accounts.models import User
from fitjourney.errors import NotFound
from fitjourney.images import image_clean

from ..models import (
    CURRENT_ENROLLMENT_STATUSES,
    ActivityType,
    Enrollment,
    Exercise,
    MetricTemplate,
    Program,
    ProgramExercise,
    ProgramSession,
    ProgramStatus,
    Visibility,
)
from ..models.programs import (
    MAX_EXERCISES_PER_PROGRAM_SESSION,
    MAX_PERCENT_1RM,
    MAX_PROGRAM_WEEKS,
    MAX_SESSIONS_PER_WEEK,
    MAX_TEMPLATE_REPS,
    MAX_TEMPLATE_SETS,
)
from ..selectors.programs import can_edit, can_edit_official
from .enrollments import enrollments_refresh_later
from .sessions import _metric_value

# What program_create / program_update accept (the program form and the API's serializers import it).
PROGRAM_FIELDS = (
    "name",
    "description",
    "activity_types",
    "difficulty",
    "duration_weeks",
    "sessions_per_week",
    "goals",
    "equipment",
    "tags",
    "visibility",
    "cover_image",
)
# What program_session_add / program_session_update accept: a day of a week and its targets.
PROGRAM_SESSION_FIELDS = (
    "week",
    "day",
    "name",
    "activity_type",
    "notes",
    "estimated_duration_minutes",
    "target_duration_seconds",
    "target_distance_m",
    "target_intensity",
    "target_metrics",
)
# What program_exercise_add / program_exercise_update accept: an exercise of a day and its targets.
PROGRAM_EXERCISE_FIELDS = (
    "exercise",
    "superset_group",
    "sets",
    "reps_min",
    "reps_max",
    "target_weight_kg",
    "percent_1rm",
    "target_rpe",
    "rest_seconds",
    "target_duration_seconds",
    "target_distance_m",
    "notes",
)
TEXT_FIELDS = ("description", "notes", "name", "target_intensity")

# The database's check constraints, checked in Python first so a refusal names its field.
SESSION_RANGES: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "estimated_duration_minutes": (1, 24 * 60),
    "target_duration_seconds": (1, 24 * 3600),
    "target_distance_m": (Decimal("0.01"), Decimal("9999999.99")),
}
EXERCISE_RANGES: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "superset_group": (1, 999),
    "sets": (1, MAX_TEMPLATE_SETS),
    "reps_min": (1, MAX_TEMPLATE_REPS),
    "reps_max": (1, MAX_TEMPLATE_REPS),
    "target_weight_kg": (0, 1000),
    "percent_1rm": (1, MAX_PERCENT_1RM),
    "target_rpe": (1, 10),
    "rest_seconds": (0, 3600),
    "target_duration_seconds": (1, 24 * 3600),
    "target_distance_m": (Decimal("0.01"), Decimal("9999999.99")),
}
NOT_FOUND = "Program not found."
TOO_MANY_EXERCISES = f"A day has at most {MAX_EXERCISES_PER_PROGRAM_SESSION} exercises."
FOLLOWED = "People follow this program: archive it instead, so they can finish it."


# ---------------------------------------------------------------------------------------------------
# Who may edit (the rule itself: selectors.programs.can_edit)


def _editable(user: User, program: Program) -> None:
    if not can_edit(user, program):
        raise NotFound(NOT_FOUND)


def _lock(program: Program) -> None:
    """Serialises writes to one program's tree (two tabs of the builder, a double-clicked button)."""
    Program.objects.select_for_update().filter(pk=program.pk).values_list("pk").get()


# ---------------------------------------------------------------------------------------------------
# Validation helpers (no queries)


def _check_ranges(values: Mapping[str, Any], ranges: Mapping[str, tuple[Decimal | int, Decimal | int]]) -> None:
    errors: dict[str, list[str]] = {}
    for field, (low, high) in ranges.items():
        value = values.get(field)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            errors[field] = ["Enter a number."]
        elif value < low or value > high:
            errors[field] = [f"Enter a value from {low} to {high}."]
    if errors:
        raise ValidationError(errors)


def _unknown(fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({key: ["Unknown field."] for key in sorted(unknown)})


def _text(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if k in TEXT_FIELDS and v is None else v) for k, v in fields.items()}


def _clean_string_list(values: Any, field: str, *, max_length: int = 40, max_items: int = 30) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError({field: ["Give a list."]})
    cleaned: list[str] = []
    for value in values:
        text = " ".join(str(value).split()).lower()
        if not text:
            continue
        if len(text) > max_length:
            raise ValidationError({field: [f"Each at most {max_length} characters."]})
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > max_items:
        raise ValidationError({field: [f"At most {max_items}."]})
    return cleaned


def _program_checks(program: Program) -> None:
    errors: dict[str, list[str]] = {}
    program.name = " ".join((program.name or "").split())
    if not program.name:
        errors["name"] = ["Give the program a name."]
    for field, high in (("duration_weeks", MAX_PROGRAM_WEEKS), ("sessions_per_week", MAX_SESSIONS_PER_WEEK)):
        value = getattr(program, field)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            errors[field] = [f"Enter a whole number from 1 to {high}."]
    bad_goals = [g for g in program.goals if g not in GoalCategory.values]
    if bad_goals:
        errors["goals"] = [f"Unknown goal: {', '.join(map(str, bad_goals))}."]
    if program.is_official and program.visibility != Visibility.PUBLIC:
        errors["visibility"] = ["Official programs are public."]
    if errors:
        raise ValidationError(errors)
    program.full_clean(
        exclude={"author", "activity_types", "slug", "cover_image", "goals"},
        validate_unique=False,
        validate_constraints=False,
    )


def _resolve_activity_types(values: Any) -> list[ActivityType]:
    if values is None:
        return []
    items = list(values)
    ids = [v.pk if isinstance(v, ActivityType) else v for v in items]
    try:
        found = {t.pk: t for t in ActivityType.objects.filter(pk__in=ids)}
    except (ValueError, ValidationError) as exc:
        raise ValidationError({"activity_types": ["Activity type not found."]}) from exc
    result = []
    for pk in ids:
        key = pk if isinstance(pk, uuid.UUID) else _as_uuid(pk)
        if key not in found:
            raise ValidationError({"activity_types": ["Activity type not found."]})
        if found[key] not in result:
            result.append(found[key])
    return result


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _cover_set(program: Program, value: Any) -> None:
    if value in (None, False, ""):
        program.cover_image = None  # an empty FileField
        return
    if isinstance(value, UploadedFile):
        try:
            content = image_clean(value, max_bytes=5 * 1024 * 1024, stored_max_side=1600, name="cover")
        except ValidationError as exc:
            raise ValidationError({"cover_image": exc.messages}) from exc
        program.cover_image.save(content.name or "cover.jpg", content, save=False)
        return
    raise ValidationError({"cover_image": ["Upload a JPEG, PNG or WebP image."]})


def _apply_program_fields(program: Program, fields: dict[str, Any]) -> list[ActivityType] | None:
    """Sets the plain fields; returns the activity types to set after saving (None: unchanged)."""
    types = None
    for key, value in _text(fields).items():
        if key == "activity_types":
            types = _resolve_activity_types(value)
        elif key == "cover_image":
            _cover_set(program, value)
        elif key in ("equipment", "tags"):
            setattr(program, key, _clean_string_list(value, key))
        elif key == "goals":
            setattr(program, key, list(value or []))
        else:
            setattr(program, key, value)
    return types


# ---------------------------------------------------------------------------------------------------
# Programs


@transaction.atomic
def program_create(*, user: User, is_official: bool = False, **fields: Any) -> Program:
    """A new draft, private and the person's own; staff may make an official one (public, no author)."""
    _unknown(fields, PROGRAM_FIELDS)
    if is_official and not can_edit_official(user):
        raise ValidationError({"is_official": ["Only FitJourney staff write official programs."]})
    program = Program(
        author=None if is_official else user,
        is_official=is_official,
        status=ProgramStatus.DRAFT,
        visibility=Visibility.PUBLIC if is_official else Visibility.PRIVATE,
    )
    if is_official:
        fields.pop("visibility", None)
    types = _apply_program_fields(program, fields)
    _program_checks(program)
    program.save()
    if types:
        program.activity_types.set(types)
    return program


def _update_fields(user: User, program: Program, fields: dict[str, Any]) -> None:
    _editable(user, program)
    _unknown(fields, PROGRAM_FIELDS)
    _lock(program)
    if program.is_official:
        fields.pop("visibility", None)
    types = _apply_program_fields(program, fields)
    _program_checks(program)
    program.save()
    if types is not None:
        program.activity_types.set(types)


@transaction.atomic
def program_update(*, user: User, program: Program, **fields: Any) -> Program:
    _update_fields(user, program, fields)
    if {"duration_weeks", "sessions_per_week"} & set(fields):
        _keep_publishable(program)
    return program


def _followers(program: Program) -> bool:
    return Enrollment.objects.filter(program=program, status__in=CURRENT_ENROLLMENT_STATUSES).exists()


@transaction.atomic
def program_delete(*, user: User, program: Program) -> None:
    """Soft delete. Refused while someone follows it: they keep reading it, so it is archived instead."""
    _editable(user, program)
    _lock(program)
    if _followers(program):
        raise ValidationError(FOLLOWED)
    now = timezone.now()
    Program.objects.filter(pk=program.pk).update(deleted_at=now)
    program.deleted_at = now


@transaction.atomic
def program_archive(*, user: User, program: Program) -> Program:
    """Out of browse and search; people enrolled keep reading and finishing it."""
    _editable(user, program)
    _lock(program)
    if program.status == ProgramStatus.ARCHIVED:
        raise ValidationError("This program is already archived.")
    program.status = ProgramStatus.ARCHIVED
    program.save(update_fields=["status", "updated_at"])
    return program


def program_publish_errors(program: Program) -> list[str]:
    """Why the program cannot be published, in words (empty when it can). One query."""
    rows = list(
        ProgramSession.objects.filter(program=program)
        .annotate(exercise_count=Count("exercises"))
        .values_list("week", "day", "name", "activity_type__uses_exercises", "exercise_count")
        .order_by("week", "day")
    )
    n = program.sessions_per_week
    by_week: dict[int, list[int]] = {}
    errors: list[str] = []
    for week, day, _name, _uses, _count in rows:
        by_week.setdefault(week, []).append(day)
    for week in range(1, program.duration_weeks + 1):
        days = by_week.get(week, [])
        if len(days) < n:
            errors.append(f"Week {week} has {len(days)} of {n} session{'s' if n != 1 else ''}.")
        elif len(days) > n or set(days) != set(range(1, n + 1)):
            errors.append(f"Week {week}'s days are not numbered 1 to {n}.")
    beyond = sorted(w for w in by_week if w > program.duration_weeks)
    for week in beyond:
        errors.append(f"Week {week} is beyond the program's {program.duration_weeks} weeks.")
    for week, day, name, uses_exercises, count in rows:
        if uses_exercises and not count:
            label = f" ({name})" if name else ""
            errors.append(f"Week {week}, day {day}{label} has no exercises.")
    return errors


def _days_changed(program: Program) -> None:
    """The days of a program people may follow changed: their next day and counters are refreshed by a
    task after the commit (drafts have no followers)."""
    if program.status != ProgramStatus.DRAFT:
        enrollments_refresh_later(program.pk)


def _keep_publishable(program: Program) -> None:
    """A published program keeps a shape people can follow: a change that breaks it is refused."""
    if program.status != ProgramStatus.ACTIVE:
        return
    errors = program_publish_errors(program)
    if errors:
        raise ValidationError(["This program is published, so it must stay complete.", *errors])


@transaction.atomic
def program_publish(*, user: User, program: Program) -> Program:
    """Draft (or archived) -> active, when every week has its days and every strength day exercises."""
    _editable(user, program)
    _lock(program)
    if program.status == ProgramStatus.ACTIVE:
        raise ValidationError("This program is already published.")
    errors = program_publish_errors(program)
    if errors:
        raise ValidationError(errors)
    program.status = ProgramStatus.ACTIVE
    program.published_at = program.published_at or timezone.now()
    program.save(update_fields=["status", "published_at", "updated_at"])
    return program


def _copy_tree(
    sessions: Iterable[ProgramSession], target: Program, *, week: int | None = None
) -> tuple[list[ProgramSession], list[ProgramExercise]]:
    """Unsaved copies of `sessions` (exercises prefetched) into `target` (optionally into one week)."""
    new_sessions: list[ProgramSession] = []
    new_exercises: list[ProgramExercise] = []
    session_fields = [f for f in PROGRAM_SESSION_FIELDS if f != "activity_type"]
    exercise_fields = [f for f in PROGRAM_EXERCISE_FIELDS if f != "exercise"]
    for ps in sessions:
        copy = ProgramSession(
            program=target, activity_type_id=ps.activity_type_id, **{f: getattr(ps, f) for f in session_fields}
        )
        if week is not None:
            copy.week = week
        new_sessions.append(copy)
        for pe in ps.exercises.all():
            new_exercises.append(
                ProgramExercise(
                    session=copy,
                    exercise_id=pe.exercise_id,
                    order=pe.order,
                    **{f: getattr(pe, f) for f in exercise_fields},
                )
            )
    return new_sessions, new_exercises


@transaction.atomic
def program_copy(*, user: User, program: Program) -> Program:
    """Any program the person may read becomes their own private draft, with its whole tree: four
    reads and three bulk inserts whatever its size."""
    source = Program.objects.visible_to(user).filter(pk=program.pk).first()
    if source is None and can_edit(user, program):
        source = program
    if source is None:
        raise NotFound(NOT_FOUND)
    copy = Program(
        name=f"{source.name} (copy)"[:200],
        description=source.description,
        difficulty=source.difficulty,
        duration_weeks=source.duration_weeks,
        sessions_per_week=source.sessions_per_week,
        goals=list(source.goals),
        equipment=list(source.equipment),
        tags=list(source.tags),
        author=user,
        status=ProgramStatus.DRAFT,
        visibility=Visibility.PRIVATE,
        cover_image=source.cover_image.name if source.cover_image else "",
    )
    copy.save()
    copy.activity_types.set(list(source.activity_types.all()))
    sessions = ProgramSession.objects.filter(program=source).prefetch_related("exercises").order_by("week", "day")
    new_sessions, new_exercises = _copy_tree(sessions, copy)
    ProgramSession.objects.bulk_create(new_sessions)
    ProgramExercise.objects.bulk_create(new_exercises)
    return copy


# ---------------------------------------------------------------------------------------------------
# Days of a week


def _check_target_metrics(activity_type: ActivityType, values: Any, templates: list[MetricTemplate]) -> dict:
    """Targets for the type's metrics, checked like a session's values (numbers as strings, text as is)."""
    if values in (None, ""):
        return {}
    if not isinstance(values, Mapping):
        raise ValidationError({"target_metrics": ["Give the targets by metric name."]})
    by_name = {t.name: t for t in templates}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name, raw in values.items():
        template = by_name.get(str(name))
        if template is None:
            errors[f"target_metrics.{name}"] = [f"{activity_type.name} has no such metric."]
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            numeric, text = _metric_value(template, raw)
        except ValidationError as exc:
            errors[f"target_metrics.{name}"] = exc.messages
            continue
        cleaned[template.name] = (text or "") if numeric is None else format(numeric.normalize(), "f")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _session_checks(ps: ProgramSession, program: Program, templates: list[MetricTemplate] | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(ps.week, int) or isinstance(ps.week, bool) or not 1 <= ps.week <= program.duration_weeks:
        errors["week"] = [f"Choose a week from 1 to {program.duration_weeks}."]
    if not isinstance(ps.day, int) or isinstance(ps.day, bool) or not 1 <= ps.day <= program.sessions_per_week:
        errors["day"] = [f"Choose a day from 1 to {program.sessions_per_week}."]
    if not ps.activity_type_id:
        errors["activity_type"] = ["Choose an activity type."]
    try:
        _check_ranges({f: getattr(ps, f) for f in SESSION_RANGES}, SESSION_RANGES)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if templates is None:
        templates = list(MetricTemplate.objects.filter(activity_type_id=ps.activity_type_id))
    ps.target_metrics = _check_target_metrics(ps.activity_type, ps.target_metrics, templates)
    ps.full_clean(exclude={"program", "activity_type"}, validate_unique=False, validate_constraints=False)


def _resolve_activity_type(value: Any) -> ActivityType:
    if isinstance(value, ActivityType):
        return value
    pk = _as_uuid(value)
    found = ActivityType.objects.filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({"activity_type": ["Activity type not found."]})
    return found


def _day_taken(program: Program, week: int, day: int) -> ValidationError:
    return ValidationError({"day": [f"Week {week} already has a day {day}."]})


@transaction.atomic
def program_session_add(*, user: User, program: Program, **fields: Any) -> ProgramSession:
    """Adds a day to a week; without `day`, the week's next free one."""
    _editable(user, program)
    _unknown(fields, PROGRAM_SESSION_FIELDS)
    _lock(program)
    fields = _text(fields)
    week = fields.pop("week", None)
    day = fields.pop("day", None)
    activity_type = _resolve_activity_type(fields.pop("activity_type", None))
    taken = set(ProgramSession.objects.filter(program=program, week=week).values_list("day", flat=True))
    if day is None:
        free = [d for d in range(1, program.sessions_per_week + 1) if d not in taken]
        if not free:
            raise ValidationError({"week": [f"Week {week} already has its {program.sessions_per_week} days."]})
        day = free[0]
    ps = ProgramSession(program=program, week=week, day=day, activity_type=activity_type, **fields)
    _session_checks(ps, program)
    if day in taken:
        raise _day_taken(program, week, day)
    ps.save()
    _days_changed(program)
    return ps


@transaction.atomic
def program_session_update(*, user: User, program_session: ProgramSession, **fields: Any) -> ProgramSession:
    program = program_session.program
    _editable(user, program)
    _unknown(fields, PROGRAM_SESSION_FIELDS)
    _lock(program)
    fields = _text(fields)
    if "activity_type" in fields:
        program_session.activity_type = _resolve_activity_type(fields.pop("activity_type"))
    for key, value in fields.items():
        setattr(program_session, key, value)
    _session_checks(program_session, program)
    clash = (
        ProgramSession.objects.filter(program=program, week=program_session.week, day=program_session.day)
        .exclude(pk=program_session.pk)
        .exists()
    )
    if clash:
        raise _day_taken(program, program_session.week, program_session.day)
    program_session.save()
    _keep_publishable(program)
    return program_session


def _renumber_week(program: Program, week: int) -> None:
    """Days of a week read 1…n after a removal (swaps go through a free slot: see _swap)."""
    rows = list(ProgramSession.objects.filter(program=program, week=week).order_by("day").values_list("pk", "day"))
    for new_day, (pk, day) in enumerate(rows, 1):
        if day != new_day:
            ProgramSession.objects.filter(pk=pk).update(day=new_day)


@transaction.atomic
def program_session_delete(*, user: User, program_session: ProgramSession) -> None:
    """Deletes the day and its exercises; the later days of its week move up one."""
    program = program_session.program
    _editable(user, program)
    _lock(program)
    week = program_session.week
    ProgramSession.objects.filter(pk=program_session.pk).delete()
    _renumber_week(program, week)
    _keep_publishable(program)
    _days_changed(program)


def _free_slot(program: Program) -> tuple[int, int]:
    taken = set(ProgramSession.objects.filter(program=program).values_list("week", "day"))
    for week in range(MAX_PROGRAM_WEEKS, 0, -1):
        for day in range(MAX_SESSIONS_PER_WEEK, 0, -1):
            if (week, day) not in taken:
                return week, day
    raise ValidationError("This program has no room left.")


@transaction.atomic
def program_session_move(*, user: User, program_session: ProgramSession, week: int, day: int) -> ProgramSession:
    """Moves the day to (week, day); a day already there trades places with it."""
    program = program_session.program
    _editable(user, program)
    _lock(program)
    _check_ranges(
        {"week": week, "day": day}, {"week": (1, program.duration_weeks), "day": (1, program.sessions_per_week)}
    )
    here = (program_session.week, program_session.day)
    if here == (week, day):
        return program_session
    other = ProgramSession.objects.filter(program=program, week=week, day=day).first()
    if other is not None:
        # (program, week, day) is unique and checked row by row: park one in a free slot first.
        parked = _free_slot(program)
        ProgramSession.objects.filter(pk=other.pk).update(week=parked[0], day=parked[1])
        ProgramSession.objects.filter(pk=program_session.pk).update(week=week, day=day)
        ProgramSession.objects.filter(pk=other.pk).update(week=here[0], day=here[1])
    else:
        ProgramSession.objects.filter(pk=program_session.pk).update(week=week, day=day)
    program_session.week, program_session.day = week, day
    _keep_publishable(program)
    _days_changed(program)
    return program_session


@transaction.atomic
def program_week_copy(*, user: User, program: Program, from_week: int, to_week: int) -> list[ProgramSession]:
    """Week `to_week` becomes a copy of week `from_week` (its days are replaced): bulk inserts."""
    _editable(user, program)
    _lock(program)
    errors: dict[str, list[str]] = {}
    for field, value in (("from_week", from_week), ("to_week", to_week)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= program.duration_weeks:
            errors[field] = [f"Choose a week from 1 to {program.duration_weeks}."]
    if not errors and from_week == to_week:
        errors["to_week"] = ["Choose another week to copy to."]
    if errors:
        raise ValidationError(errors)
    source = list(
        ProgramSession.objects.filter(program=program, week=from_week).prefetch_related("exercises").order_by("day")
    )
    if not source:
        raise ValidationError({"from_week": [f"Week {from_week} has no days to copy."]})
    ProgramSession.objects.filter(program=program, week=to_week).delete()
    new_sessions, new_exercises = _copy_tree(source, program, week=to_week)
    ProgramSession.objects.bulk_create(new_sessions)
    ProgramExercise.objects.bulk_create(new_exercises)
    _keep_publishable(program)
    _days_changed(program)
    return new_sessions


# ---------------------------------------------------------------------------------------------------
# Exercises of a day


def _visible_exercise(user: User, exercise: Exercise | uuid.UUID | str | None) -> Exercise:
    pk = exercise.pk if isinstance(exercise, Exercise) else _as_uuid(exercise)
    found = Exercise.objects.visible_to(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise ValidationError({"exercise": ["Exercise not found."]})
    return found


def _exercise_checks(pe: ProgramExercise) -> None:
    _check_ranges({f: getattr(pe, f) for f in EXERCISE_RANGES}, EXERCISE_RANGES)
    if pe.reps_min is not None and pe.reps_max is not None and pe.reps_min > pe.reps_max:
        raise ValidationError({"reps_min": ["The lowest reps cannot be above the highest."]})
    pe.full_clean(exclude={"session", "exercise", "order"}, validate_unique=False, validate_constraints=False)


@transaction.atomic
def program_exercise_add(*, user: User, program_session: ProgramSession, **fields: Any) -> ProgramExercise:
    program = program_session.program
    _editable(user, program)
    _unknown(fields, PROGRAM_EXERCISE_FIELDS)
    _lock(program)
    fields = _text(fields)
    exercise = _visible_exercise(user, fields.pop("exercise", None))
    last = ProgramExercise.objects.filter(session=program_session).aggregate(m=Max("order"))["m"] or 0
    if last >= MAX_EXERCISES_PER_PROGRAM_SESSION:
        raise ValidationError({"exercise": [TOO_MANY_EXERCISES]})
    pe = ProgramExercise(session=program_session, exercise=exercise, order=last + 1, **fields)
    _exercise_checks(pe)
    pe.save()
    return pe


@transaction.atomic
def program_exercise_update(*, user: User, program_exercise: ProgramExercise, **fields: Any) -> ProgramExercise:
    program = program_exercise.session.program
    _editable(user, program)
    _unknown(fields, PROGRAM_EXERCISE_FIELDS)
    fields = _text(fields)
    if "exercise" in fields:
        program_exercise.exercise = _visible_exercise(user, fields.pop("exercise"))
    for key, value in fields.items():
        setattr(program_exercise, key, value)
    _exercise_checks(program_exercise)
    program_exercise.save()
    return program_exercise


def _write_orders(program_session: ProgramSession, ordered_ids: Sequence[uuid.UUID]) -> None:
    """Two passes so the unique (session, order) never sees two rows with one order mid-update."""
    ProgramExercise.objects.filter(session=program_session).update(order=F("order") + 10000)
    ProgramExercise.objects.bulk_update(
        [ProgramExercise(pk=pk, order=i) for i, pk in enumerate(ordered_ids, 1)], ["order"]
    )


def _ordered_ids(program_session: ProgramSession) -> list[uuid.UUID]:
    return list(ProgramExercise.objects.filter(session=program_session).order_by("order").values_list("pk", flat=True))


@transaction.atomic
def program_exercise_delete(*, user: User, program_exercise: ProgramExercise) -> None:
    program_session = program_exercise.session
    program = program_session.program
    _editable(user, program)
    _lock(program)
    ProgramExercise.objects.filter(pk=program_exercise.pk).delete()
    _write_orders(program_session, _ordered_ids(program_session))
    _keep_publishable(program)


@transaction.atomic
def program_exercise_move(*, user: User, program_exercise: ProgramExercise, position: int) -> None:
    """Moves the exercise to `position` (1-based) in its day; the others close up around it."""
    program_session = program_exercise.session
    _editable(user, program_session.program)
    _lock(program_session.program)
    ids = _ordered_ids(program_session)
    ids.remove(program_exercise.pk)
    position = max(1, min(int(position), len(ids) + 1))
    ids.insert(position - 1, program_exercise.pk)
    _write_orders(program_session, ids)


# ---------------------------------------------------------------------------------------------------
# The whole tree at once (the API)


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}.{key}": value for key, value in exc.message_dict.items()})
    return ValidationError({prefix: exc.messages})


@transaction.atomic
def program_save_nested(*, user: User, program: Program | None, data: Mapping[str, Any]) -> Program:
    """Creates (`program` None) or replaces a program and its whole tree from one payload:

        {<PROGRAM_FIELDS>, "is_official": bool, "weeks": [{"week": 1, "days": [{<PROGRAM_SESSION_FIELDS
         but week>, "exercises": [{<PROGRAM_EXERCISE_FIELDS>}]}]}]}

    Without "weeks" the tree is left as it is. Everything is checked before anything is written (field
    errors are named by their path: "weeks[0].days[1].exercises[2].percent_1rm"); the tree is written
    with two bulk inserts. A published program must stay publishable.
    """
    fields = {k: v for k, v in data.items() if k in PROGRAM_FIELDS}
    _unknown({k: v for k, v in data.items() if k not in ("weeks", "is_official")}, PROGRAM_FIELDS)
    if program is None:
        program = program_create(user=user, is_official=bool(data.get("is_official", False)), **fields)
    else:
        _update_fields(user, program, fields)
    weeks = data.get("weeks")
    if weeks is None:
        _keep_publishable(program)
        return program
    _lock(program)
    type_ids = set()
    exercise_ids = set()
    for week in weeks:
        for day in week.get("days", []):
            at = day.get("activity_type")
            type_ids.add(at.pk if isinstance(at, ActivityType) else _as_uuid(at))
            for item in day.get("exercises", []):
                ex = item.get("exercise")
                exercise_ids.add(ex.pk if isinstance(ex, Exercise) else _as_uuid(ex))
    types = {t.pk: t for t in ActivityType.objects.filter(pk__in=[t for t in type_ids if t])}
    templates: dict[uuid.UUID, list[MetricTemplate]] = {pk: [] for pk in types}
    for template in MetricTemplate.objects.filter(activity_type_id__in=list(types)):
        templates[template.activity_type_id].append(template)
    exercises = {e.pk: e for e in Exercise.objects.visible_to(user).filter(pk__in=[e for e in exercise_ids if e])}

    new_sessions: list[ProgramSession] = []
    new_exercises: list[ProgramExercise] = []
    seen: set[tuple[int, int]] = set()
    errors: dict[str, list[str]] = {}
    for w, week_data in enumerate(weeks):
        week = week_data.get("week")
        for d, day_data in enumerate(week_data.get("days", [])):
            path = f"weeks[{w}].days[{d}]"
            day_fields = _text({k: v for k, v in day_data.items() if k != "exercises"})
            try:
                _unknown(day_fields, [f for f in PROGRAM_SESSION_FIELDS if f != "week"])
            except ValidationError as exc:
                errors.update(_prefixed(exc, path).message_dict)
                continue
            at = day_fields.pop("activity_type", None)
            activity_type = types.get(at.pk if isinstance(at, ActivityType) else _as_uuid(at))  # type: ignore[arg-type]
            if activity_type is None:
                errors[f"{path}.activity_type"] = ["Activity type not found."]
                continue
            ps = ProgramSession(program=program, week=week, activity_type=activity_type, **day_fields)
            try:
                _session_checks(ps, program, templates[activity_type.pk])
            except ValidationError as exc:
                errors.update(_prefixed(exc, path).message_dict)
                continue
            if (ps.week, ps.day) in seen:
                errors[f"{path}.day"] = [f"Week {ps.week} already has a day {ps.day}."]
                continue
            seen.add((ps.week, ps.day))
            new_sessions.append(ps)
            items = day_data.get("exercises", [])
            if len(items) > MAX_EXERCISES_PER_PROGRAM_SESSION:
                errors[f"{path}.exercises"] = [TOO_MANY_EXERCISES]
                continue
            for e, item in enumerate(items, 1):
                epath = f"{path}.exercises[{e - 1}]"
                item_fields = _text(dict(item))
                try:
                    _unknown(item_fields, PROGRAM_EXERCISE_FIELDS)
                except ValidationError as exc:
                    errors.update(_prefixed(exc, epath).message_dict)
                    continue
                ex = item_fields.pop("exercise", None)
                exercise = exercises.get(ex.pk if isinstance(ex, Exercise) else _as_uuid(ex))  # type: ignore[arg-type]
                if exercise is None:
                    errors[f"{epath}.exercise"] = ["Exercise not found."]
                    continue
                pe = ProgramExercise(session=ps, exercise=exercise, order=e, **item_fields)
                try:
                    _exercise_checks(pe)
                except ValidationError as exc:
                    errors.update(_prefixed(exc, epath).message_dict)
                    continue
                new_exercises.append(pe)
    if errors:
        raise ValidationError(errors)
    ProgramSession.objects.filter(program=program).delete()
    try:
        with transaction.atomic():
            ProgramSession.objects.bulk_create(new_sessions)
            ProgramExercise.objects.bulk_create(new_exercises)
    except IntegrityError as exc:  # a constraint the checks above mirror; never expected
        raise ValidationError("The program could not be saved: check its days and targets.") from exc
    _keep_publishable(program)
    _days_changed(program)
    return program


__all__ = [
    "PROGRAM_EXERCISE_FIELDS",
    "PROGRAM_FIELDS",
    "PROGRAM_SESSION_FIELDS",
    "can_edit",
    "can_edit_official",
    "program_archive",
    "program_copy",
    "program_create",
    "program_delete",
    "program_exercise_add",
    "program_exercise_delete",
    "program_exercise_move",
    "program_exercise_update",
    "program_publish",
    "program_publish_errors",
    "program_save_nested",
    "program_session_add",
    "program_session_delete",
    "program_session_move",
    "program_session_update",
    "program_week_copy",
]
