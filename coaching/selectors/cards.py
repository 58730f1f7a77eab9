"""Reads of session cards for the client who received them (the trainer reads them in the admin)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from fitjourney.errors import NotFound
from training.models import SessionExercise, Set

from ..models import SessionCard


def cards_for_member(*, user: User) -> QuerySet[SessionCard]:
    """The person's cards, newest first, with their trainers (one query a page)."""
    return (
        SessionCard.objects.filter(client__member=user).select_related("trainer__user").order_by("-date", "-created_at")
    )


def card_detail_for_member(*, user: User, card_id: Any) -> SessionCard:
    """One of the person's cards with its trainer, booking and the logged workout's exercises and sets:
    three queries whatever the workout's size (the card with its joins, the exercises, their sets)."""
    sets = Prefetch("sets", queryset=Set.objects.order_by("number"))
    exercises = Prefetch(
        "session__exercises",
        queryset=SessionExercise.objects.select_related("exercise").prefetch_related(sets).order_by("order"),
    )
    card = (
        SessionCard.objects.filter(pk=card_id, client__member=user)
        .select_related("trainer__user", "booking__location", "session__activity_type")
        .prefetch_related(exercises)
        .first()
    )
    if card is None:
        raise NotFound("No such session card.")
    return card


__all__ = ["card_detail_for_member", "cards_for_member"]
