"""Who sees what of the gym (issue 13, item 4): the rows of the gym's own records — locations, trainers,
client links, bookings, session cards, working hours — that a trainer, gym staff or a superuser may see
in the admin and on the staff side of the API.

- A superuser sees everything.
- Gym staff see their locations, the trainers working at them, those trainers' client links, the
  bookings at their locations and the cards of those bookings' trainers. Staff of another location see
  none of it ("doesn't exist").
- A trainer sees their own profile, their own links (every status), bookings, cards, hours and time off,
  and the locations they work at.
- Anybody else: nothing.

A client's personal data (sessions, body metrics, …) is not scoped here but by `accounts.scoping` and
the member's grants; the client timeline is the trainer's own (with the grants), never gym staff's (a
superuser may open it in the admin, as they may open any row there).

Each function returns a queryset with no duplicates (the location arms are `pk__in` subqueries, not
joins over the many-to-many) and costs no query until it is evaluated.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ..models import Booking, Client, Location, SessionCard, TimeOff, Trainer, WorkingHours


def _staff_locations(user: Any) -> QuerySet[Location, Any]:
    return Location.objects.filter(staff=user).values("pk")


def _staff_trainer_ids(user: Any) -> QuerySet[Any, Any]:
    return Trainer.locations.through.objects.filter(location__staff=user).values("trainer_id")


def locations_in_scope(user: Any) -> QuerySet[Location]:
    if user.is_superuser:
        return Location.objects.all()
    return Location.objects.filter(
        Q(pk__in=_staff_locations(user))
        | Q(pk__in=Trainer.locations.through.objects.filter(trainer__user=user).values("location_id"))
    )


def trainers_in_scope(user: Any) -> QuerySet[Trainer]:
    if user.is_superuser:
        return Trainer.objects.all()
    return Trainer.objects.filter(Q(user=user) | Q(pk__in=_staff_trainer_ids(user)))


def clients_in_scope(user: Any) -> QuerySet[Client]:
    if user.is_superuser:
        return Client.objects.all()
    return Client.objects.filter(Q(trainer__user=user) | Q(trainer__in=_staff_trainer_ids(user)))


def bookings_in_scope(user: Any) -> QuerySet[Booking]:
    """The staff side only (a member's own bookings are coaching.selectors.bookings.bookings_visible_to)."""
    if user.is_superuser:
        return Booking.objects.all()
    return Booking.objects.filter(Q(trainer__user=user) | Q(location__in=_staff_locations(user)))


def cards_in_scope(user: Any) -> QuerySet[SessionCard]:
    if user.is_superuser:
        return SessionCard.objects.all()
    return SessionCard.objects.filter(Q(trainer__user=user) | Q(trainer__in=_staff_trainer_ids(user)))


def working_hours_in_scope(user: Any) -> QuerySet[WorkingHours]:
    if user.is_superuser:
        return WorkingHours.objects.all()
    return WorkingHours.objects.filter(Q(trainer__user=user) | Q(location__in=_staff_locations(user)))


def time_off_in_scope(user: Any) -> QuerySet[TimeOff]:
    if user.is_superuser:
        return TimeOff.objects.all()
    return TimeOff.objects.filter(Q(trainer__user=user) | Q(trainer__in=_staff_trainer_ids(user)))


def may_see_trainer(user: Any, trainer: Trainer) -> bool:
    return trainers_in_scope(user).filter(pk=trainer.pk).exists()


__all__ = [
    "bookings_in_scope",
    "cards_in_scope",
    "clients_in_scope",
    "locations_in_scope",
    "may_see_trainer",
    "time_off_in_scope",
    "trainers_in_scope",
    "working_hours_in_scope",
]
