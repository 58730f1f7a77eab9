"""A client's timeline for their trainer (issue 13): each kind of data only where granted on an active link,
in the trainer's units, newest first, with the charts' series, in a query count that does not grow with the
history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import LifestyleBaselineFactory
from coaching.models import Client, ClientStatus
from coaching.selectors.timeline import client_timeline
from fitjourney.errors import NotFound
from training.tests.factories import ExerciseFactory, SessionExerciseFactory, SessionFactory, SetFactory

from .factories import (
    ClientFactory,
    HabitFactory,
    HabitLogFactory,
    JournalEntryFactory,
    SessionCardFactory,
    TrainerFactory,
)
from .goals_kit import weigh

pytestmark = pytest.mark.django_db


def _history(member, days):
    bench = ExerciseFactory(name=f"Bench {member.pk.hex[:6]}")
    habit = HabitFactory(user=member)
    for n in range(days):
        at = timezone.now() - dt.timedelta(days=n)
        day = timezone.localdate(at, member.zone)
        if n % 3 == 0:
            session = SessionFactory(user=member, started_at=at - dt.timedelta(hours=1))
            se = SessionExerciseFactory(session=session, exercise=bench)
            SetFactory(session_exercise=se, reps=5, weight_kg=Decimal(80 + n % 5))
        if n % 7 == 0:
            weigh(member, 80 - n / 10, days_ago=n)
        HabitLogFactory(habit=habit, log_date=day, logged_at=at, completed=True)
        if n % 10 == 0:
            JournalEntryFactory(user=member, entry_date=day)
            LifestyleBaselineFactory(user=member, recorded_at=at)


def _kinds(timeline):
    return {entry.kind for entry in timeline.entries}


def test_only_granted_kinds_show_in_the_trainers_units_newest_first():
    trainer = TrainerFactory()
    trainer.user.unit_system = "imperial"
    trainer.user.save(update_fields=["unit_system"])
    link = ClientFactory(trainer=trainer, grant_training=True, grant_body=True)
    _history(link.member, 20)
    SessionCardFactory(client=link, trainer=trainer, title="Coached squat day")
    timeline = client_timeline(trainer_user=trainer.user, client_id=link.pk, days=30)
    assert _kinds(timeline) == {"session", "body", "card"}
    body = next(e for e in timeline.entries if e.kind == "body")
    assert body.detail.endswith(" lb")
    days = [e.day for e in timeline.entries]
    assert days == sorted(days, reverse=True)
    assert timeline.weight and timeline.weight[0][0] < timeline.weight[-1][0]
    (lift,) = timeline.lifts.values()
    assert len(lift) >= 3 and all(value > 80 for _, value in lift)

    Client.objects.filter(pk=link.pk).update(grant_habits=True, grant_checkins=True, grant_journal=True)
    timeline = client_timeline(trainer_user=trainer.user, client_id=link.pk, days=30)
    assert _kinds(timeline) == {"session", "body", "card", "habit", "checkin", "journal"}
    Client.objects.filter(pk=link.pk).update(grant_training=False, grant_body=False)
    timeline = client_timeline(trainer_user=trainer.user, client_id=link.pk, days=30)
    assert "session" not in _kinds(timeline) and "body" not in _kinds(timeline)
    assert timeline.lifts == {} and timeline.weight == []


def test_another_trainer_or_an_ended_link_gets_a_404():
    link = ClientFactory()
    with pytest.raises(NotFound):
        client_timeline(trainer_user=TrainerFactory().user, client_id=link.pk)
    Client.objects.filter(pk=link.pk).update(status=ClientStatus.ENDED, ended_at=timezone.now())
    with pytest.raises(NotFound):
        client_timeline(trainer_user=link.trainer.user, client_id=link.pk)


def test_ninety_days_cost_at_most_12_queries_whatever_the_history():
    grants = {f"grant_{area}": True for area in ("training", "body", "nutrition", "habits", "checkins", "journal")}
    counts = []
    for days in (10, 200):
        link = ClientFactory(**grants)
        _history(link.member, days)
        with CaptureQueriesContext(connection) as ctx:
            client_timeline(trainer_user=link.trainer.user, client_id=link.pk, days=90)
        counts.append(len(ctx))
    assert counts[0] == counts[1] <= 12
