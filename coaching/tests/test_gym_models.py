"""The gym's rules in the database (issue 13): each seed 004 CHECK/UNIQUE rule and the no-double-booking
exclusion constraints refuse a bad row even when a service is bypassed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import UserFactory
from coaching.models import Booking, BookingStatus, Client, ClientStatus, SessionCard
from coaching.tests.factories import (
    BookingFactory,
    ClientFactory,
    LocationFactory,
    OpeningHoursFactory,
    SessionCardFactory,
    TrainerFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db

TOMORROW_10 = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_trainers_rating_lies_between_0_and_5():
    trainer = TrainerFactory()
    trainer.rating_average = Decimal("5.01")
    _refused(lambda: trainer.save(update_fields=["rating_average"]))
    trainer.rating_average = Decimal("4.50")
    trainer.save(update_fields=["rating_average"])


def test_one_open_link_per_member_and_trainer_and_valid_values():
    client = ClientFactory()
    _refused(lambda: ClientFactory(member=client.member, trainer=client.trainer, status=ClientStatus.INVITED))
    Client.objects.filter(pk=client.pk).update(status=ClientStatus.ENDED, ended_at=TOMORROW_10)
    ClientFactory(member=client.member, trainer=client.trainer)  # a new link once the old one ended
    _refused(lambda: ClientFactory(status="suspended"))
    _refused(lambda: ClientFactory(level="expert"))
    _refused(lambda: ClientFactory(membership_start=dt.date(2026, 5, 1), membership_end=dt.date(2026, 4, 1)))
    _refused(lambda: ClientFactory(status=ClientStatus.ACTIVE, ended_at=TOMORROW_10))


def test_bookings_last_more_than_zero_minutes_and_know_their_duration():
    _refused(lambda: BookingFactory(starts_at=TOMORROW_10, ends_at=TOMORROW_10))
    _refused(lambda: BookingFactory(starts_at=TOMORROW_10, ends_at=TOMORROW_10 + dt.timedelta(hours=9)))
    _refused(lambda: BookingFactory(status="pending"))
    booking = BookingFactory(starts_at=TOMORROW_10, ends_at=TOMORROW_10 + dt.timedelta(minutes=45))
    booking.refresh_from_db()
    assert booking.duration_minutes == 45


def test_a_trainer_cannot_be_booked_twice_at_once_but_back_to_back_and_after_a_cancellation_is_fine():
    first = BookingFactory(starts_at=TOMORROW_10, ends_at=TOMORROW_10 + dt.timedelta(hours=1))
    other_client = ClientFactory(trainer=first.trainer)
    half_past = TOMORROW_10 + dt.timedelta(minutes=30)
    _refused(
        lambda: BookingFactory(client=other_client, starts_at=half_past, ends_at=half_past + dt.timedelta(hours=1))
    )
    eleven = TOMORROW_10 + dt.timedelta(hours=1)
    BookingFactory(client=other_client, starts_at=eleven, ends_at=eleven + dt.timedelta(hours=1))  # touching
    Booking.objects.filter(pk=first.pk).update(status=BookingStatus.CANCELLED, cancelled_at=TOMORROW_10)
    BookingFactory(client=other_client, starts_at=half_past, ends_at=eleven - dt.timedelta(minutes=1))


def test_a_member_cannot_be_in_two_bookings_at_once_even_with_two_trainers():
    member = UserFactory()
    first = BookingFactory(client=ClientFactory(member=member), starts_at=TOMORROW_10)
    second_link = ClientFactory(member=member)
    assert second_link.trainer != first.trainer
    _refused(lambda: BookingFactory(client=second_link, starts_at=TOMORROW_10 + dt.timedelta(minutes=15)))


def test_opening_and_working_hours_are_ordered_and_do_not_overlap():
    location = LocationFactory()
    OpeningHoursFactory(location=location, weekday=0, opens=dt.time(6), closes=dt.time(12))
    OpeningHoursFactory(location=location, weekday=0, opens=dt.time(12), closes=dt.time(22))  # touching
    _refused(lambda: OpeningHoursFactory(location=location, weekday=0, opens=dt.time(11), closes=dt.time(13)))
    _refused(lambda: OpeningHoursFactory(location=location, weekday=1, opens=dt.time(12), closes=dt.time(8)))
    _refused(lambda: OpeningHoursFactory(location=location, weekday=7))
    hours = WorkingHoursFactory(weekday=2, starts=dt.time(9), ends=dt.time(12))
    _refused(
        lambda: WorkingHoursFactory(
            trainer=hours.trainer, location=LocationFactory(), weekday=2, starts=dt.time(11), ends=dt.time(14)
        )
    )
    WorkingHoursFactory(trainer=hours.trainer, weekday=3, starts=dt.time(11), ends=dt.time(14))


def test_one_card_per_booking_and_ratings_from_1_to_5():
    booking = BookingFactory()
    SessionCardFactory(booking=booking, client=booking.client)
    _refused(lambda: SessionCardFactory(booking=booking, client=booking.client))
    _refused(lambda: SessionCardFactory(client_rating=6))
    _refused(lambda: SessionCardFactory(effort_rating=0))
    _refused(lambda: SessionCardFactory(duration_minutes=0))
    SessionCardFactory(client_rating=5, effort_rating=1)  # an ad hoc card, no booking
    assert SessionCard.objects.filter(booking__isnull=True).count() == 1
