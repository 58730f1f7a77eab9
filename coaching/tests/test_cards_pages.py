"""The client's session-card pages: access for every persona, the workout shown in the person's units, the
rating form, and a query count that does not grow with the workout or the number of cards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import SessionCard, Trainer
from coaching.services import cards as services
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.models import ActivityType, Exercise

from .factories import BookingFactory, ClientFactory, SessionCardFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def _card_with_workout(link, exercises=3, sets=4):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    booking = BookingFactory(client=link, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    lifts = list(Exercise.objects.filter(owner__isnull=True).order_by("name")[:exercises])
    workout = {
        "activity_type": ActivityType.objects.get(slug="weight-training"),
        "exercises": [
            {"exercise": lift, "sets": [{"reps": 5, "weight_kg": Decimal("100")} for _ in range(sets)]}
            for lift in lifts
        ],
    }
    return services.session_card_write(
        user=link.trainer.user,
        client=link,
        booking=booking,
        workout=workout,
        title="Heavy day",
        duration_minutes=60,
        feedback="Strong pulls.",
        next_session_goals=["Pause squats"],
    )


def test_access_to_the_cards_pages(client, personas):
    trainer = Trainer.objects.create(user=personas.trainer)  # the persona trainer is the owner's trainer
    link = ClientFactory(member=personas.owner, trainer=trainer, grant_write=True)
    card = _card_with_workout(link)
    assert_access(
        client,
        personas,
        lambda c: c.get(reverse("coaching:cards")),
        {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(reverse("coaching:card", args=[card.pk])),
        # The trainer reads cards in the admin; the member's page is the member's alone.
        {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(
        client,
        personas,
        lambda c: c.post(reverse("coaching:card", args=[card.pk]), {"rating": 1}),
        {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert SessionCard.objects.get(pk=card.pk).client_rating == 1  # only the owner's post counted


def test_the_card_shows_the_workout_in_pounds_and_takes_a_rating(client):
    link = ClientFactory(member__unit_system="imperial", grant_write=True)
    card = _card_with_workout(link)
    client.force_login(link.member)
    page = client.get(reverse("coaching:card", args=[card.pk])).content.decode()
    assert "Strong pulls." in page and "Pause squats" in page
    assert "5 reps @ 220.5 lb" in page and "100 kg" not in page
    assert page.count("<li>5 reps") == 12
    response = client.post(reverse("coaching:card", args=[card.pk]), {"rating": 7})
    assert response.status_code == 400 and SessionCard.objects.get(pk=card.pk).client_rating is None
    response = client.post(reverse("coaching:card", args=[card.pk]), {"rating": 5, "comment": "Great cues"})
    assert response.status_code == 302
    assert SessionCard.objects.get(pk=card.pk).client_comment == "Great cues"
    listing = client.get(reverse("coaching:cards")).content.decode()
    assert "Heavy day" in listing and "you rated 5/5" in listing


def test_query_counts_do_not_grow_with_the_workout_or_the_cards(client):
    small = ClientFactory(grant_write=True)
    big = ClientFactory(grant_write=True)
    small_card = _card_with_workout(small, exercises=1, sets=1)
    big_card = _card_with_workout(big, exercises=8, sets=4)
    for n in range(25):
        SessionCardFactory(client=big, trainer=big.trainer, date=timezone.localdate() - dt.timedelta(days=n + 1))
    counts = []
    for link, card in ((small, small_card), (big, big_card)):
        client.force_login(link.member)
        client.get(reverse("coaching:cards"))
        with assert_max_queries(6) as detail:  # session, user, the card, its exercises, their sets (+ messages)
            client.get(reverse("coaching:card", args=[card.pk]))
        with assert_max_queries(5) as listing:  # session, user, the count and the page of cards
            client.get(reverse("coaching:cards"))
        counts.append((len(detail), len(listing)))
    assert counts[0] == counts[1]


def test_another_trainers_client_cannot_rate_and_a_stranger_sees_nothing(client):
    card = SessionCardFactory()
    stranger = ClientFactory(trainer=TrainerFactory())
    client.force_login(stranger.member)
    assert client.get(reverse("coaching:card", args=[card.pk])).status_code == 404
    assert "No session cards yet" in client.get(reverse("coaching:cards")).content.decode()
