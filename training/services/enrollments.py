"""Writes for enrolments: enrol (self or assigned), start today's workout, skip a day, pause, resume,
restart a week, leave; and the hooks that session_finish / session_delete call to mark a program day done
or un-mark it.

A person follows one program at a time (a partial unique constraint on active|paused); enrolling while
following another is refused unless the caller asks to replace it. A program day is "marked" by one
EnrollmentDay row (done with its session, or skipped); the enrolment's position, counters and progress
are recomputed from those rows after every change, so they never drift. Another person's enrolment, a
draft or another person's private program is NotFound.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from accounts.models import User
from fitjourney.dates import check_planned_date
from fitjourney.errors import NotFound

from ..models import (
    CURRENT_ENROLLMENT_STATUSES,
    Enrollment,
    EnrollmentDay,
    EnrollmentStatus,
    Program,
    ProgramDayStatus,
    ProgramSession,
    ProgramStatus,
    Session,
    SessionExercise,
    SessionStatus,
    Set,
)
from ..selectors.enrollments import exercises_with_e1rm, next_day_queryset, targets_for
from . import library as library_service
from . import sessions as sessions_service

PROGRAM_NOT_FOUND = "Program not found."
NOT_FOUND = "Enrolment not found."
logger = logging.getLogger(__name__)
ALREADY = "You are already following {name} — leave it first."
NOT_CURRENT = "This program is over: enrol again to follow it."
PAUSED = "The program is paused: resume it first."
COMPLETE = "Every day of this program is done."
HUNDRED = Decimal(100)


# ---------------------------------------------------------------------------------------------------
# Helpers


def _own(user: User, enrollment: Enrollment) -> Enrollment:
    """The person's enrolment, locked for this transaction (two taps of Start, a finish and a skip)."""
    locked = Enrollment.objects.select_for_update().filter(pk=enrollment.pk, user=user).first()
    if locked is None:
        raise NotFound(NOT_FOUND)
    return locked


def _current(user: User, enrollment: Enrollment) -> Enrollment:
    locked = _own(user, enrollment)
    if locked.status not in CURRENT_ENROLLMENT_STATUSES:
        raise ValidationError(NOT_CURRENT)
    return locked


def _enrollable(user: User, program: Program, assigned_by: User | None = None) -> Program:
    """Published public programs and the person's own published ones, and a trainer's published private
    ones when that trainer assigns them; drafts, archived programs and another person's private ones are
    "not found"."""
    visible = Program.objects.visible_to(user)
    if assigned_by is not None:
        visible = visible | Program.objects.filter(author=assigned_by)
    found = visible.filter(pk=program.pk, status=ProgramStatus.ACTIVE).first()
    if found is None:
        raise NotFound(PROGRAM_NOT_FOUND)
    return found


def _program_usage_count_later(program_id: uuid.UUID) -> None:
    """Many people enrol in one program: its counter is a hot row, counted after the commit in its own
    single-statement transaction (a lost increment only makes a popularity hint one lower)."""
    transaction.on_commit(lambda: Program.objects.filter(pk=program_id).update(usage_count=F("usage_count") + 1))


def enrollment_next_day(enrollment: Enrollment) -> ProgramSession | None:
    """The first program day, in week/day order, that is neither done nor skipped (None: all are)."""
    return next_day_queryset(enrollment).first()


