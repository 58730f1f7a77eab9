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
    location = LocationFactory(timezone=zone)
    trainer = TrainerFactory()
    trainer.locations.add(location)
    for weekday in range(7):
        OpeningHoursFactory(location=location, weekday=weekday, opens=opens, closes=closes)
        WorkingHoursFactory(trainer=trainer, location=location, weekday=weekday)
    member = UserFactory(timezone="UTC")
    client = ClientFactory(member=member, trainer=trainer)
    return Gym(location=location, trainer=trainer, client=client, member=member)
