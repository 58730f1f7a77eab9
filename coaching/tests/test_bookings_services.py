from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification, NotificationType
from accounts.tests.factories import UserFactory
from coaching.models import Booking, BookingStatus, ClientStatus, TimeOff
from coaching.services import bookings as services
from coaching.services.bookings import booking_reminders_send
from fitjourney.errors import NotAllowed, NotFound

from .bookings_kit import NOW, at, make_gym
from .factories import BookingFactory, ClientFactory, TrainerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gym():
    return make_gym()


def _book(gym, actor=None, **kwargs):
    fields = {"location": gym.location, "starts_at": at(1, 10), "duration_minutes": 60, "now": NOW, **kwargs}
    return services.booking_create(actor=actor or gym.member, client=gym.client, **fields)


def _refused(field, call):
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


def test_the_member_books_a_free_hour_and_the_trainer_is_told_after_commit(gym, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(gym, title="Legs")
    assert booking.status == BookingStatus.SCHEDULED and booking.member == gym.member
    booking.refresh_from_db()
    assert booking.duration_minutes == 60 and booking.created_by == gym.member
    note = Notification.objects.get(user=gym.trainer.user)
    assert note.type == NotificationType.SCHEDULE and "Legs" in note.message
    assert not Notification.objects.filter(user=gym.member).exists()


def test_the_trainer_books_their_own_client_and_the_member_is_told(gym, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _book(gym, actor=gym.trainer.user)
    assert Notification.objects.filter(user=gym.member, title="New booking").exists()


def test_it_refuses_a_trainer_booking_someone_elses_client(gym):
    other = TrainerFactory()
    with pytest.raises(NotFound):
        _book(gym, actor=other.user)
    with pytest.raises(NotFound):
        _book(gym, actor=UserFactory())
    assert not Booking.objects.exists()


@pytest.mark.parametrize("status", [ClientStatus.INVITED, ClientStatus.PAUSED, ClientStatus.ENDED])
def test_it_refuses_a_client_who_has_not_consented_or_whose_link_is_not_active(gym, status):
    gym.client.status = status
    if status == ClientStatus.ENDED:
        gym.client.ended_at = NOW
    gym.client.save()
    assert "active" in _refused("client", lambda: _book(gym, actor=gym.trainer.user)) or "accepted" in _refused(
        "client", lambda: _book(gym, actor=gym.trainer.user)
    )
    assert not Booking.objects.exists()


def test_it_refuses_the_past_and_short_notice_for_the_member(gym):
    assert "future" in _refused("starts_at", lambda: _book(gym, starts_at=at(0, 7)))
    assert "ahead" in _refused("starts_at", lambda: _book(gym, starts_at=at(0, 9)))
    # The trainer may book their client at short notice.
    assert _book(gym, actor=gym.trainer.user, starts_at=at(0, 9))
    assert Booking.objects.count() == 1


def test_it_refuses_outside_working_hours_and_opening_hours(gym):
    assert "does not work" in _refused("starts_at", lambda: _book(gym, starts_at=at(1, 17)))
    assert "does not work" in _refused("starts_at", lambda: _book(gym, starts_at=at(1, 16, 30)))
    assert "closed" in _refused("starts_at", lambda: _book(gym, starts_at=at(1, 22)))
    gym.location.opening_hours.filter(weekday=at(1, 0).weekday()).update(opens=dt.time(12))
    assert "closed" in _refused("starts_at", lambda: _book(gym, starts_at=at(1, 10)))
    assert not Booking.objects.exists()


def test_it_refuses_a_location_the_trainer_does_not_work_at(gym):
    from .factories import LocationFactory

    assert "does not work" in _refused("location", lambda: _book(gym, location=LocationFactory()))


def test_it_refuses_time_off_and_too_long_bookings(gym):
    TimeOff.objects.create(trainer=gym.trainer, starts_at=at(1, 11), ends_at=at(1, 12))
    assert "away" in _refused("starts_at", lambda: _book(gym, starts_at=at(1, 10, 30)))
    assert "at most" in _refused("duration_minutes", lambda: _book(gym, duration_minutes=9 * 60))
    assert "more than zero" in _refused("duration_minutes", lambda: _book(gym, duration_minutes=0))
    assert not Booking.objects.exists()


def test_it_refuses_an_overlap_with_the_constraints_message_and_saves_nothing_more(gym):
    _book(gym)
    message = _refused("starts_at", lambda: _book(gym, actor=gym.trainer.user, starts_at=at(1, 10, 30)))
    assert message in (
        "The trainer already has a booking at this time.",
        "This member already has a booking at this time.",
    )
    # Another client of the same trainer at the same time: the trainer's constraint.
    other = ClientFactory(trainer=gym.trainer)
    with pytest.raises(ValidationError) as error:
        services.booking_create(actor=other.member, client=other, location=gym.location, starts_at=at(1, 10), now=NOW)
    assert error.value.message_dict["starts_at"] == ["The trainer already has a booking at this time."]
    # The same member with another trainer: the member's constraint.
    second = ClientFactory(member=gym.member)
    second.trainer.locations.add(gym.location)
    from .factories import WorkingHoursFactory

    WorkingHoursFactory(trainer=second.trainer, location=gym.location, weekday=at(1, 0).weekday())
    with pytest.raises(ValidationError) as error:
        services.booking_create(actor=gym.member, client=second, location=gym.location, starts_at=at(1, 10), now=NOW)
    assert error.value.message_dict["starts_at"] == ["This member already has a booking at this time."]
    assert Booking.objects.count() == 1


def test_back_to_back_bookings_are_fine(gym):
    _book(gym)
    assert _book(gym, starts_at=at(1, 11))


def test_confirm_is_the_trainers(gym):
    booking = _book(gym)
    with pytest.raises(NotAllowed):
        services.booking_confirm(actor=gym.member, booking=booking, now=NOW)
    with pytest.raises(NotFound):
        services.booking_confirm(actor=TrainerFactory().user, booking=booking, now=NOW)
    services.booking_confirm(actor=gym.trainer.user, booking=booking, now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.confirmed_at == NOW


def test_cancel_early_is_not_late_and_inside_24_hours_is(gym):
    early = _book(gym, starts_at=at(2, 10))
    services.booking_cancel(actor=gym.member, booking=early, reason="Ill", now=NOW)
    early.refresh_from_db()
    assert early.status == BookingStatus.CANCELLED and not early.late_cancellation
    assert early.cancelled_by == gym.member and early.cancelled_at == NOW and early.cancellation_reason == "Ill"
    late = _book(gym, starts_at=at(1, 7 + 0) + dt.timedelta(hours=2))  # tomorrow 09:00, 25 h ahead
    services.booking_cancel(actor=gym.trainer.user, booking=late, now=NOW + dt.timedelta(hours=2))
    late.refresh_from_db()
    assert late.late_cancellation and late.cancelled_by == gym.trainer.user
    # The time is free again.
    assert _book(gym, starts_at=at(2, 10))


def test_cancel_respects_the_setting(gym, settings):
    settings.BOOKING_LATE_CANCEL_HOURS = 48
    booking = _book(gym, starts_at=at(1, 10))
    services.booking_cancel(actor=gym.member, booking=booking, now=NOW)
    booking.refresh_from_db()
    assert booking.late_cancellation


def test_a_cancelled_booking_cannot_be_cancelled_again(gym):
    booking = _book(gym)
    services.booking_cancel(actor=gym.member, booking=booking, now=NOW)
    _refused("status", lambda: services.booking_cancel(actor=gym.member, booking=booking, now=NOW))


def test_no_show_after_the_start_by_the_trainer(gym):
    booking = _book(gym)
    _refused("status", lambda: services.booking_mark_no_show(actor=gym.trainer.user, booking=booking, now=NOW))
    with pytest.raises(NotAllowed):
        services.booking_mark_no_show(actor=gym.member, booking=booking, now=at(1, 10, 5))
    services.booking_mark_no_show(actor=gym.trainer.user, booking=booking, now=at(1, 10, 5))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


def test_reschedule_checks_like_create_and_a_members_move_needs_confirming_again(
    gym, django_capture_on_commit_callbacks
):
    booking = _book(gym)
    services.booking_confirm(actor=gym.trainer.user, booking=booking, now=NOW)
    _book(gym, starts_at=at(1, 14))
    assert "already" in _refused(
        "starts_at",
        lambda: services.booking_reschedule(actor=gym.member, booking=booking, starts_at=at(1, 14), now=NOW),
    )
    assert "does not work" in _refused(
        "starts_at",
        lambda: services.booking_reschedule(actor=gym.member, booking=booking, starts_at=at(1, 18), now=NOW),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_reschedule(
            actor=gym.member, booking=booking, starts_at=at(1, 15), duration_minutes=90, now=NOW
        )
    booking.refresh_from_db()
    assert booking.starts_at == at(1, 15) and booking.duration_minutes == 90
    assert booking.status == BookingStatus.SCHEDULED and booking.confirmed_at is None
    assert Notification.objects.filter(user=gym.trainer.user, title="Booking moved").exists()


def test_complete_is_for_the_card_service(gym):
    booking = _book(gym)
    services.booking_complete(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED


def test_reminders_are_sent_once_a_day_before_and_once_an_hour_before(gym):
    booking = BookingFactory(client=gym.client, location=gym.location, starts_at=at(1, 10), ends_at=at(1, 11))
    day_before = at(0, 10, 3)
    assert booking_reminders_send(now=day_before) == 1
    assert booking_reminders_send(now=day_before) == 0
    assert booking_reminders_send(now=day_before + dt.timedelta(minutes=5)) == 0
    assert Notification.objects.filter(type=NotificationType.REMINDER).count() == 2  # member and trainer
    hour_before = at(1, 9, 2)
    assert booking_reminders_send(now=hour_before) == 1
    assert booking_reminders_send(now=hour_before) == 0
    assert Notification.objects.filter(user=gym.member, type=NotificationType.REMINDER).count() == 2
    booking.refresh_from_db()
    assert booking.reminder_day_sent_at == day_before and booking.reminder_hour_sent_at == hour_before


def test_the_reminder_task_twice_sends_once(gym, settings):
    from coaching.tasks.bookings import send_booking_reminders

    BookingFactory(
        client=gym.client,
        location=gym.location,
        starts_at=NOW.now(dt.UTC) + dt.timedelta(minutes=30),
        ends_at=NOW.now(dt.UTC) + dt.timedelta(minutes=90),
    )
    assert send_booking_reminders.delay().get() == 1
    assert send_booking_reminders.delay().get() == 0
    assert Notification.objects.filter(user=gym.member, type=NotificationType.REMINDER).count() == 1


def test_cancelled_bookings_get_no_reminder(gym):
    BookingFactory(
        client=gym.client,
        location=gym.location,
        starts_at=at(1, 10),
        ends_at=at(1, 11),
        status=BookingStatus.CANCELLED,
        cancelled_at=NOW,
    )
    assert booking_reminders_send(now=at(1, 9, 30)) == 0


def test_one_failing_reminder_does_not_stop_the_others(gym, monkeypatch, caplog):
    first = BookingFactory(client=gym.client, location=gym.location, starts_at=at(1, 10), ends_at=at(1, 11))
    other = ClientFactory(trainer=gym.trainer)
    BookingFactory(client=other, location=gym.location, starts_at=at(1, 12), ends_at=at(1, 13))
    real = services.notify

    def flaky(**kwargs):
        if kwargs["user"] == gym.member:
            raise RuntimeError("mail template broken")
        return real(**kwargs)

    monkeypatch.setattr(services, "notify", flaky)
    assert booking_reminders_send(now=at(0, 13)) == 1
    first.refresh_from_db()
    assert first.reminder_day_sent_at is None  # rolled back: tried again on the next run
    assert "BATCH FAILURE in booking reminders" in caplog.text


def test_the_reminders_run_every_five_minutes_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["coaching-send-booking-reminders"]
    assert entry["task"] == "coaching.tasks.send_booking_reminders"
    assert entry["schedule"].minute == set(range(0, 60, 5))


def test_a_cancellation_tells_the_other_side_after_commit(gym, django_capture_on_commit_callbacks):
    booking = _book(gym)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.booking_cancel(actor=gym.member, booking=booking, reason="Ill", now=NOW)
    assert not Notification.objects.filter(title="Booking cancelled").exists()  # nothing before commit
    for callback in callbacks:
        callback()
    note = Notification.objects.get(title="Booking cancelled")
    assert note.user == gym.trainer.user and "cancelled" in note.message


def test_gym_staff_may_book_for_a_client_at_their_location_and_both_sides_are_told(
    gym, django_capture_on_commit_callbacks
):
    staff = UserFactory()
    gym.location.staff.add(staff)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(gym, actor=staff)
    assert booking.created_by == staff
    assert {n.user for n in Notification.objects.filter(title="New booking")} == {gym.member, gym.trainer.user}