def _recompute(enrollment: Enrollment) -> Enrollment:
    """Position, counters, progress and completion from the marks: two queries and one update."""
    days = list(
        ProgramSession.objects.filter(program_id=enrollment.program_id)
        .order_by("week", "day")
        .values_list("pk", "week", "day")
    )
    marks = dict(EnrollmentDay.objects.filter(enrollment=enrollment).values_list("program_session_id", "status"))
    done = sum(1 for status in marks.values() if status == ProgramDayStatus.DONE)
    skipped = sum(1 for status in marks.values() if status == ProgramDayStatus.SKIPPED)
    planned = len(days)
    following = next(((pk, week, day) for pk, week, day in days if pk not in marks), None)
    enrollment.sessions_planned = planned
    enrollment.sessions_done = min(done, planned)
    enrollment.sessions_skipped = skipped
    share = (HUNDRED * enrollment.sessions_done / planned).quantize(Decimal("0.01")) if planned else Decimal(0)
    enrollment.progress_pct = min(HUNDRED, share)
    enrollment.next_session_id = following[0] if following is not None else None
    if following is not None:
        enrollment.current_week, enrollment.current_day = following[1], following[2]
        if enrollment.status == EnrollmentStatus.COMPLETED:
            # A deleted session reopens a completed program, unless the person has moved on.
            others = Enrollment.objects.filter(user_id=enrollment.user_id, status__in=CURRENT_ENROLLMENT_STATUSES)
            if not others.exclude(pk=enrollment.pk).exists():
                enrollment.status = EnrollmentStatus.ACTIVE
                enrollment.ended_at = None
    elif enrollment.status in CURRENT_ENROLLMENT_STATUSES and planned:
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.ended_at = timezone.now()
        enrollment.paused_at = None
    enrollment.save(
        update_fields=[
            "sessions_planned",
            "sessions_done",
            "sessions_skipped",
            "progress_pct",
            "current_week",
            "current_day",
            "next_session",
            "status",
            "ended_at",
            "paused_at",
            "updated_at",
        ]
    )
    return enrollment


def enrollments_refresh_for_program(*, program_id: uuid.UUID | str) -> int:
    """After a program's days changed (added, removed, moved, a week copied): the position, next day and
    counters of everybody following it, recomputed one person per transaction, so one bad row never
    stops the others. Returns how many enrolments were refreshed."""
    refreshed = 0
    ids = list(
        Enrollment.objects.filter(program_id=program_id, status__in=CURRENT_ENROLLMENT_STATUSES).values_list(
            "pk", flat=True
        )
    )
    for enrollment_id in ids:
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.select_for_update().filter(pk=enrollment_id).first()
                if enrollment is not None and enrollment.status in CURRENT_ENROLLMENT_STATUSES:
                    _recompute(enrollment)
                    refreshed += 1
        except Exception:
            logger.exception("Could not refresh enrolment %s", enrollment_id)
    return refreshed


def enrollments_refresh_later(program_id: uuid.UUID) -> None:
    """Queues the refresh of the program's followers once the caller's transaction commits: the editor's
    request never writes other people's rows."""
    from ..tasks import refresh_program_enrollments

    transaction.on_commit(lambda: refresh_program_enrollments.delay(str(program_id)))


# ---------------------------------------------------------------------------------------------------
# Enrol


@transaction.atomic
def enrollment_create(
    *,
    user: User,
    program: Program,
    start_date: dt.date | None = None,
    assigned_by: User | None = None,
    replace: bool = False,
) -> Enrollment:
    """Enrols the person in a program they may follow. Following another program is refused (leave it
    first) unless `replace`, which leaves it in the same transaction."""
    program = _enrollable(user, program, assigned_by)
    start_date = start_date or user.local_today()
    check_planned_date(start_date, zone=user.zone, field="start_date")
    current = (
        Enrollment.objects.select_for_update()
        .filter(user=user, status__in=CURRENT_ENROLLMENT_STATUSES)
        .select_related("program")
        .first()
    )
    if current is not None:
        if not replace:
            raise ValidationError({"program": [ALREADY.format(name=current.program.name)]})
        _leave(current)
    first = (
        ProgramSession.objects.filter(program=program).order_by("week", "day").values_list("week", "day", "pk").first()
    )
    planned = ProgramSession.objects.filter(program=program).count()
    enrollment = Enrollment(
        user=user,
        program=program,
        assigned_by=assigned_by,
        start_date=start_date,
        current_week=first[0] if first else 1,
        current_day=first[1] if first else 1,
        next_session_id=first[2] if first else None,
        sessions_planned=planned,
    )
    try:
        with transaction.atomic():
            enrollment.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent enrolment won the race for "one current"
        raise ValidationError({"program": ["You already follow a program. Leave it first."]}) from exc
    _program_usage_count_later(program.pk)
    return enrollment


