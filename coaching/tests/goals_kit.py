"""Small helpers for the goal tests: logs of each source a goal can measure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import BodyMetric
from nutrition.tests.factories import MealFactory, MealItemFactory
from training.models import PersonalRecord, RecordType
from training.tests.factories import SessionFactory

from .factories import HabitLogFactory


def weigh(user, kg, *, days_ago=0, metric_type="weight"):
    day = user.local_today() - dt.timedelta(days=days_ago)
    at = timezone.now() - dt.timedelta(days=days_ago)
    return BodyMetric.objects.create(
        user=user, metric_type_id=metric_type, value=Decimal(str(kg)), measured_at=at, local_date=day
    )


def record(user, exercise, value, *, record_type=RecordType.ONE_RM, days_ago=0):
    at = timezone.now() - dt.timedelta(days=days_ago)
    session = SessionFactory(user=user, started_at=at - dt.timedelta(hours=1))
    row, _ = PersonalRecord.objects.update_or_create(
        user=user,
        exercise=exercise,
        record_type=record_type,
        defaults={"value": Decimal(str(value)), "session": session, "achieved_at": at},
    )
    return row


def train(user, *, days_ago=0, activity_type=None):
    at = timezone.now() - dt.timedelta(days=days_ago)
    extra = {"activity_type": activity_type} if activity_type else {}
    return SessionFactory(user=user, started_at=at - dt.timedelta(hours=1), **extra)


def eat(user, *, kcal, protein, days_ago=1):
    meal = MealFactory(user=user, date=user.local_today() - dt.timedelta(days=days_ago))
    return MealItemFactory(meal=meal, energy_kcal=Decimal(kcal), protein_g=Decimal(protein))


def tick(habit, *, days_ago=0, completed=True):
    return HabitLogFactory(
        habit=habit, log_date=habit.user.local_today() - dt.timedelta(days=days_ago), completed=completed
    )
