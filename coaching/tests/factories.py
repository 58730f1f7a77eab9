from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from coaching.models import (
    METRICS,
    Booking,
    BookingStatus,
    Client,
    ClientStatus,
    Direction,
    Frequency,
    Goal,
    GoalKindSlug,
    GoalMetric,
    GoalMilestone,
    Habit,
    HabitLog,
    InvitedBy,
    JournalEntry,
    Location,
    OnboardingState,
    OpeningHours,
    SessionCard,
    TrackingType,
    Trainer,
    WorkingHours,
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


# --- The gym (issue 13) ------------------------------------------------------------------------------


def _trainer_user():
    """A member in the Trainer group (made here when a test did not sync the role groups)."""
    from django.contrib.auth.models import Group

    from fitjourney.hooks import roles

    Group.objects.get_or_create(name=roles.TRAINER)
    return roles.assign(user=UserFactory(), role=roles.TRAINER)


class LocationFactory(DjangoModelFactory[Location]):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Gym {n}")
    address = "1 Main Street"
    timezone = "UTC"


class OpeningHoursFactory(DjangoModelFactory[OpeningHours]):
    """Open 06:00–22:00 on the given weekday (Monday by default)."""

    class Meta:
        model = OpeningHours

    location = factory.SubFactory(LocationFactory)
    weekday = 0
    opens = dt.time(6)
    closes = dt.time(22)


class TrainerFactory(DjangoModelFactory[Trainer]):
    """A member in the Trainer group (staff, as roles.assign makes them) with a profile."""

    class Meta:
        model = Trainer

    user = factory.LazyFunction(_trainer_user)
    bio = "Strength coach."
    specialities = factory.LazyFunction(lambda: ["Strength"])
    years_experience = 5


class ClientFactory(DjangoModelFactory[Client]):
    """An ACTIVE link granting training and body data (pass status/grants to change it)."""

    class Meta:
        model = Client

    member = factory.SubFactory(UserFactory)
    trainer = factory.SubFactory(TrainerFactory)
    status = ClientStatus.ACTIVE
    invited_by = InvitedBy.MEMBER
    grant_training = True
    grant_body = True
    accepted_at = factory.LazyFunction(timezone.now)


class WorkingHoursFactory(DjangoModelFactory[WorkingHours]):
    class Meta:
        model = WorkingHours

    trainer = factory.SubFactory(TrainerFactory)
    location = factory.SubFactory(LocationFactory)
    weekday = 0
    starts = dt.time(9)
    ends = dt.time(17)


class BookingFactory(DjangoModelFactory[Booking]):
    """A scheduled hour tomorrow at 10:00 UTC (the member is the client's member)."""

    class Meta:
        model = Booking

    client = factory.SubFactory(ClientFactory)
    trainer = factory.LazyAttribute(lambda o: o.client.trainer)
    member = factory.LazyAttribute(lambda o: o.client.member)
    location = factory.SubFactory(LocationFactory)
    starts_at = factory.LazyFunction(
        lambda: dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    status = BookingStatus.SCHEDULED


class SessionCardFactory(DjangoModelFactory[SessionCard]):
    class Meta:
        model = SessionCard

    client = factory.SubFactory(ClientFactory)
    trainer = factory.LazyAttribute(lambda o: o.client.trainer)
    date = factory.LazyFunction(timezone.localdate)
    title = "Strength session"
    duration_minutes = 60
