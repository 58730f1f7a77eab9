"""`load_reference_data --demo` gives the demo member eight weeks of history (issue 14, point 17): the
intake is complete, Today, Progress, History and the weekly review show those weeks, summaries exist for
the 56 days, and a second run changes nothing. The newcomer account still starts with the intake."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from accounts.models import BodyMetric, LifestyleBaseline
from accounts.services.demo import demo_accounts_ensure
from coaching.models import DailySummary, Goal, HabitLog, JournalEntry, WeeklySummary
from coaching.services.member_demo import DAYS, member_demo_ensure
from fitjourney.hooks import reference, roles
from nutrition.models import MealItem
from training.models import PersonalRecord, Session, Set

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    roles.groups_sync()
    accounts = demo_accounts_ensure()
    summary = member_demo_ensure(member=accounts["member"])
    accounts["member"].refresh_from_db()
    return accounts, summary


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts(member) -> tuple[int, ...]:
    return tuple(
        model.objects.filter(**{field: member}).count()
        for model, field in (
            (Session, "user"),
            (Set, "session_exercise__session__user"),
            (MealItem, "meal__user"),
            (BodyMetric, "user"),
            (HabitLog, "habit__user"),
            (JournalEntry, "user"),
            (LifestyleBaseline, "user"),
            (DailySummary, "user"),
            (WeeklySummary, "user"),
            (Goal, "user"),
        )
    )


def test_the_demo_member_has_eight_weeks_of_history(demo):
    (accounts, summary) = demo
    member = accounts["member"]
    today = member.local_today()
    first = today - dt.timedelta(days=DAYS - 1)
    assert summary.startswith("demo member: 24 strength")
    assert member.intake_completed_at is not None
    assert accounts["newcomer"].intake_completed_at is None  # the intake can still be tried fresh

    sessions = Session.objects.for_user(member).performed()
    assert sessions.filter(activity_type__slug="weight-training", local_date__gte=first).count() == 24
    assert sessions.filter(activity_type__slug="running").count() >= 8
    assert sessions.filter(activity_type__slug="yoga").count() >= 7
    assert sessions.filter(status="finished", calories_kcal__gt=0).count() == sessions.count()
    squats = Set.objects.filter(
        session_exercise__session__user=member, session_exercise__exercise__name="Barbell Squat", is_warmup=False
    )
    first_squat = squats.order_by("session_exercise__session__started_at").first()
    last_squat = squats.order_by("-session_exercise__session__started_at").first()
    assert last_squat.weight_kg - first_squat.weight_kg >= 15  # progressive overload
    assert PersonalRecord.objects.filter(user=member).exists()

    weights = BodyMetric.objects.filter(user=member, metric_type_id="weight").order_by("local_date")
    assert weights.count() >= 40 and weights.first().local_date == first and weights.last().local_date == today
    assert weights.first().value - weights.last().value >= 2  # towards the fat-loss goal
    goal = Goal.objects.get(user=member, role="primary", status="active")
    assert goal.start_date == first and goal.target_value < goal.start_value

    days = set(DailySummary.objects.filter(user=member).values_list("date", flat=True))
    assert {first + dt.timedelta(days=n) for n in range(DAYS)} <= days
    assert WeeklySummary.objects.filter(user=member).count() >= 8
    eaten = DailySummary.objects.filter(user=member, date__lt=today, calories_eaten__gt=0).count()
    assert eaten >= 40
    assert JournalEntry.objects.filter(user=member).exclude(mood="").count() >= 10
    assert HabitLog.objects.filter(habit__user=member, completed=True).count() >= 100
    assert LifestyleBaseline.objects.filter(user=member).count() >= 8


def test_the_pages_show_those_weeks(demo):
    (accounts, _) = demo
    member = accounts["member"]
    client = _client(member)
    history = client.get("/train/history/")
    assert history.status_code == 200
    assert history.content.decode().count("Strength A") + history.content.decode().count("Strength B") >= 10
    today = client.get("/today/")
    assert today.status_code == 200
    weight = BodyMetric.objects.get(user=member, metric_type_id="weight", local_date=member.local_today())
    assert f"{weight.value.normalize():f}" in today.content.decode()
    progress = client.get("/progress/")
    assert progress.status_code == 200
    weigh_ins = BodyMetric.objects.filter(user=member, metric_type_id="weight").count()
    assert f"{weigh_ins} weigh-ins in the last 180 days, from 72.4" in progress.content.decode()
    last_week = member.local_today() - dt.timedelta(days=member.local_today().weekday() + 7)
    review = client.get(f"/review/?week={last_week.isoformat()}")
    assert review.status_code == 200
    workouts = re.search(r'data-testid="total-workouts">(\d+)<', review.content.decode())
    assert workouts is not None and int(workouts.group(1)) >= 5  # three strength sessions, a run, a class


def test_loading_it_twice_changes_nothing(demo):
    (accounts, _) = demo
    member = accounts["member"]
    before = _counts(member)
    assert member_demo_ensure(member=member) == "demo member: history already there"
    assert _counts(member) == before


def test_the_member_loader_runs_before_the_gym():
    names = [loader.name for loader in sorted(reference._demo_loaders.values(), key=lambda x: (x.order, x.name))]
    assert names.index("coaching.member") < names.index("coaching.gym")
