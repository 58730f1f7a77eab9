"""Reads for enrolments: the current one, today's workout (the next program day with its targets), and a
program's progress (adherence per week, e1RM trend of its main lifts).

Targets: a template set's weight is absolute, or a percentage of the person's current estimated 1RM (their
ONE_RM personal record) rounded DOWN to what can be loaded: 2.5 kg for metric people, 5 lb for imperial
people (stored in kg). Without an e1RM the template's absolute weight, or nothing, is the target.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)

from accounts.models import User
from fitjourney import units
from fitjourney.errors import NotFound

from ..models import (
    CURRENT_ENROLLMENT_STATUSES,
    Enrollment,
    EnrollmentDay,
    PersonalRecord,
    ProgramDayStatus,
    ProgramExercise,
    ProgramSession,
    RecordType,
    Session,
    SessionStatus,
    Set,
)

KG_STEP = Decimal("2.5")
LB_STEP = Decimal(5)
MAIN_LIFTS = 3
STRENGTH = "strength"


# ---------------------------------------------------------------------------------------------------
# Targets (no queries)


def planned_weight_kg(
    *, percent_1rm: Decimal | None, target_weight_kg: Decimal | None, e1rm_kg: Decimal | None, who: units.UnitSystem
) -> Decimal | None:
    """The weight a planned set starts with, in kg: % × e1RM rounded down to a loadable step in the
    person's units, else the template's absolute weight (or None)."""
    if percent_1rm is not None and e1rm_kg:
        raw = Decimal(e1rm_kg) * Decimal(percent_1rm) / 100
        if units.is_imperial(who):
            pounds = (raw / units.KG_PER_LB / LB_STEP).to_integral_value(rounding=ROUND_FLOOR) * LB_STEP
            return units.weight_parse(pounds, units.IMPERIAL)
        return ((raw / KG_STEP).to_integral_value(rounding=ROUND_FLOOR) * KG_STEP).quantize(units.CENT)
    return target_weight_kg


def planned_reps(pe: ProgramExercise) -> int | None:
    return pe.reps_max or pe.reps_min


@dataclass(frozen=True)
class Target:
    """One exercise of a program day with what the person is asked to do."""

    program_exercise: ProgramExercise
    sets: int
    reps: int | None
    weight_kg: Decimal | None
    e1rm_kg: Decimal | None
    from_e1rm: bool


def targets_for(program_session: ProgramSession, who: User) -> list[Target]:
    """The day's targets. Needs the exercises prefetched with `e1rm_kg` annotated (exercises_with_e1rm)."""
    rows = []
    for pe in program_session.exercises.all():
        e1rm = getattr(pe, "e1rm_kg", None)
        weight = planned_weight_kg(
            percent_1rm=pe.percent_1rm, target_weight_kg=pe.target_weight_kg, e1rm_kg=e1rm, who=who
        )
        rows.append(
            Target(
                program_exercise=pe,
                sets=pe.sets,
                reps=planned_reps(pe),
                weight_kg=weight,
                e1rm_kg=e1rm,
                from_e1rm=pe.percent_1rm is not None and bool(e1rm),
            )
        )
    return rows


def exercises_with_e1rm(user: User) -> QuerySet[ProgramExercise]:
    """A day's exercises in order, each with the library row and the person's current e1RM (a correlated
    subquery on the (user, exercise, record type) unique index): one query for the whole day."""
    e1rm = PersonalRecord.objects.filter(user=user, exercise=OuterRef("exercise_id"), record_type=RecordType.ONE_RM)
    return (
        ProgramExercise.objects.select_related("exercise")
        .annotate(e1rm_kg=Subquery(e1rm.values("value")[:1]))
        .order_by("order")
    )


# ---------------------------------------------------------------------------------------------------
# The current enrolment and today's workout


def enrollment_current(user: User) -> Enrollment | None:
    """The person's active or paused enrolment (at most one: a partial unique constraint), with its
    program. One query on the partial index."""
    return (
        Enrollment.objects.filter(user=user, status__in=CURRENT_ENROLLMENT_STATUSES)
        .select_related("program", "assigned_by")
        .first()
    )


def enrollment_get(*, user: User, enrollment_id: uuid.UUID | str) -> Enrollment:
    """One of the person's enrolments (any status) with its program; another person's is NotFound."""
    enrollment = Enrollment.objects.filter(user=user, pk=enrollment_id).select_related("program", "assigned_by").first()
    if enrollment is None:
        raise NotFound("Enrolment not found.")
    return enrollment


