"""Session cards, client statistics, the trainer's rating and program assignment (issue 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Notification
from coaching.models import Booking, BookingStatus, Client, ClientStatus, SessionCard, Trainer
from coaching.services import cards as services
from fitjourney.errors import NotFound
from fitjourney.testing.queries import assert_num_queries
from training.models import ActivityType, Enrollment, EnrollmentDay, Exercise, Session
from training.tests.enrollment_helpers import published_program

from .factories import BookingFactory, ClientFactory, SessionCardFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    return ClientFactory(grant_write=True)


def _past_booking(link, hours_ago=2, **kw):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=hours_ago)
    return BookingFactory(client=link, starts_at=start, ends_at=start + dt.timedelta(hours=1), **kw)


def _workout(exercises=3, sets=3):
    strength = ActivityType.objects.get(slug="weight-training")
    lifts = list(Exercise.objects.filter(owner__isnull=True).order_by("name")[:exercises])
    return {
        "activity_type": strength,
        "name": "Coached session",
        "exercises": [
            {"exercise": lift, "sets": [{"reps": 8, "weight_kg": Decimal(40 + 5 * n)} for n in range(sets)]}
            for lift in lifts
        ],
    }


def _card(link, **kw):
    kw.setdefault("title", "Lower body")
    kw.setdefault("duration_minutes", 60)
    return services.session_card_write(user=link.trainer.user, client=link, **kw)


def test_a_card_logs_the_workout_for_the_client_completes_the_booking_and_counts(link):
    booking = _past_booking(link)
    card = _card(
        link,
        booking=booking,
        workout=_workout(),
        feedback="Good depth.",
        effort_rating=4,
        next_session_goals=["Add 2.5 kg to the squat", " "],
    )
    session = Session.objects.get(pk=card.session_id)
    assert session.user_id == link.member_id and session.recorded_by_id == link.trainer.user_id
    assert session.status == "finished" and session.started_at == booking.starts_at
    assert (card.total_exercises, card.total_sets) == (3, 9)
    assert card.total_volume_kg == session.total_volume_kg == 3 * 8 * (40 + 45 + 50)
    assert card.next_session_goals == ["Add 2.5 kg to the squat"]
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.COMPLETED
    link.refresh_from_db()
    assert (link.sessions_count, link.last_session_date, link.attendance_pct) == (1, card.date, 100)
    assert link.current_streak == 1
    note = Notification.objects.get(user=link.member, related_id=str(card.pk))
    assert note.action_url == f"/coach/cards/{card.pk}/" and "Good depth." in note.message


def test_without_the_write_grant_the_workout_is_refused_and_nothing_is_saved():
    link = ClientFactory(grant_write=False)
    booking = _past_booking(link)
    with pytest.raises(ValidationError) as refused:
        _card(link, booking=booking, workout=_workout())
    assert "has not allowed you to record sessions" in str(refused.value)
    assert not Session.objects.filter(user=link.member).exists() and not SessionCard.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.SCHEDULED
    card = _card(link, booking=booking, feedback="Talked through the plan.")  # a card without a workout is fine
    assert card.session_id is None and Booking.objects.get(pk=booking.pk).status == BookingStatus.COMPLETED


def test_only_the_links_trainer_may_write_and_only_while_it_is_active(link):
    other = TrainerFactory()
    with pytest.raises(NotFound):
        services.session_card_write(user=other.user, client=link, title="x", duration_minutes=30)
    with pytest.raises(NotFound):  # a member who is not a trainer at all
        services.session_card_write(user=link.member, client=link, title="x", duration_minutes=30)
    Client.objects.filter(pk=link.pk).update(status=ClientStatus.ENDED, ended_at=timezone.now())
    with pytest.raises(NotFound):
        _card(link)
    assert not SessionCard.objects.exists()


def test_a_booking_in_the_future_another_clients_or_already_carded_is_refused(link):
    future = BookingFactory(client=link)
    with pytest.raises(ValidationError, match="not started yet"):
        _card(link, booking=future)
    elsewhere = _past_booking(ClientFactory(trainer=link.trainer), hours_ago=5)
    with pytest.raises(NotFound):
        _card(link, booking=elsewhere)
    done = _past_booking(link)
    _card(link, booking=done)
    with pytest.raises(ValidationError, match="already has its card|is completed"):
        _card(link, booking=done)
    assert SessionCard.objects.count() == 1


def test_bad_card_fields_are_field_errors(link):
    with pytest.raises(ValidationError) as refused:
        _card(link, title=" ", duration_minutes=0, effort_rating=6, next_session_goals="squat")
    assert set(refused.value.message_dict) == {"title", "duration_minutes", "effort_rating", "next_session_goals"}


def test_attendance_counts_no_shows_and_the_streak_counts_weeks_in_a_row(link):
    _card(link, booking=_past_booking(link, hours_ago=3))
    Booking.objects.filter(pk=_past_booking(link, hours_ago=30).pk).update(status=BookingStatus.NO_SHOW)
    today = link.member.local_today()
    for weeks in (1, 2, 4):
        SessionCardFactory(client=link, trainer=link.trainer, date=today - dt.timedelta(weeks=weeks))
    services.client_stats_refresh(client=link)
    link.refresh_from_db()
    assert link.attendance_pct == 50  # one completed, one no-show
    assert link.sessions_count == 4 and link.current_streak == 3  # this week and the two before; not week 4


def test_the_client_rates_and_the_trainers_average_follows_after_the_commit(link, django_capture_on_commit_callbacks):
    first = _card(link, booking=_past_booking(link, hours_ago=3))
    second_link = ClientFactory(trainer=link.trainer)
    second = services.session_card_write(user=link.trainer.user, client=second_link, title="Upper", duration_minutes=45)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_card_rate(user=link.member, card=first, rating=4, comment="Clear cues")
        assert Trainer.objects.get(pk=link.trainer_id).rating_count == 0  # not inside the client's transaction
    with django_capture_on_commit_callbacks(execute=True):
        services.session_card_rate(user=second_link.member, card=second, rating=5)
    trainer = Trainer.objects.get(pk=link.trainer_id)
    assert (trainer.rating_average, trainer.rating_count) == (Decimal("4.50"), 2)
    with pytest.raises(NotFound):
        services.session_card_rate(user=second_link.member, card=first, rating=1)
    with pytest.raises(ValidationError):
        services.session_card_rate(user=link.member, card=first, rating=6)
    with assert_num_queries(1):
        services.trainer_rating_refresh(trainer_id=trainer.pk)


def test_the_trainer_assigns_their_private_program_and_a_booked_day_moves_it_on(link):
    program = published_program(weeks=2, days=2, author=link.trainer.user, visibility="private")
    enrollment = services.program_assign(user=link.trainer.user, client=link, program=program)
    assert (enrollment.user_id, enrollment.assigned_by_id) == (link.member_id, link.trainer.user_id)
    assert Notification.objects.filter(user=link.member, action_url="/train/program/").exists()
    with pytest.raises(NotFound):
        services.program_assign(user=TrainerFactory().user, client=link, program=program)
    enrollment.refresh_from_db()
    booking = _past_booking(link, enrollment=enrollment, program_session=enrollment.next_session)
    card = _card(link, booking=booking, workout=_workout(exercises=2, sets=2))
    assert EnrollmentDay.objects.filter(enrollment=enrollment, session_id=card.session_id, status="done").exists()
    enrollment.refresh_from_db()
    assert (enrollment.sessions_done, enrollment.current_day) == (1, 2)
    # Assigning another program replaces the current one (one current enrolment per person).
    other = published_program(weeks=1, days=1, author=link.trainer.user)
    services.program_assign(user=link.trainer.user, client=link, program=other)
    assert Enrollment.objects.get(pk=enrollment.pk).status == "abandoned"


def test_the_member_sees_who_assigned_their_program(link, client):
    program = published_program(weeks=1, days=1, author=link.trainer.user)
    services.program_assign(user=link.trainer.user, client=link, program=program)
    client.force_login(link.member)
    page = client.get("/train/program/").content.decode()
    assert 'data-testid="assigned-by"' in page and str(link.trainer) in page