# ---------------------------------------------------------------------------------------------------
# Today's workout


def _plan_notes(ps: ProgramSession, who: User) -> str:
    """Non-strength targets (duration, distance, intensity, the type's metrics) as the session's notes."""
    from fitjourney import units

    parts = []
    if ps.target_duration_seconds:
        parts.append(f"{round(ps.target_duration_seconds / 60)} min")
    if ps.target_distance_m:
        parts.append(units.distance_display(ps.target_distance_m, who))
    if ps.target_intensity:
        parts.append(ps.target_intensity)
    for name, value in (ps.target_metrics or {}).items():
        parts.append(f"{name.replace('_', ' ')}: {value}")
    lines = []
    if parts:
        lines.append("Target: " + " · ".join(parts))
    if ps.notes:
        lines.append(ps.notes)
    return "\n".join(lines)


@transaction.atomic
def enrollment_start_workout(*, user: User, enrollment: Enrollment) -> tuple[Session, bool]:
    """Starts a session pre-filled from the next program day (its type, name, exercises in order with
    their superset groups, one planned set per template set with its reps and target weight); returns
    (session, created). A session already in progress for that day is returned instead of a second one."""
    enrollment = _current(user, enrollment)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise ValidationError(PAUSED)
    ps = (
        next_day_queryset(enrollment)
        .select_related("activity_type", "program")
        .prefetch_related(Prefetch("exercises", queryset=exercises_with_e1rm(user)))
        .first()
    )
    if ps is None:
        raise ValidationError(COMPLETE)
    existing = (
        Session.objects.for_user(user)
        .performed()
        .filter(enrollment=enrollment, program_session=ps, status=SessionStatus.IN_PROGRESS)
        .order_by("-started_at")
        .first()
    )
    if existing is not None:
        return existing, False
    name = ps.name or f"{ps.program.name}: week {ps.week}, day {ps.day}"
    session = sessions_service.session_start(user=user, activity_type=ps.activity_type, name=name[:200])
    session.enrollment = enrollment
    session.program_session = ps
    session.notes = _plan_notes(ps, user)
    session.save(update_fields=["enrollment", "program_session", "notes", "updated_at"])
    new_exercises: list[SessionExercise] = []
    new_sets: list[Set] = []
    for order, target in enumerate(targets_for(ps, user), start=1):
        pe = target.program_exercise
        notes = [pe.notes] if pe.notes else []
        if pe.target_rpe is not None:
            notes.append(f"Target RPE {pe.target_rpe.normalize():f}")
        if pe.reps_min and pe.reps_max and pe.reps_min != pe.reps_max:
            notes.append(f"{pe.reps_min}–{pe.reps_max} reps")
        se = SessionExercise(
            session=session,
            exercise_id=pe.exercise_id,
            order=order,
            superset_group=pe.superset_group,
            notes=" · ".join(notes),
            set_count=target.sets,
        )
        new_exercises.append(se)
        new_sets.extend(
            Set(
                session_exercise=se,
                number=n,
                reps=target.reps,
                weight_kg=target.weight_kg,
                duration_seconds=pe.target_duration_seconds,
                distance_m=pe.target_distance_m,
                rest_seconds=pe.rest_seconds,
                is_completed=False,  # planned: no volume until the person ticks it
            )
            for n in range(1, target.sets + 1)
        )
    SessionExercise.objects.bulk_create(new_exercises)
    Set.objects.bulk_create(new_sets)
    if new_exercises:
        library_service.exercise_usage_count_later(exercise_ids=[se.exercise_id for se in new_exercises])
    return session, True


# ---------------------------------------------------------------------------------------------------
# Skip, pause, resume, restart a week, leave


