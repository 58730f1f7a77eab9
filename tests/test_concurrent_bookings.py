"""Two people asking for the same slot at the same moment (issue 13, "Done when"): the trainer's exclusion
constraint lets exactly one booking in, and the other request gets a clear 400, not a 500 or a second row."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services as account_services
from coaching.models import Booking
from coaching.tests.bookings_kit import make_gym, soon
from coaching.tests.factories import ClientFactory

PARALLEL = 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_one_slot_make_exactly_one_booking():
    gym = make_gym()
    links = [gym.client, ClientFactory(trainer=gym.trainer)]
    tokens = [account_services.api_token_create(user=link.member, name="race").raw for link in links]
    starts_at = soon(2, 10).isoformat()
    barrier = threading.Barrier(PARALLEL)
    answers: dict[int, tuple[int, dict]] = {}
    errors: list[BaseException] = []

    def book(n: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[n]}")
        payload = {"client": str(links[n].pk), "location": str(gym.location.pk), "starts_at": starts_at}
        try:
            barrier.wait()
            response = client.post("/api/v1/bookings/", payload, format="json")
            answers[n] = (response.status_code, response.json())
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [201, 400], answers
    refusal = next(body for status, body in answers.values() if status == 400)
    assert refusal["error"]["fields"]["starts_at"] == ["The trainer already has a booking at this time."]
    assert Booking.objects.filter(trainer=gym.trainer).count() == 1
