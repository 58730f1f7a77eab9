"""A member's erasure and the gym (issue 13, item 8): the link ends at once and is anonymised, upcoming
bookings are cancelled, cards keep their ratings and totals, so the trainer's statistics stay true — also
after the purge deletes the account; the member's gym data is in their export before."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.services.privacy import ERASURE_GRACE_DAYS, account_erase, accounts_purge_erased
from accounts.tests.factories import PASSWORD
from coaching.models import Booking, BookingStatus, Client, ClientStatus, SessionCard, Trainer
from coaching.services import cards as card_services
from coaching.services.trainer_stats import trainers_active_clients_refresh
from fitjourney.hooks import personal_data as pd

from .factories import BookingFactory, ClientFactory, SessionCardFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_erasure_anonymises_the_members_side_and_keeps_the_trainers_statistics():
    link = ClientFactory(medical_notes="Asthma", injuries=["Left knee"], emergency_contact_name="Ana")
    other = ClientFactory(trainer=link.trainer)
    past = timezone.now() - dt.timedelta(days=3)
    done = BookingFactory(client=link, starts_at=past, ends_at=past + dt.timedelta(hours=1), status="completed")
    upcoming = BookingFactory(client=link)
    rated = SessionCardFactory(client=link, trainer=link.trainer, booking=done, client_rating=5, client_comment="Hi")
    SessionCardFactory(client=other, trainer=link.trainer, client_rating=4)
    card_services.trainer_rating_refresh(trainer_id=link.trainer_id)
    trainers_active_clients_refresh([link.trainer_id])
    before = Trainer.objects.get(pk=link.trainer_id)
    assert (before.rating_average, before.rating_count, before.active_clients) == (Decimal("4.50"), 2, 2)
    member = link.member

    account_erase(user=member, password=PASSWORD)

    erased = Client.objects.get(pk=link.pk)
    assert erased.member_id is None and erased.status == ClientStatus.ENDED and erased.ended_at is not None
    assert (erased.medical_notes, erased.injuries, erased.emergency_contact_name) == ("", [], "")
    assert Booking.objects.get(pk=upcoming.pk).status == BookingStatus.CANCELLED
    assert not Booking.objects.filter(member=member).exists()
    card = SessionCard.objects.get(pk=rated.pk)
    assert (card.client_rating, card.client_comment) == (5, "")
    trainer = Trainer.objects.get(pk=link.trainer_id)
    assert trainer.active_clients == 1  # after the commit: only the other client is still active
    card_services.trainer_rating_refresh(trainer_id=link.trainer_id)
    assert (trainer.rating_average, trainer.rating_count) == (Decimal("4.50"), 2)

    assert accounts_purge_erased(now=timezone.now() + timedelta(days=ERASURE_GRACE_DAYS, minutes=1)) == 1
    assert SessionCard.objects.filter(pk=rated.pk).exists() and Booking.objects.filter(pk=done.pk).exists()
    card_services.trainer_rating_refresh(trainer_id=link.trainer_id)
    after = Trainer.objects.get(pk=link.trainer_id)
    assert (after.rating_average, after.rating_count) == (Decimal("4.50"), 2)


def test_the_gym_models_are_registered_with_the_member_as_owner():
    owners = {entry.model.__name__: entry.owner for entry in pd.registered()}
    assert owners["Client"] == "member" and owners["Booking"] == "member"
    assert owners["SessionCard"] == "client__member" and owners["Trainer"] == "user"
