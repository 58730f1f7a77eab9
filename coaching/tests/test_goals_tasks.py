"""Goals are evaluated after the logs change (days-changed → on commit → the task) and expire daily."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Notification
from accounts.services.body import body_metric_record
from coaching.models import Goal, GoalMetric, GoalMilestone, GoalStatus
from coaching.services.goals import goal_create, goals_evaluate, goals_expire
from coaching.tasks.goals import expire_goals, goals_evaluate_task
from training.services import sessions as training
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

from .factories import GoalFactory
from .goals_kit import record, weigh

pytestmark = pytest.mark.django_db


def _achievements(user):
    return Notification.objects.filter(user=user, type="achievement", data__has_key="goal")


def test_a_heavier_set_reaches_a_lift_milestone(member, django_capture_on_commit_callbacks):
    bench = ExerciseFactory()
    record(member, bench, "100")
    goal = goal_create(user=member, metric=GoalMetric.EXERCISE_E1RM, exercise=bench.pk, target_value="110")
    with django_capture_on_commit_callbacks(execute=True):
        session = training.session_start(user=member, activity_type=ActivityTypeFactory())
        se = training.exercise_add(user=member, session=session, exercise=bench)
        training.set_add(user=member, session_exercise=se, reps=5, weight_kg=Decimal("92.5"))  # e1RM 107.9
        training.session_finish(user=member, session=session)
    reached = set(GoalMilestone.objects.filter(goal=goal, achieved_at__isnull=False).values_list("percent", flat=True))
    assert reached == {25, 50, 75} or reached == {25, 50}
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE and goal.current_value > 100
    assert _achievements(member).count() == len(reached)


def test_a_lower_weight_reaches_the_goal_and_tells_once(member, django_capture_on_commit_callbacks):
    weigh(member, "82", days_ago=3)
    goal = goal_create(user=member, metric=GoalMetric.BODY_WEIGHT, target_value="80")
    assert list(goal.milestones.values_list("percent", flat=True)) == [50, 100]  # 81 and 80
    with django_capture_on_commit_callbacks(execute=True):
        body_metric_record(user=member, metric_type="weight", value=Decimal("79.8"))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED and goal.achieved_at is not None
    assert _achievements(member).count() == 2
    assert _achievements(member).filter(title__startswith="Goal reached").count() == 1
    # Idempotent: running it again sends nothing more.
    assert goals_evaluate(user=member) == []
    assert goals_evaluate_task(str(member.pk)) == 0
    assert _achievements(member).count() == 2


def test_evaluation_is_debounced_per_person(member, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr("coaching.tasks.goals.goals_evaluate_task.apply_async", lambda **kw: calls.append(kw))
    GoalFactory(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        body_metric_record(user=member, metric_type="weight", value=Decimal("89"))
    with django_capture_on_commit_callbacks(execute=True):
        body_metric_record(user=member, metric_type="body_fat", value=Decimal("20"))
    assert calls == [{"args": [str(member.pk)], "countdown": settings.GOAL_EVALUATION_DELAY_SECONDS}]


def test_goals_past_their_date_expire_unless_reached(member):
    now = timezone.now()
    past = member.local_today() - dt.timedelta(days=30)
    late = GoalFactory(user=member, start_date=past, target_date=past + dt.timedelta(days=10))
    reached = GoalFactory(
        user=member,
        metric=GoalMetric.BODY_FAT,
        start_value=25,
        target_value=20,
        start_date=past,
        target_date=past + dt.timedelta(days=10),
    )
    weigh(member, 19, metric_type="body_fat")
    running = GoalFactory(user=member, metric=GoalMetric.PROTEIN_DAY, kind="habit", direction="up", target_value=150)
    assert goals_expire(now=now) == 1
    statuses = dict(Goal.objects.filter(user=member).values_list("pk", "status"))
    assert statuses == {late.pk: "expired", reached.pk: "achieved", running.pk: "active"}
    assert expire_goals() == 0  # safe to run twice


def test_one_persons_failure_does_not_stop_the_others(member, monkeypatch):
    from coaching.services import goals as services

    past = member.local_today() - dt.timedelta(days=30)
    broken = GoalFactory(start_date=past, target_date=past + dt.timedelta(days=1))
    fine = GoalFactory(user=member, start_date=past, target_date=past + dt.timedelta(days=1))
    real = services.goals_evaluate

    def evaluate(*, user, now=None):
        if user.pk == broken.user_id:
            raise RuntimeError("boom")
        return real(user=user, now=now)

    monkeypatch.setattr(services, "goals_evaluate", evaluate)
    assert goals_expire() == 1
    assert Goal.objects.get(pk=fine.pk).status == "expired" and Goal.objects.get(pk=broken.pk).status == "active"


def test_the_beat_runs_the_expiry_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["goals-expire"]
    assert entry["task"] == "coaching.tasks.expire_goals"