def enrollments_of(user: User) -> QuerySet[Enrollment]:
    """The person's enrolments, newest first, with their programs (one query)."""
    return Enrollment.objects.filter(user=user).select_related("program").order_by("-created_at")


def next_day_queryset(enrollment: Enrollment) -> QuerySet[ProgramSession]:
    """The program's days not yet done or skipped in this enrolment, in order."""
    marked = EnrollmentDay.objects.filter(enrollment=enrollment, program_session=OuterRef("pk"))
    return (
        ProgramSession.objects.filter(program_id=enrollment.program_id).exclude(Exists(marked)).order_by("week", "day")
    )


@dataclass(frozen=True)
class TodaysWorkout:
    enrollment: Enrollment
    program_session: ProgramSession | None  # None: every day is done or skipped
    week: int
    day: int
    in_progress_session_id: uuid.UUID | None
    targets: list[Target] = field(default_factory=list)

    @property
    def is_paused(self) -> bool:
        return self.enrollment.status != "active"


def _in_progress(user: User, *, enrollment: Any, program_session: Any) -> QuerySet[Session]:
    return Session.objects.filter(
        user=user,
        enrollment=enrollment,
        program_session=program_session,
        status=SessionStatus.IN_PROGRESS,
        deleted_at__isnull=True,
        is_template=False,
    ).order_by("-started_at")


def todays_workout(user: User, enrollment: Enrollment | None = None) -> TodaysWorkout | None:
    """The next program day of the current enrolment, its exercises with the person's e1RMs and the
    session already started for it, whatever the program's size. Without `enrollment` (Today, Train):
    two queries, the current enrolment joined with its stored next day (the in-progress session as a
    subquery), then the day's exercises with their e1RMs; one without an enrolment. With `enrollment`,
    or while a program edit's refresh of the stored next day is still queued, the next day is read
    live: one query more. None without an enrolment."""
    if enrollment is None:
        enrollment = (
            Enrollment.objects.filter(user=user, status__in=CURRENT_ENROLLMENT_STATUSES)
            .select_related("program", "next_session__activity_type")
            .annotate(
                in_progress_id=Subquery(
                    _in_progress(user, enrollment=OuterRef("pk"), program_session=OuterRef("next_session_id")).values(
                        "pk"
                    )[:1]
                )
            )
            .first()
        )
        if enrollment is None:
            return None
        ps = enrollment.next_session
        stale = ps is None and enrollment.sessions_done + enrollment.sessions_skipped < enrollment.sessions_planned
        if ps is not None:
            ps.in_progress_id = enrollment.in_progress_id  # type: ignore[attr-defined]
            prefetch_related_objects([ps], Prefetch("exercises", queryset=exercises_with_e1rm(user)))
        if not stale:
            return _workout(user, enrollment, ps)
    ps = (
        next_day_queryset(enrollment)
        .select_related("activity_type")
        .annotate(
            in_progress_id=Subquery(
                _in_progress(user, enrollment=enrollment, program_session=OuterRef("pk")).values("pk")[:1]
            )
        )
        .prefetch_related(Prefetch("exercises", queryset=exercises_with_e1rm(user)))
        .first()
    )
    return _workout(user, enrollment, ps)


def _workout(user: User, enrollment: Enrollment, ps: ProgramSession | None) -> TodaysWorkout:
    if ps is None:
        return TodaysWorkout(enrollment, None, enrollment.current_week, enrollment.current_day, None)
    return TodaysWorkout(
        enrollment=enrollment,
        program_session=ps,
        week=ps.week,
        day=ps.day,
        in_progress_session_id=getattr(ps, "in_progress_id", None),
        targets=targets_for(ps, user),
    )


# ---------------------------------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class ScheduledDay:
    program_session_id: uuid.UUID
    week: int
    day: int
    name: str
    status: str  # done, skipped or "" (still to do)


