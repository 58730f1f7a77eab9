"""Two bookings of one moment made at the same instant, each on its own database connection (issue 13, "no
double booking"): the service's checks run before either row exists, so both pass them; PostgreSQL's
exclusion constraints let exactly one insert in, and the other call raises the constraint's message as a
field error — for one trainer booked twice, and for one member booked with two trainers."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coaching.models import Booking, Client
from coaching.services.bookings import booking_create

from .bookings_kit import make_gym, soon
from .factories import ClientFactory, TrainerFactory, WorkingHoursFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls: list[Callable[[], Booking]]) -> list[Booking | ValidationError]:
    """Runs the calls in threads released together by a barrier; each thread has (and closes) its own
    connection. Returns each call's booking or its ValidationError; anything else fails the test."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Booking | ValidationError] = []
    unexpected: list[BaseException] = []

    def run(call: Callable[[], Booking]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except ValidationError as error:
            outcomes.append(error)
        except BaseException as error:  # noqa: BLE001  (reported below)
            unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert unexpected == []
    return outcomes


def _one_made_one_refused(outcomes: list[Booking | ValidationError]) -> tuple[Booking, ValidationError]:
    made = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(made), len(refused)) == (1, 1), outcomes
    return made[0], refused[0]


def test_two_members_booking_one_trainers_slot_at_once_make_one_booking():
    gym = make_gym()
    second = ClientFactory(trainer=gym.trainer)
    starts_at = soon(2, 10)
    links = (gym.client, second)

    def book(link: Client) -> Callable[[], Booking]:
        member = link.member
        assert member is not None
        return lambda: booking_create(actor=member, client=link, location=gym.location, starts_at=starts_at)

    booking, refusal = _one_made_one_refused(_race([book(link) for link in links]))
    assert refusal.message_dict == {"starts_at": ["The trainer already has a booking at this time."]}
    assert list(Booking.objects.filter(trainer=gym.trainer).values_list("pk", flat=True)) == [booking.pk]
    assert booking.client in links and booking.starts_at == starts_at


def test_two_trainers_booking_one_member_at_once_make_one_booking():
    gym = make_gym()
    other = TrainerFactory()
    other.locations.add(gym.location)
    for weekday in range(7):
        WorkingHoursFactory(trainer=other, location=gym.location, weekday=weekday)
    second_link = ClientFactory(member=gym.member, trainer=other)
    starts_at = soon(2, 11)

    def book(link: Client) -> Callable[[], Booking]:
        return lambda: booking_create(actor=link.trainer.user, client=link, location=gym.location, starts_at=starts_at)

    booking, refusal = _one_made_one_refused(_race([book(gym.client), book(second_link)]))
    assert refusal.message_dict == {"starts_at": ["This member already has a booking at this time."]}
    assert list(Booking.objects.filter(member=gym.member).values_list("pk", flat=True)) == [booking.pk]
    assert booking.trainer_id in (gym.trainer.pk, other.pk)