@transaction.atomic
def enrollment_skip_day(*, user: User, enrollment: Enrollment) -> Enrollment:
    """Marks the next program day skipped and moves on (the last one completes the program)."""
    enrollment = _current(user, enrollment)
    ps = enrollment_next_day(enrollment)
    if ps is None:
        raise ValidationError(COMPLETE)
    EnrollmentDay.objects.create(
        enrollment=enrollment,
        program_session=ps,
        week=ps.week,
        day=ps.day,
        status=ProgramDayStatus.SKIPPED,
        local_date=user.local_today(),
    )
    return _recompute(enrollment)


@transaction.atomic
def enrollment_pause(*, user: User, enrollment: Enrollment) -> Enrollment:
    enrollment = _current(user, enrollment)
    if enrollment.status != EnrollmentStatus.PAUSED:
        enrollment.status = EnrollmentStatus.PAUSED
        enrollment.paused_at = timezone.now()
        enrollment.save(update_fields=["status", "paused_at", "updated_at"])
    return enrollment


@transaction.atomic
def enrollment_resume(*, user: User, enrollment: Enrollment) -> Enrollment:
    enrollment = _current(user, enrollment)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        enrollment.status = EnrollmentStatus.ACTIVE
        enrollment.paused_at = None
        enrollment.save(update_fields=["status", "paused_at", "updated_at"])
    return enrollment


@transaction.atomic
def enrollment_restart_week(*, user: User, enrollment: Enrollment) -> Enrollment:
    """Starts the current week again: its days lose their done/skipped marks (the sessions stay in the
    history) and the program points at its first day."""
    enrollment = _current(user, enrollment)
    week = enrollment.current_week
    EnrollmentDay.objects.filter(enrollment=enrollment, week=week).delete()
    enrollment = _recompute(enrollment)
    return enrollment


def _leave(enrollment: Enrollment) -> None:
    enrollment.status = EnrollmentStatus.ABANDONED
    enrollment.ended_at = timezone.now()
    enrollment.paused_at = None
    enrollment.save(update_fields=["status", "ended_at", "paused_at", "updated_at"])


@transaction.atomic
def enrollment_leave(*, user: User, enrollment: Enrollment) -> Enrollment:
    enrollment = _current(user, enrollment)
    _leave(enrollment)
    return enrollment


# ---------------------------------------------------------------------------------------------------
# Hooks of session_finish and session_delete (inside their transactions)


def enrollment_session_finished(*, session: Session) -> None:
    """A finished program session marks its day done (once: unique per enrolment and day) and moves the
    enrolment on. Nothing happens for a session of an enrolment that is over."""
    if session.enrollment_id is None or session.program_session_id is None:
        return
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(pk=session.enrollment_id, user_id=session.user_id, status__in=CURRENT_ENROLLMENT_STATUSES)
        .first()
    )
    ps = ProgramSession.objects.filter(pk=session.program_session_id).values_list("week", "day").first()
    if enrollment is None or ps is None:
        return
    EnrollmentDay.objects.update_or_create(
        enrollment=enrollment,
        program_session_id=session.program_session_id,
        defaults={
            "week": ps[0],
            "day": ps[1],
            "status": ProgramDayStatus.DONE,
            "session": session,
            "local_date": session.local_date,
        },
    )
    _recompute(enrollment)


def enrollment_session_deleted(*, session: Session) -> None:
    """A deleted program session un-marks the day it did, and the enrolment is recomputed."""
    if session.enrollment_id is None:
        return
    enrollment = Enrollment.objects.select_for_update().filter(pk=session.enrollment_id).first()
    if enrollment is None:
        return
    deleted, _ = EnrollmentDay.objects.filter(
        enrollment=enrollment, session_id=session.pk, status=ProgramDayStatus.DONE
    ).delete()
    if deleted and enrollment.status != EnrollmentStatus.ABANDONED:
        _recompute(enrollment)


__all__ = [
    "enrollment_create",
    "enrollment_leave",
    "enrollment_next_day",
    "enrollment_pause",
    "enrollment_restart_week",
    "enrollment_resume",
    "enrollment_session_deleted",
    "enrollment_session_finished",
    "enrollment_skip_day",
    "enrollment_start_workout",
]
