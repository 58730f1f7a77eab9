from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from training.models import (
    ActivityCategory,
    ActivityType,
    Enrollment,
    Exercise,
    Program,
    ProgramExercise,
    ProgramSession,
    Session,
    SessionExercise,
    SessionStatus,
    Set,
    WorkoutSchedule,
)


class ActivityCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ActivityCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class ActivityTypeFactory(DjangoModelFactory):
    class Meta:
        model = ActivityType
        django_get_or_create = ("slug",)

    category = factory.SubFactory(ActivityCategoryFactory)
    slug = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Activity type {n}")
    met = 5
    uses_exercises = True


class ExerciseFactory(DjangoModelFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Exercise {n}")
    activity_type = factory.SubFactory(ActivityTypeFactory)
    category = "strength"
    primary_muscles = factory.LazyFunction(lambda: ["chest"])
    equipment = "barbell"
    level = "beginner"
    source = "test"


class SessionFactory(DjangoModelFactory):
    """A finished session of one hour that started yesterday; pass fields to change it."""

    class Meta:
        model = Session

    user = factory.SubFactory(UserFactory)
    activity_type = factory.SubFactory(ActivityTypeFactory)
    name = factory.Sequence(lambda n: f"Session {n}")
    status = SessionStatus.FINISHED
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(hours=1))
    local_date = factory.LazyAttribute(lambda o: timezone.localdate(o.started_at, o.user.zone))


class SessionExerciseFactory(DjangoModelFactory):
    class Meta:
        model = SessionExercise

    session = factory.SubFactory(SessionFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)


class SetFactory(DjangoModelFactory):
    class Meta:
        model = Set

    session_exercise = factory.SubFactory(SessionExerciseFactory)
    number = factory.Sequence(lambda n: n + 1)
    reps = 8
    weight_kg = 60


class WorkoutScheduleFactory(DjangoModelFactory):
    """Mondays, Wednesdays and Fridays at 18:00 for 60 minutes."""

    class Meta:
        model = WorkoutSchedule

    user = factory.SubFactory(UserFactory)
    monday_workout = True
    wednesday_workout = True
    friday_workout = True
    preferred_time = dt.time(18, 0)
    preferred_duration_minutes = 60


class ProgramFactory(DjangoModelFactory):
    """A private draft of 4 weeks × 3 days; pass author=, status=, visibility= to change it."""

    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    author = factory.SubFactory(UserFactory)
    duration_weeks = 4
    sessions_per_week = 3


class ProgramSessionFactory(DjangoModelFactory):
    class Meta:
        model = ProgramSession

    program = factory.SubFactory(ProgramFactory)
    week = 1
    day = factory.Sequence(lambda n: n % 14 + 1)
    activity_type = factory.SubFactory(ActivityTypeFactory)


class ProgramExerciseFactory(DjangoModelFactory):
    class Meta:
        model = ProgramExercise

    session = factory.SubFactory(ProgramSessionFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)
    sets = 3
    reps_min = 8
    reps_max = 10


class EnrollmentFactory(DjangoModelFactory):
    """An active enrolment starting today in a published program; pass program= (and its days) to use
    your own. sessions_planned follows the program's days."""

    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory, status="active", visibility="public")
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    sessions_planned = factory.LazyAttribute(lambda o: o.program.sessions.count())
