"""Which people a staff member may see. Used by the admin base class and any staff-facing view.

- Superusers and gym staff see everyone.
- Trainers see themselves and the people they coach. Who a trainer coaches is known by the coaching
  app, which registers a resolver here (accounts never imports it).
- Anyone else sees no one but themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from . import roles

PeopleResolver = Callable[[object], QuerySet]
_trainer_clients: list[PeopleResolver] = []


def register_trainer_clients_resolver(resolver: PeopleResolver) -> None:
    """`resolver(trainer_user)` returns a queryset of the ids of the people that trainer coaches."""
    _trainer_clients.append(resolver)


def sees_everyone(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name=roles.GYM_STAFF).exists()))


def is_trainer(user) -> bool:
    return user.groups.filter(name=roles.TRAINER).exists()


def visible_people_filter(user, field: str) -> dict | None:
    """A filter keyword for `field` (a path to a User) limiting rows to the people `user` may see,
    or None when `user` sees everyone."""
    if sees_everyone(user):
        return None
    from .models import User

    people = User.all_objects.filter(pk=user.pk).values("pk")
    if is_trainer(user):
        for resolver in _trainer_clients:
            people = people.union(resolver(user))
    ids = [row["pk"] for row in people]
    return {f"{field}__in": ids}
