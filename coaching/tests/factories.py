from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from coaching.models import (
    METRICS,
    Direction,
    Frequency,
    Goal,
    GoalKindSlug,
    GoalMetric,
    GoalMilestone,
    Habit,
    HabitLog,
    JournalEntry,
    OnboardingState,
    TrackingType,
)


class HabitFactory(DjangoModelFactory[Habit]):
    """A daily done-or-not habit that started a month ago."""

    class Meta:
        model = Habit

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Habit {n}")
    tracking_type = TrackingType.BOOLEAN
    target_value: int | None = None
    frequency = Frequency.DAILY
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class NumericHabitFactory(HabitFactory):
    tracking_type = TrackingType.NUMERIC
    unit = "glasses"
    target_value = 8


class HabitLogFactory(DjangoModelFactory[HabitLog]):
    class Meta:
        model = HabitLog

    habit = factory.SubFactory(HabitFactory)
    log_date = factory.LazyFunction(timezone.localdate)
    logged_at = factory.LazyFunction(timezone.now)
    completed = True


class JournalEntryFactory(DjangoModelFactory[JournalEntry]):
    class Meta:
        model = JournalEntry

    user = factory.SubFactory(UserFactory)
    entry_date = factory.LazyFunction(timezone.localdate)
    title = factory.Sequence(lambda n: f"Day {n}")
    content = "Slept well, trained legs."
    mood = "good"
    energy_level = 7
    stress_level = 3
    tags = factory.LazyFunction(lambda: ["training"])


class OnboardingStateFactory(DjangoModelFactory[OnboardingState]):
    """An intake just begun (its person has not completed it)."""

    class Meta:
        model = OnboardingState

    user = factory.SubFactory(UserFactory, intake_completed_at=None)


# --- Goals (appended) ------------------------------------------------------------------------------


class GoalFactory(DjangoModelFactory[Goal]):
    """An active body-weight goal: from 90 to 80 kg within twelve weeks, started today. Pass metric, the
    subject and values to change it; milestones are not laid (use coaching.services.goals.goal_create)."""

    class Meta:
        model = Goal

    user = factory.SubFactory(UserFactory)
    kind = GoalKindSlug.BODY_COMPOSITION
    category = "fat_loss"
    metric = GoalMetric.BODY_WEIGHT
    title = factory.Sequence(lambda n: f"Goal {n}")
    direction = Direction.DOWN
    unit = factory.LazyAttribute(lambda o: METRICS[o.metric].unit)
    start_value = Decimal(90)
    target_value = Decimal(80)
    start_date = factory.LazyFunction(timezone.localdate)
    target_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(weeks=12))


class GoalMilestoneFactory(DjangoModelFactory[GoalMilestone]):
    class Meta:
        model = GoalMilestone

    goal = factory.SubFactory(GoalFactory)
    percent = 50
    value = Decimal(85)
