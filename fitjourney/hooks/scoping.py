"""Which people a staff member may see. Used by the admin base class and any staff-facing view.

- Superusers and gym staff see everyone.
- Trainers see themselves and the people they coach. Who a trainer coaches is known by the coaching
  app, which registers a resolver here (accounts never imports it).
- Anyone else sees no one but themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from . import roles

PeopleResolver = Callable[[object], QuerySet]
_trainer_clients: list[PeopleResolver] = []


def register_trainer_clients_resolver(resolver: PeopleResolver) -> None:
    """`resolver(trainer_user)` returns a queryset of the ids (`.values("pk")`) of the people the trainer coaches."""
    _trainer_clients.append(resolver)


def sees_everyone(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name=roles.GYM_STAFF).exists()))


def is_trainer(user) -> bool:
    return user.groups.filter(name=roles.TRAINER).exists()


def visible_people_filter(user, field: str) -> Q | None:
    """A filter on `field` (a path to a User) limiting rows to the people `user` may see,
    or None when `user` sees everyone. One query: each resolver contributes a subquery."""
    if sees_everyone(user):
        return None
    condition = Q(**{field: user.pk})
    if is_trainer(user):
        for resolver in _trainer_clients:
            condition |= Q(**{f"{field}__in": resolver(user)})
    return condition
