"""Builders the enrolment tests share: a published program of weeks × days with strength exercises, and
a person's e1RM."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import User
from training.models import Exercise, PersonalRecord, Program, ProgramExercise, RecordType, Session
from training.tests.factories import (
    ActivityTypeFactory,
    ExerciseFactory,
    ProgramExerciseFactory,
    ProgramFactory,
    ProgramSessionFactory,
    SessionFactory,
)


def published_program(
    *, weeks: int = 2, days: int = 2, exercises: int = 2, author: User | None = None, **fields: Any
) -> Program:
    """Each day: `exercises` strength exercises (the same ones every day), the first at 75% of 1RM with
    an absolute fallback of 40 kg, the others at 20 kg; 3 sets of 5-5 reps."""
    fields.setdefault("status", "active")
    fields.setdefault("visibility", "public")
    program: Program = ProgramFactory(duration_weeks=weeks, sessions_per_week=days, author=author, **fields)  # type: ignore[assignment]
    strength = ActivityTypeFactory(uses_exercises=True)
    lifts = [ExerciseFactory(activity_type=strength, name=f"Lift {program.pk.hex[:6]} {n}") for n in range(exercises)]
    for week in range(1, weeks + 1):
        for day in range(1, days + 1):
            ps = ProgramSessionFactory(program=program, week=week, day=day, activity_type=strength, name="")
            for order, lift in enumerate(lifts, start=1):
                ProgramExerciseFactory(
                    session=ps,
                    exercise=lift,
                    order=order,
                    sets=3,
                    reps_min=5,
                    reps_max=5,
                    percent_1rm=Decimal(75) if order == 1 else None,
                    target_weight_kg=Decimal(40) if order == 1 else Decimal(20),
                    superset_group=1 if order > 1 and exercises > 2 else None,
                )
    return program


def main_lift(program: Program) -> Exercise:
    first = ProgramExercise.objects.filter(session__program=program).order_by("session__week", "session__day", "order")
    return first.select_related("exercise").get(session__week=1, session__day=1, order=1).exercise


def _session(user: User) -> Session:
    session: Session = SessionFactory(user=user)  # type: ignore[assignment]
    return session


def give_e1rm(user: User, exercise: Exercise, kg: Decimal | int) -> PersonalRecord:
    return PersonalRecord.objects.create(
        user=user,
        exercise=exercise,
        record_type=RecordType.ONE_RM,
        value=Decimal(kg),
        session=_session(user),
        achieved_at=timezone.now(),
    )