@dataclass(frozen=True)
class WeekAdherence:
    week: int
    planned: int
    done: int
    skipped: int
    days: list[ScheduledDay] = field(default_factory=list)

    @property
    def pct(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


@dataclass(frozen=True)
class LiftTrend:
    exercise_id: uuid.UUID
    name: str
    points: list[tuple[int, Decimal]]  # (week, best e1RM in kg)


@dataclass(frozen=True)
class EnrollmentProgress:
    weeks: list[WeekAdherence]
    lifts: list[LiftTrend]


def _week_of(local_date: F, start: dt.date) -> Func:
    """(local_date - start) / 7 + 1 in SQL: date minus date is a whole number of days in PostgreSQL."""
    return Func(
        local_date,
        Value(start),
        template="((%(expressions)s) / 7 + 1)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def enrollment_progress(enrollment: Enrollment) -> EnrollmentProgress:
    """Adherence per week and the e1RM trend of the program's main lifts (its strength exercises that
    appear most, up to three), in four queries whatever the program's and the history's size: planned
    per week, marks, main lifts, and the best Epley e1RM (weight × (1 + reps / 30)) per lift and week of
    the person's finished sets during the enrolment, grouped in SQL."""
    days = list(
        ProgramSession.objects.filter(program_id=enrollment.program_id)
        .order_by("week", "day")
        .values_list("pk", "week", "day", "name", "activity_type__name")
    )
    marks = list(
        EnrollmentDay.objects.filter(enrollment=enrollment).values_list("program_session_id", "week", "status")
    )
    status_of = {ps: status for ps, _, status in marks}
    planned: dict[int, int] = {}
    schedule: dict[int, list[ScheduledDay]] = {}
    for pk, week, day, name, type_name in days:
        planned[week] = planned.get(week, 0) + 1
        schedule.setdefault(week, []).append(ScheduledDay(pk, week, day, name or type_name, status_of.get(pk, "")))
    done: dict[int, int] = {}
    skipped: dict[int, int] = {}
    for _, week, status in marks:
        bucket = done if status == ProgramDayStatus.DONE else skipped
        bucket[week] = bucket.get(week, 0) + 1
    weeks = [
        WeekAdherence(week=w, planned=planned[w], done=done.get(w, 0), skipped=skipped.get(w, 0), days=schedule[w])
        for w in sorted(planned)
    ]
    lifts_rows = list(
        ProgramExercise.objects.filter(session__program_id=enrollment.program_id, exercise__category=STRENGTH)
        .order_by()
        .values("exercise_id", "exercise__name")
        .annotate(n=Count("id"))
        .order_by("-n", "exercise__name")[:MAIN_LIFTS]
    )
    lifts: list[LiftTrend] = []
    if lifts_rows:
        ids = [row["exercise_id"] for row in lifts_rows]
        sets = Set.objects.filter(
            session_exercise__session__user_id=enrollment.user_id,
            session_exercise__session__status=SessionStatus.FINISHED,
            session_exercise__session__deleted_at__isnull=True,
            session_exercise__session__is_template=False,
            session_exercise__session__local_date__gte=enrollment.start_date,
            session_exercise__exercise_id__in=ids,
            is_completed=True,
            is_warmup=False,
            reps__gt=0,
            weight_kg__gt=0,
        )
        if enrollment.ended_at is not None:
            sets = sets.filter(session_exercise__session__started_at__lte=enrollment.ended_at)
        epley = ExpressionWrapper(
            F("weight_kg") * (Value(30) + F("reps")) / Value(30),
            output_field=DecimalField(max_digits=12, decimal_places=4),
        )
        rows = (
            sets.annotate(week=_week_of(F("session_exercise__session__local_date"), enrollment.start_date))
            .order_by()
            .values("session_exercise__exercise_id", "week")
            .annotate(best=Max(epley))
            .order_by("week")
        )
        points: dict[uuid.UUID, list[tuple[int, Decimal]]] = {pk: [] for pk in ids}
        for row in rows:
            best = Decimal(row["best"]).quantize(Decimal("0.1"))
            points[row["session_exercise__exercise_id"]].append((row["week"], best))
        lifts = [LiftTrend(row["exercise_id"], row["exercise__name"], points[row["exercise_id"]]) for row in lifts_rows]
    return EnrollmentProgress(weeks=weeks, lifts=lifts)


__all__ = [
    "EnrollmentProgress",
    "LiftTrend",
    "ScheduledDay",
    "Target",
    "TodaysWorkout",
    "WeekAdherence",
    "enrollment_current",
    "enrollment_get",
    "enrollment_progress",
    "enrollments_of",
    "exercises_with_e1rm",
    "next_day_queryset",
    "planned_weight_kg",
    "targets_for",
    "todays_workout",
]
