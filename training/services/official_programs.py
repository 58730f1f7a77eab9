"""Official programs: the reference loader's sync of the programs we ship (training/data/programs/) and the
staff's actions on programs in the admin (archive, mark or unmark official).

The sync is keyed on the program's slug and is idempotent: a program whose fields and tree already match
its file is not written at all (same ids, same `updated_at`). A changed tree is replaced wholesale while
nobody has ever enrolled; once people have (their history points at the days), it is updated in place:
days and exercises matched by (week, day) and order are updated, new ones added, and days that someone's
history points at are kept, with a note. A staff member's archive or deletion of an official program is
respected; its authorship, visibility and official flag are ours and are restored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from fitjourney.errors import NotAllowed

from ..models import (
    ActivityType,
    Enrollment,
    EnrollmentDay,
    Exercise,
    MetricTemplate,
    Program,
    ProgramExercise,
    ProgramSession,
    ProgramStatus,
    Session,
    Visibility,
)
from ..selectors.program_checks import DayShape, structure_problems
from .enrollments import enrollments_refresh_for_program
from .programs import _exercise_checks, _program_checks, _session_checks

# The fields a file gives a program (besides "slug", "activity_types" and "weeks").
OFFICIAL_PROGRAM_FIELDS = (
    "name",
    "description",
    "difficulty",
    "duration_weeks",
    "sessions_per_week",
    "goals",
    "equipment",
    "tags",
)
SESSION_FIELDS = (
    "name",
    "notes",
    "estimated_duration_minutes",
    "target_duration_seconds",
    "target_distance_m",
    "target_intensity",
    "target_metrics",
)
EXERCISE_FIELDS = (
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
DECIMAL_FIELDS = frozenset({"target_distance_m", "target_weight_kg", "percent_1rm", "target_rpe"})


class OfficialProgramError(ValueError):
    """A program file that cannot be loaded: the message names the program and what is wrong."""


@dataclass
class OfficialProgramSync:
    slug: str
    outcome: str  # "created", "replaced", "updated in place", "updated", "unchanged"
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# Reading a file's data into unsaved rows


def _decimal(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | str):
        return Decimal(str(value))
    return value


def _values(item: Mapping[str, Any], names: Sequence[str], where: str) -> dict[str, Any]:
    unknown = set(item) - set(names)
    if unknown:
        raise OfficialProgramError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    values = {name: item[name] for name in names if name in item}
    for name in DECIMAL_FIELDS & set(values):
        values[name] = _decimal(values[name])
    for name in ("name", "notes", "target_intensity", "description"):
        if name in names:
            values.setdefault(name, "")
    return values


@dataclass
class _Tree:
    sessions: list[ProgramSession]
    exercises: dict[tuple[int, int], list[ProgramExercise]]


def _build_tree(program: Program, slug: str, weeks: Any) -> _Tree:
    """Unsaved days and exercises from the file, checked like the builder checks them (two queries: the
    activity types and the library exercises named, by slug and external id)."""
    if not isinstance(weeks, list):
        raise OfficialProgramError(f"Official program {slug!r}: give its weeks as a list.")
    type_slugs: set[str] = set()
    exercise_ids: set[str] = set()
    for week in weeks:
        for day in week.get("days", []):
            type_slugs.add(str(day.get("activity_type")))
            exercise_ids.update(str(item.get("exercise")) for item in day.get("exercises", []))
    types = {t.slug: t for t in ActivityType.objects.filter(slug__in=type_slugs)}
    templates: dict[Any, list[MetricTemplate]] = {t.pk: [] for t in types.values()}
    for template in MetricTemplate.objects.filter(activity_type__in=list(types.values())):
        templates[template.activity_type_id].append(template)
    exercises = {
        e.external_id: e
        for e in Exercise.objects.filter(owner__isnull=True, deleted_at__isnull=True, external_id__in=exercise_ids)
    }
    tree = _Tree(sessions=[], exercises={})
    for week_data in weeks:
        week = week_data.get("week")
        for day_data in week_data.get("days", []):
            day = day_data.get("day")
            where = f"Official program {slug!r}, week {week}, day {day}"
            type_slug = day_data.get("activity_type")
            if type_slug not in types:
                raise OfficialProgramError(f"{where}: activity type {type_slug!r} does not exist.")
            allowed = ("day", "activity_type", "exercises", *SESSION_FIELDS)
            values = _values(day_data, allowed, where)
            for key in ("day", "activity_type", "exercises"):
                values.pop(key, None)
            ps = ProgramSession(program=program, week=week, day=day, activity_type=types[type_slug], **values)
            try:
                _session_checks(ps, program, templates[types[type_slug].pk])
            except ValidationError as exc:
                raise OfficialProgramError(f"{where}: {exc.messages}") from exc
            tree.sessions.append(ps)
            items: list[ProgramExercise] = []
            for order, item in enumerate(day_data.get("exercises", []), 1):
                ewhere = f"{where}, exercise {order}"
                external_id = item.get("exercise")
                exercise = exercises.get(external_id)
                if exercise is None:
                    raise OfficialProgramError(
                        f"{ewhere}: exercise {external_id!r} is not in the exercise library "
                        "(give a free-exercise-db id, as in training/data/free-exercise-db/exercises.json)."
                    )
                values = _values({k: v for k, v in item.items() if k != "exercise"}, EXERCISE_FIELDS, ewhere)
                pe = ProgramExercise(session=ps, exercise=exercise, order=order, **values)
                try:
                    _exercise_checks(pe)
                except ValidationError as exc:
                    raise OfficialProgramError(f"{ewhere}: {exc.messages}") from exc
                items.append(pe)
            tree.exercises[(ps.week, ps.day)] = items
    problems = structure_problems(
        duration_weeks=program.duration_weeks,
        sessions_per_week=program.sessions_per_week,
        days=[
            DayShape(
                week=ps.week,
                day=ps.day,
                name=ps.name,
                uses_exercises=ps.activity_type.uses_exercises,
                exercise_orders=[pe.order for pe in tree.exercises[(ps.week, ps.day)]],
            )
            for ps in tree.sessions
        ],
    )
    if problems:
        raise OfficialProgramError(f"Official program {slug!r} is not whole: {' '.join(problems)}")
    return tree


# ---------------------------------------------------------------------------------------------------
# Comparing what is stored with what the file says


def _session_key(ps: ProgramSession) -> tuple[Any, ...]:
    return (ps.activity_type_id, *(getattr(ps, f) for f in SESSION_FIELDS))


def _exercise_key(pe: ProgramExercise) -> tuple[Any, ...]:
    return (pe.exercise_id, *(getattr(pe, f) for f in EXERCISE_FIELDS))


def _stored_tree(program: Program) -> _Tree:
    sessions = list(ProgramSession.objects.filter(program=program).prefetch_related("exercises"))
    return _Tree(
        sessions=sessions,
        exercises={(ps.week, ps.day): sorted(ps.exercises.all(), key=lambda e: e.order) for ps in sessions},
    )


def _same_tree(stored: _Tree, wanted: _Tree) -> bool:
    def shape(tree: _Tree) -> dict[tuple[int, int], tuple[Any, ...]]:
        return {
            (ps.week, ps.day): (
                _session_key(ps),
                tuple((pe.order, _exercise_key(pe)) for pe in tree.exercises.get((ps.week, ps.day), [])),
            )
            for ps in tree.sessions
        }

    return shape(stored) == shape(wanted)


def _write_new(sessions: list[ProgramSession], exercises: list[ProgramExercise]) -> None:
    ProgramSession.objects.bulk_create(sessions)
    ProgramExercise.objects.bulk_create(exercises)


def _update_in_place(program: Program, stored: _Tree, wanted: _Tree, notes: list[str]) -> None:
    """People follow this program: keep every day their history points at, change the rest."""
    by_key = {(ps.week, ps.day): ps for ps in stored.sessions}
    wanted_keys = {(ps.week, ps.day) for ps in wanted.sessions}
    changed_sessions: list[ProgramSession] = []
    changed_exercises: list[ProgramExercise] = []
    new_sessions: list[ProgramSession] = []
    new_exercises: list[ProgramExercise] = []
    gone_exercises: list[Any] = []
    for ps in wanted.sessions:
        key = (ps.week, ps.day)
        old = by_key.get(key)
        if old is None:
            new_sessions.append(ps)
            new_exercises.extend(wanted.exercises[key])
            continue
        if _session_key(old) != _session_key(ps):
            old.activity_type = ps.activity_type
            for name in SESSION_FIELDS:
                setattr(old, name, getattr(ps, name))
            changed_sessions.append(old)
        old_by_order = {pe.order: pe for pe in stored.exercises.get(key, [])}
        for pe in wanted.exercises[key]:
            current = old_by_order.pop(pe.order, None)
            if current is None:
                pe.session = old
                new_exercises.append(pe)
            elif _exercise_key(current) != _exercise_key(pe):
                current.exercise = pe.exercise
                for name in EXERCISE_FIELDS:
                    setattr(current, name, getattr(pe, name))
                changed_exercises.append(current)
        gone_exercises.extend(pe.pk for pe in old_by_order.values())
    extra = [ps.pk for key, ps in by_key.items() if key not in wanted_keys]
    used: set[Any] = set()
    if extra:
        used = set(EnrollmentDay.objects.filter(program_session__in=extra).values_list("program_session", flat=True))
        used |= set(Session.objects.filter(program_session__in=extra).values_list("program_session", flat=True))
        removable = [pk for pk in extra if pk not in used]
        ProgramSession.objects.filter(pk__in=removable).delete()
        if used:
            notes.append(f"kept {len(used)} day(s) no longer in the file: people's history points at them")
    ProgramExercise.objects.filter(pk__in=gone_exercises).delete()
    if changed_sessions:
        ProgramSession.objects.bulk_update(changed_sessions, ["activity_type", *SESSION_FIELDS])
    if changed_exercises:
        ProgramExercise.objects.bulk_update(changed_exercises, ["exercise", *EXERCISE_FIELDS])
    _write_new(new_sessions, new_exercises)
    # A command, not a request: the followers' next day and counters are refreshed right here.
    transaction.on_commit(lambda: enrollments_refresh_for_program(program_id=program.pk))
    notes.append(
        f"{len(changed_sessions)} day(s) and {len(changed_exercises)} exercise(s) changed, "
        f"{len(new_sessions)} day(s) and {len(new_exercises)} exercise(s) added, "
        f"{len(gone_exercises)} exercise(s) and {len(extra) - len(used)} day(s) removed"
    )


# ---------------------------------------------------------------------------------------------------
# The sync


def _program_values(slug: str, data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - {"slug", "activity_types", "weeks", *OFFICIAL_PROGRAM_FIELDS}
    if unknown:
        raise OfficialProgramError(f"Official program {slug!r}: unknown field(s) {', '.join(sorted(unknown))}.")
    missing = {"name", "duration_weeks", "sessions_per_week", "weeks"} - set(data)
    if missing:
        raise OfficialProgramError(f"Official program {slug!r}: missing {', '.join(sorted(missing))}.")
    values = {name: data[name] for name in OFFICIAL_PROGRAM_FIELDS if name in data}
    values.setdefault("description", "")
    for name in ("goals", "equipment", "tags"):
        values[name] = list(values.get(name) or [])
    return values


@transaction.atomic
def official_program_sync(*, data: Mapping[str, Any]) -> OfficialProgramSync:
    """Creates or updates the official program `data["slug"]` from a program file's data (see the module
    docstring). Raises OfficialProgramError, naming the program and the place, for anything the builder
    would refuse, an exercise missing from the library, or weeks that are not whole; nothing is written then.
    """
    slug = str(data.get("slug") or "")
    if not slug:
        raise OfficialProgramError("An official program needs a slug.")
    values = _program_values(slug, data)
    type_slugs = list(data.get("activity_types") or [])
    types = list(ActivityType.objects.filter(slug__in=type_slugs))
    if len(types) != len(set(type_slugs)):
        missing = sorted(set(type_slugs) - {t.slug for t in types})
        raise OfficialProgramError(f"Official program {slug!r}: unknown activity type(s) {', '.join(missing)}.")

    program = Program.objects.select_for_update().filter(slug=slug).first()
    created = program is None
    if program is None:
        program = Program(
            slug=slug,
            status=ProgramStatus.ACTIVE,
            published_at=timezone.now(),
        )
    before = {name: getattr(program, name) for name in OFFICIAL_PROGRAM_FIELDS} if not created else {}
    ours = {"is_official": True, "visibility": Visibility.PUBLIC, "author_id": None}
    ours_before = {name: getattr(program, name) for name in ours} if not created else {}
    for name, value in {**values, **ours}.items():
        setattr(program, name, value)
    try:
        _program_checks(program)
    except ValidationError as exc:
        raise OfficialProgramError(f"Official program {slug!r}: {exc.messages}") from exc
    wanted = _build_tree(program, slug, data["weeks"])
    result = OfficialProgramSync(slug=slug, outcome="unchanged")
    if created:
        program.save()
        program.activity_types.set(types)
        _write_new(wanted.sessions, [pe for items in wanted.exercises.values() for pe in items])
        result.outcome = "created"
        return result

    fields_changed = before != {n: getattr(program, n) for n in OFFICIAL_PROGRAM_FIELDS} or ours_before != ours
    if fields_changed:
        program.save()
        result.outcome = "updated"
    if {t.pk for t in program.activity_types.all()} != {t.pk for t in types}:
        program.activity_types.set(types)
        result.outcome = "updated"
    if program.status == ProgramStatus.ARCHIVED or program.deleted_at is not None:
        result.notes.append("archived or deleted by staff: left so")
    stored = _stored_tree(program)
    if not _same_tree(stored, wanted):
        if Enrollment.objects.filter(program=program).exists():
            _update_in_place(program, stored, wanted, result.notes)
            result.outcome = "updated in place"
            result.notes.append("people are enrolled: their planned session counts are as they enrolled")
        else:
            ProgramSession.objects.filter(program=program).delete()
            _write_new(wanted.sessions, [pe for items in wanted.exercises.values() for pe in items])
            result.outcome = "replaced"
        if not fields_changed:
            Program.objects.filter(pk=program.pk).update(updated_at=timezone.now())
    return result


# ---------------------------------------------------------------------------------------------------
# Staff actions (the admin)


def _staff(actor: User) -> None:
    if not (actor.is_active and actor.is_staff):
        raise NotAllowed("Only staff manage programs here.")


@transaction.atomic
def programs_archive(*, actor: User, programs: QuerySet[Program]) -> int:
    """Takes the programs out of browse and search; people enrolled keep following them."""
    _staff(actor)
    return programs.exclude(status=ProgramStatus.ARCHIVED).update(
        status=ProgramStatus.ARCHIVED, updated_at=timezone.now()
    )


@transaction.atomic
def programs_official_set(*, actor: User, programs: QuerySet[Program], official: bool) -> tuple[int, int]:
    """Marks programs official (official programs are public) or ordinary again. Returns (changed, kept):
    programs shipped as reference data (with a slug) stay official, since the next load would restore them."""
    _staff(actor)
    now = timezone.now()
    if official:
        changed = programs.filter(is_official=False).update(
            is_official=True, visibility=Visibility.PUBLIC, updated_at=now
        )
        return changed, 0
    shipped = programs.filter(is_official=True, slug__isnull=False).count()
    changed = programs.filter(is_official=True, slug__isnull=True).update(is_official=False, updated_at=now)
    return changed, shipped


__all__ = [
    "OFFICIAL_PROGRAM_FIELDS",
    "OfficialProgramError",
    "OfficialProgramSync",
    "official_program_sync",
    "programs_archive",
    "programs_official_set",
]
