"""A small gym for the bookings tests: a location open every day 06:00–22:00, a trainer working there
09:00–17:00 every day, and an active client; `NOW` is a fixed Monday so times are predictable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import User
from accounts.tests.factories import UserFactory
from coaching.models import Client, Location, Trainer

from .factories import ClientFactory, LocationFactory, OpeningHoursFactory, TrainerFactory, WorkingHoursFactory

# Monday 2030-01-07 08:00 UTC.
NOW = dt.datetime(2030, 1, 7, 8, 0, tzinfo=dt.UTC)


def at(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    """A UTC time `day_offset` days after NOW's date."""
    return dt.datetime.combine(NOW.date() + dt.timedelta(days=day_offset), dt.time(hour, minute), tzinfo=dt.UTC)


@dataclass
class Gym:
    location: Location
    trainer: Trainer
    client: Client
    member: User


def make_gym(*, zone: str = "UTC", opens: dt.time = dt.time(6), closes: dt.time = dt.time(22)) -> Gym:
    location = LocationFactory.create(timezone=zone)
    trainer = TrainerFactory.create()
    trainer.locations.add(location)
    for weekday in range(7):
        OpeningHoursFactory.create(location=location, weekday=weekday, opens=opens, closes=closes)
        WorkingHoursFactory.create(trainer=trainer, location=location, weekday=weekday)
    member = UserFactory.create(timezone="UTC")
    client = ClientFactory.create(member=member, trainer=trainer)
    return Gym(location=location, trainer=trainer, client=client, member=member)


def soon(days: int, hour: int, minute: int = 0) -> dt.datetime:
    """A UTC time `days` days after the real today (for pages and the API, which use the clock)."""
    from django.utils import timezone

    today = timezone.now().astimezone(dt.UTC).date()
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, minute), tzinfo=dt.UTC)


@dataclass
class People:
    """Everyone who may come asking about the gym's bookings."""

    gym: Gym
    other_member: User
    other_trainer: Trainer
    staff: User
    staff_elsewhere: User
    superuser: User

    def as_dict(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "other_member": self.other_member,
            "client": self.gym.member,
            "own_trainer": self.gym.trainer.user,
            "other_trainer": self.other_trainer.user,
            "staff": self.staff,
            "staff_elsewhere": self.staff_elsewhere,
            "superuser": self.superuser,
        }


def make_people(gym: Gym) -> People:
    staff, elsewhere = UserFactory.create(), UserFactory.create()
    gym.location.staff.add(staff)
    LocationFactory.create().staff.add(elsewhere)
    return People(
        gym=gym,
        other_member=UserFactory.create(),
        other_trainer=TrainerFactory.create(),
        staff=staff,
        staff_elsewhere=elsewhere,
        superuser=UserFactory.create(is_superuser=True, is_staff=True),
    )


def check_access(client, people: People, request, expected: dict[str, int]) -> None:
    """The same request as each persona; every status is checked at once."""
    assert set(expected) == set(people.as_dict()), "name every persona"
    failures = []
    for name, user in people.as_dict().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = request(client)
        if response.status_code != expected[name]:
            failures.append(f"{name}: expected {expected[name]}, got {response.status_code}")
    client.logout()
    assert not failures, "access matrix broken:\n  " + "\n  ".join(failures)
