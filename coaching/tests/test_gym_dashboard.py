"""The trainer dashboard's summary rows (issue 13, item 4): each client's progress rests only on what the
member granted and flags the clients who need attention; the trainer's row counts bookings, cards and
ratings; the refresh follows the gym's and the member's changes through Celery and runs for everybody
nightly, one trainer's failure never stopping the others."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.services.body import body_metric_record
from coaching.models import AttentionReason, BookingStatus, ClientProgress, TrainerDashboard
from coaching.services import dashboard as services
from training.models import ActivityType, Enrollment
from training.tests.enrollment_helpers import published_program
from training.tests.factories import (
    ExerciseFactory,
    SessionExerciseFactory,
    SessionFactory,
    SetFactory,
)

from .factories import BookingFactory, ClientFactory, GoalFactory, SessionCardFactory, TrainerFactory
from .goals_kit import weigh

pytestmark = pytest.mark.django_db


def _lift(member, exercise, *, days_ago, kg, reps=5):
    started = timezone.now() - dt.timedelta(days=days_ago)
    session = SessionFactory(user=member, started_at=started)
    SetFactory(session_exercise=SessionExerciseFactory(session=session, exercise=exercise), reps=reps, weight_kg=kg)
    return session


def _struggling_client(**grants):
    """A member a month into a program, 3 weeks without training, weaker, and heavier against their goal."""
    link = ClientFactory(accepted_at=timezone.now() - dt.timedelta(days=60), **grants)
    member = link.member
    bench = ExerciseFactory()
    _lift(member, bench, days_ago=40, kg=Decimal(100))
    _lift(member, bench, days_ago=21, kg=Decimal(90))
    program = published_program(weeks=8, days=3)
    Enrollment.objects.create(
        user=member, program=program, start_date=member.local_today() - dt.timedelta(days=28), sessions_planned=24
    )
    GoalFactory(user=member)  # body weight, down
    weigh(member, 80, days_ago=35)
    weigh(member, 82, days_ago=1)
    return link


def test_a_client_needing_attention_is_flagged_for_every_reason_the_grants_allow():
    link = _struggling_client(grant_training=True, grant_body=True)
    progress = services.client_progress_refresh(client=link)
    assert progress.sessions_28d == 1 and progress.last_session_date == link.member.local_today() - dt.timedelta(
        days=21
    )
    assert progress.adherence_pct == 0 and progress.e1rm_change_pct == Decimal("-10.00")
    assert progress.weight_change_kg == Decimal("2.00")
    assert set(progress.attention) == {
        AttentionReason.NO_SESSION,
        AttentionReason.LOW_ADHERENCE,
        AttentionReason.FALLING_E1RM,
        AttentionReason.WEIGHT_AGAINST_GOAL,
    }


def test_painting_is_no_training_for_the_trainer_either():
    """Issue 14, point 3: a non-physical session yesterday neither counts as a workout nor hides three weeks
    without training."""
    link = _struggling_client(grant_training=True, grant_body=True)
    painting = ActivityType.objects.get(slug="painting")  # reference data: not physical
    assert not painting.is_physical
    SessionFactory(user=link.member, activity_type=painting, started_at=timezone.now() - dt.timedelta(days=1))
    progress = services.client_progress_refresh(client=link)
    assert progress.sessions_28d == 1
    assert progress.last_session_date == link.member.local_today() - dt.timedelta(days=21)
    assert AttentionReason.NO_SESSION in progress.attention


def test_without_grants_the_trainer_learns_nothing():
    link = _struggling_client(grant_training=False, grant_body=False)
    progress = services.client_progress_refresh(client=link)
    assert (progress.sessions_28d, progress.adherence_pct, progress.e1rm_change_pct, progress.weight_change_kg) == (
        None,
        None,
        None,
        None,
    )
    assert progress.attention == []
    body_only = _struggling_client(grant_training=False, grant_body=True)
    assert services.client_progress_refresh(client=body_only).attention == [AttentionReason.WEIGHT_AGAINST_GOAL]


def test_a_new_client_is_not_flagged_for_having_no_session_yet():
    link = ClientFactory(accepted_at=timezone.now() - dt.timedelta(days=2))
    assert services.client_progress_refresh(client=link).attention == []


def test_the_trainers_row_counts_bookings_cards_ratings_and_attention():
    trainer = TrainerFactory(rating_average=Decimal("4.50"), rating_count=2)
    happy = ClientFactory(trainer=trainer, accepted_at=timezone.now())
    _struggling_client(trainer=trainer, grant_training=True)
    now = timezone.now()
    for days, status in ((3, "completed"), (10, "completed"), (20, "completed"), (30, "cancelled"), (40, "no_show")):
        start = now - dt.timedelta(days=days)
        BookingFactory(
            client=happy,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            status=status,
            cancelled_at=start if status == BookingStatus.CANCELLED else None,
        )
    BookingFactory(client=happy)  # upcoming: not an outcome yet
    SessionCardFactory(client=happy, trainer=trainer, date=happy.member.local_today())
    dashboard = services.trainer_dashboard_refresh(trainer_id=trainer.pk)
    assert dashboard is not None
    assert (dashboard.active_clients, dashboard.completed_90d, dashboard.cancelled_90d, dashboard.no_show_90d) == (
        2,
        3,
        1,
        1,
    )
    assert dashboard.completion_rate == Decimal("60.00") and dashboard.no_show_rate == Decimal("25.00")
    assert dashboard.sessions_month == 1 and dashboard.rating_average == Decimal("4.50")
    assert dashboard.clients_needing_attention == 1
    assert ClientProgress.objects.filter(trainer=trainer).count() == 2


def test_a_members_weigh_in_refreshes_their_trainers_dashboard_through_celery(django_capture_on_commit_callbacks):
    link = ClientFactory(grant_body=True)
    with django_capture_on_commit_callbacks(execute=True):
        body_metric_record(user=link.member, metric_type="weight", value=Decimal(70))
    assert TrainerDashboard.objects.filter(trainer=link.trainer).exists()
    assert ClientProgress.objects.filter(client=link).exists()


def test_the_nightly_refresh_goes_on_past_a_trainer_whose_data_breaks_it():
    good = ClientFactory().trainer
    bad = ClientFactory().trainer
    User.objects.filter(pk=bad.user_id).update(timezone="Mars/Olympus_Mons")  # bad data, not a valid zone
    assert services.gym_dashboards_refresh_all() == 1
    assert TrainerDashboard.objects.filter(trainer=good).exists()
    assert not TrainerDashboard.objects.filter(trainer=bad).exists()


def test_the_dashboard_reads_three_queries_whatever_the_history():
    from coaching.selectors.dashboard import trainer_dashboard
    from fitjourney.errors import NotFound
    from fitjourney.testing.queries import assert_num_queries

    trainer = TrainerFactory()
    link = _struggling_client(trainer=trainer, grant_training=True)
    now = timezone.now()
    noon = dt.datetime.combine(timezone.localdate(now, trainer.user.zone), dt.time(12), tzinfo=trainer.user.zone)
    today = BookingFactory(client=link, starts_at=noon, ends_at=noon + dt.timedelta(hours=1))
    services.trainer_dashboard_refresh(trainer_id=trainer.pk)
    with assert_num_queries(3):
        dashboard = trainer_dashboard(user=trainer.user)
    assert dashboard.summary is not None and dashboard.summary.clients_needing_attention == 1
    assert [p.client_id for p in dashboard.attention] == [link.pk]
    assert dashboard.today == [today] and dashboard.week == [today]
    for n in range(30):  # history outside the week does not cost more
        start = now - dt.timedelta(days=10 + n)
        BookingFactory(client=link, starts_at=start, ends_at=start + dt.timedelta(hours=1), status="completed")
    with assert_num_queries(3):
        trainer_dashboard(user=trainer.user)
    with pytest.raises(NotFound):
        trainer_dashboard(user=link.member)


def test_a_trainers_refresh_costs_the_same_for_three_or_twelve_clients():
    """Set-based: one query per kind of data for all the clients (not per client), then one upsert."""
    trainer = TrainerFactory()

    def clients(count):
        for _ in range(count):
            link = ClientFactory(trainer=trainer, accepted_at=timezone.now() - dt.timedelta(days=60))
            bench = ExerciseFactory()
            _lift(link.member, bench, days_ago=40, kg=Decimal(100))
            _lift(link.member, bench, days_ago=21, kg=Decimal(90))
            GoalFactory(user=link.member)
            weigh(link.member, 80, days_ago=35)
            weigh(link.member, 82, days_ago=1)

    def refresh_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.trainer_dashboard_refresh(trainer_id=trainer.pk)
        return len(queries)

    clients(3)
    services.trainer_dashboard_refresh(trainer_id=trainer.pk)  # the trainer's row exists from now on
    few = refresh_queries()
    assert ClientProgress.objects.filter(trainer=trainer).count() == 3
    clients(9)
    assert refresh_queries() == few
    rows = ClientProgress.objects.filter(trainer=trainer)
    expected = {AttentionReason.NO_SESSION, AttentionReason.FALLING_E1RM, AttentionReason.WEIGHT_AGAINST_GOAL}
    assert rows.count() == 12 and all(set(row.attention) == expected for row in rows)
