"""Reads of trainers and their clients: the directory, a member's links, a trainer's clients, and the
scoping resolver that tells fitjourney.hooks.scoping whom a trainer may see.

Another person's link is NotFound (404), never NotAllowed: nobody learns which links exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, F, Func, IntegerField, Prefetch, Q, QuerySet, Value, When

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import Client, ClientStatus, Grant, Location, Trainer
from ..models.gym import OPEN_CLIENT_STATUSES

GRANT_NAMES: tuple[str, ...] = (*Grant.values, "write")
# How a member's links are listed: invitations to answer first, ended ones last.
STATUS_ORDER = (ClientStatus.INVITED, ClientStatus.ACTIVE, ClientStatus.PAUSED, ClientStatus.ENDED)


def trainer_clients_people(trainer_user: Any, area: str | None = None) -> QuerySet[Client, Any]:
    """The scoping resolver: ids of the members whose ACTIVE link to this trainer grants `area` (any active
    link when None). A subquery on the (trainer, status) index; paused, invited and ended links see nothing."""
    links = Client.objects.filter(trainer__user=trainer_user, status=ClientStatus.ACTIVE)
    if area is not None:
        links = links.filter(**{f"grant_{area}": True})
    return links.values("member_id")


def client_grants(client: Client) -> dict[str, bool]:
    """The link's grants by name, as forms and the API show them."""
    return {name: bool(getattr(client, f"grant_{name}")) for name in GRANT_NAMES}


# ---------------------------------------------------------------------------------------------------
# The directory


@dataclass(frozen=True)
class DirectoryFilters:
    speciality: str = ""
    language: str = ""
    location: Any = None  # a Location id


def trainers_directory(*, filters: DirectoryFilters | None = None) -> QuerySet[Trainer]:
    """Trainers taking clients, best rated first. One query for the page plus one for their locations,
    however many trainers: the user by select_related, the locations by a prefetch of active ones."""
    filters = filters or DirectoryFilters()
    trainers = (
        Trainer.objects.filter(accepting_clients=True, user__is_active=True, user__deleted_at__isnull=True)
        .select_related("user")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.filter(is_active=True).only("id", "name")))
        .order_by("-rating_average", "-rating_count", "user__first_name", "id")
    )
    if filters.speciality:
        trainers = trainers.filter(specialities__icontains=filters.speciality)
    if filters.language:
        trainers = trainers.filter(languages__icontains=filters.language)
    if filters.location:
        trainers = trainers.filter(locations=filters.location)
    return trainers


def trainer_get_public(*, trainer_id: Any) -> Trainer:
    """A trainer's public page: any trainer whose account is usable (a trainer who stopped taking clients
    still has a page, for their clients)."""
    try:
        return (
            Trainer.objects.filter(user__is_active=True, user__deleted_at__isnull=True)
            .select_related("user")
            .prefetch_related(Prefetch("locations", queryset=Location.objects.filter(is_active=True)))
            .get(pk=trainer_id)
        )
    except (Trainer.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound("No such trainer.") from error


def directory_choices() -> dict[str, list[str]]:
    """The filter menus: the specialities and languages in use (2 queries; the database unnests and
    de-duplicates, so only the distinct words travel)."""

    def distinct(field: str) -> list[str]:
        words = (
            Trainer.objects.filter(accepting_clients=True)
            .annotate(word=Func(F(field), function="unnest", output_field=CharField()))
            .order_by()
            .values_list("word", flat=True)
            .distinct()
        )
        return sorted(words, key=str.casefold)

    return {"specialities": distinct("specialities"), "languages": distinct("languages")}


def trainer_profile_of(user: Any) -> Trainer | None:
    return Trainer.objects.filter(user=user).first()


# ---------------------------------------------------------------------------------------------------
# Links


def _links() -> QuerySet[Client]:
    # Every list of links shows both people: one join, no query per row.
    return Client.objects.select_related("member", "trainer", "trainer__user")


def links_for_member(*, member: User, include_ended: bool = False) -> QuerySet[Client]:
    """The member's trainers: standing links first (invitations to answer on top), then ended ones."""
    links = _links().filter(member=member)
    if not include_ended:
        links = links.filter(status__in=OPEN_CLIENT_STATUSES)
    rank = Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return links.order_by(rank, "-created_at")


def link_get_for_member(*, member: User, link_id: Any) -> Client:
    try:
        return _links().get(member=member, pk=link_id)
    except (Client.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound("No such trainer link.") from error


def link_get_for_party(*, user: User, link_id: Any) -> Client:
    """A link as seen by either of its two people (member or trainer); anybody else's is NotFound."""
    try:
        return _links().get(Q(member=user) | Q(trainer__user=user), pk=link_id)
    except (Client.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound("No such trainer link.") from error


def clients_for_trainer(*, trainer_user: User, status: str | None = None) -> QuerySet[Client]:
    """A trainer's clients (every status unless one is asked for); nobody else's."""
    links = _links().filter(trainer__user=trainer_user)
    if status:
        links = links.filter(status=status)
    return links.order_by("status", "member__first_name", "member__last_name", "id")


def client_get_for_trainer(*, trainer_user: User, client_id: Any) -> Client:
    """One of the trainer's clients; another trainer's client is NotFound (404)."""
    try:
        return clients_for_trainer(trainer_user=trainer_user).get(pk=client_id)
    except (Client.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound("No such client.") from error


def active_clients_count(*, trainer: Trainer) -> int:
    return Client.objects.filter(trainer=trainer, status=ClientStatus.ACTIVE).count()
