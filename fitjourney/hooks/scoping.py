"""Which people a staff member may see. Used by the admin base class and any staff-facing view.

- Superusers and gym staff see everyone.
- Trainers see themselves and the people they coach — for a kind of data (an `area`: "training", "body",
  "nutrition", "habits", "checkins", "journal") only the people who granted it, and only while the link
  is active. Who a trainer coaches is known by the coaching app, which registers a resolver here (accounts
  never imports it, and this package imports no app).
- Anyone else sees no one but themselves.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from django.db.models import Q, QuerySet

from . import roles

# resolver(trainer_user, area=None) -> QuerySet of `.values("pk")` of the people the trainer coaches:
# with an area, those whose active link grants it; without, those with any active link.
PeopleResolver = Callable[..., QuerySet]
_trainer_clients: list[PeopleResolver] = []

AREAS = ("training", "body", "nutrition", "habits", "checkins", "journal")


def register_trainer_clients_resolver(resolver: PeopleResolver) -> None:
    """Registers `resolver(trainer_user, area=None)`, returning the ids (`.values("pk")`) of the people the
    trainer coaches (who granted `area`, when given). A resolver taking only the user is still accepted
    (it is asked without an area, and never for one: nobody is visible to it for an area)."""
    if resolver not in _trainer_clients:
        _trainer_clients.append(resolver)


def _takes_area(resolver: PeopleResolver) -> bool:
    try:
        return "area" in inspect.signature(resolver).parameters
    except (TypeError, ValueError):
        return False


def sees_everyone(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.groups.filter(name=roles.GYM_STAFF).exists()))


def is_trainer(user) -> bool:
    return user.groups.filter(name=roles.TRAINER).exists()


def visible_people_filter(user, field: str, area: str | None = None) -> Q | None:
    """A filter on `field` (a path to a User) limiting rows to the people `user` may see (for the kind of
    data `area`, when given), or None when `user` sees everyone. One query: each resolver contributes a
    subquery."""
    if area is not None and area not in AREAS:
        raise ValueError(f"Unknown area {area!r}; expected one of {AREAS}.")
    if sees_everyone(user):
        return None
    condition = Q(**{field: user.pk})
    if is_trainer(user):
        for resolver in _trainer_clients:
            if _takes_area(resolver):
                condition |= Q(**{f"{field}__in": resolver(user, area=area)})
            elif area is None:
                condition |= Q(**{f"{field}__in": resolver(user)})
    return condition
