"""A trainer's cached counts (seed 004 trigger 5: total clients). A trainer's row is shared by all their
clients, so it is never written inside a client's transaction: each refresh is one statement run after
the commit that changed the links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Client, ClientStatus, Trainer


def trainers_active_clients_refresh(trainer_ids: Iterable[Any]) -> int:
    """Each trainer's active links, counted in one UPDATE; returns how many trainers were updated."""
    ids = list(trainer_ids)
    if not ids:
        return 0
    active = (
        Client.objects.filter(trainer_id=OuterRef("pk"), status=ClientStatus.ACTIVE)
        .order_by()
        .values("trainer_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Trainer.objects.filter(pk__in=ids).update(
        active_clients=Coalesce(Subquery(active[:1]), 0), updated_at=timezone.now()
    )


def trainers_active_clients_refresh_later(trainer_ids: Iterable[Any]) -> None:
    ids = list(trainer_ids)
    if ids:
        transaction.on_commit(lambda: trainers_active_clients_refresh(ids))


__all__ = ["trainers_active_clients_refresh", "trainers_active_clients_refresh_later"]
