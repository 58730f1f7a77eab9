from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from coaching.models import Frequency, Habit, HabitLog, JournalEntry, OnboardingState, TrackingType


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
