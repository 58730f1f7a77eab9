from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from coaching.models import BookingStatus, TimeOff, WorkingHours
from coaching.selectors.bookings import slots_for
from coaching.services import availability as services
from fitjourney.errors import NotFound

from .bookings_kit import NOW, at, make_gym
from .factories import (
    BookingFactory,
    ClientFactory,
    LocationFactory,
    OpeningHoursFactory,
    TrainerFactory,
    WorkingHoursFactory,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def gym():
    return make_gym()


# --- Working hours and time off ----------------------------------------------------------------------


def test_the_trainer_adds_changes_and_deletes_their_hours():
    trainer = TrainerFactory()
    location = LocationFactory()
    trainer.locations.add(location)
    hours = services.working_hours_add(
        actor=trainer.user, trainer=trainer, location=location, weekday=2, starts=dt.time(8), ends=dt.time(12)
    )
    services.working_hours_update(actor=trainer.user, hours=hours, ends=dt.time(13))
    hours.refresh_from_db()
    assert hours.ends == dt.time(13)
    services.working_hours_delete(actor=trainer.user, hours=hours)
    assert not WorkingHours.objects.exists()


def test_gym_staff_of_the_location_may_set_hours_and_others_may_not():
    trainer = TrainerFactory()
    location = LocationFactory()
    trainer.locations.add(location)
    staff = UserFactory()
    location.staff.add(staff)
    assert services.working_hours_add(
        actor=staff, trainer=trainer, location=location, weekday=1, starts=dt.time(8), ends=dt.time(9)
    )
    for stranger in (UserFactory(), TrainerFactory().user, _staff_elsewhere()):
        with pytest.raises(NotFound):
            services.working_hours_add(
                actor=stranger, trainer=trainer, location=location, weekday=3, starts=dt.time(8), ends=dt.time(9)
            )
    assert WorkingHours.objects.count() == 1


def _staff_elsewhere():
    user = UserFactory()
    LocationFactory().staff.add(user)
    return user


def test_hours_are_refused_at_a_location_the_trainer_does_not_work_at_or_ending_before_they_start():
    trainer = TrainerFactory()
    location = LocationFactory()
    with pytest.raises(ValidationError) as error:
        services.working_hours_add(
            actor=trainer.user, trainer=trainer, location=location, weekday=0, starts=dt.time(8), ends=dt.time(9)
        )
    assert "does not work" in str(error.value.message_dict["location"])
    trainer.locations.add(location)
    with pytest.raises(ValidationError) as error:
        services.working_hours_add(
            actor=trainer.user, trainer=trainer, location=location, weekday=0, starts=dt.time(9), ends=dt.time(8)
        )
    assert error.value.message_dict["ends"] == ["Working hours end after they start."]


def test_overlapping_hours_get_the_constraints_message_and_nothing_is_saved():
    trainer = TrainerFactory()
    first, second = LocationFactory(), LocationFactory()
    trainer.locations.add(first, second)
    services.working_hours_add(
        actor=trainer.user, trainer=trainer, location=first, weekday=0, starts=dt.time(8), ends=dt.time(12)
    )
    with pytest.raises(ValidationError) as error:
        services.working_hours_add(
            actor=trainer.user, trainer=trainer, location=second, weekday=0, starts=dt.time(11), ends=dt.time(14)
        )
    assert error.value.message_dict["starts"] == ["These hours overlap other working hours of the same day."]
    # Touching windows are fine.
    services.working_hours_add(
        actor=trainer.user, trainer=trainer, location=second, weekday=0, starts=dt.time(12), ends=dt.time(14)
    )
    assert WorkingHours.objects.count() == 2


def test_time_off_is_added_and_deleted_and_refused_when_backwards_or_over(gym):
    user = gym.trainer.user
    off = services.time_off_add(actor=user, trainer=gym.trainer, starts_at=at(1, 0), ends_at=at(3, 0), now=NOW)
    with pytest.raises(ValidationError) as error:
        services.time_off_add(actor=user, trainer=gym.trainer, starts_at=at(3, 0), ends_at=at(1, 0), now=NOW)
    assert "ends after" in str(error.value.message_dict["ends_at"])
    with pytest.raises(ValidationError):
        services.time_off_add(actor=user, trainer=gym.trainer, starts_at=at(-3, 0), ends_at=at(-1, 0), now=NOW)
    with pytest.raises(NotFound):
        services.time_off_delete(actor=gym.member, time_off=off)
    services.time_off_delete(actor=user, time_off=off)
    assert not TimeOff.objects.exists()


# --- Slots ---------------------------------------------------------------------------------------------


def _starts(slots, zone=UTC):
    return [s.starts_at.astimezone(zone).strftime("%m-%d %H:%M") for s in slots]


def test_slots_are_the_working_hours_inside_the_opening_hours(gym):
    gym.location.opening_hours.filter(weekday=at(1, 0).weekday()).update(opens=dt.time(10), closes=dt.time(14))
    day = at(1, 0).date()
    slots = slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day, zone=UTC, now=NOW)
    assert _starts(slots) == [
        "01-08 10:00",
        "01-08 10:30",
        "01-08 11:00",
        "01-08 11:30",
        "01-08 12:00",
        "01-08 12:30",
        "01-08 13:00",
    ]
    assert all(s.ends_at - s.starts_at == dt.timedelta(hours=1) for s in slots)
    assert slots[0].starts_at.tzinfo is not None


def test_slots_leave_out_bookings_time_off_the_past_and_the_minimum_notice(gym, settings):
    day = NOW.date()
    BookingFactory(client=gym.client, location=gym.location, starts_at=at(0, 12), ends_at=at(0, 13))
    BookingFactory(
        client=ClientFactory(trainer=gym.trainer),
        location=gym.location,
        starts_at=at(0, 14),
        ends_at=at(0, 15),
        status=BookingStatus.CANCELLED,
        cancelled_at=NOW,
    )
    TimeOff.objects.create(trainer=gym.trainer, starts_at=at(0, 15, 30), ends_at=at(0, 16))
    settings.BOOKING_MIN_NOTICE_MINUTES = 120  # now is 08:00: nothing before 10:00
    slots = slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day, zone=UTC, step=60, now=NOW)
    assert _starts(slots) == ["01-07 10:00", "01-07 11:00", "01-07 13:00", "01-07 14:00", "01-07 16:00"]


def test_slots_leave_out_the_members_own_bookings_with_another_trainer(gym):
    other = ClientFactory(member=gym.member)
    BookingFactory(client=other, location=LocationFactory(), starts_at=at(1, 9), ends_at=at(1, 16))
    day = at(1, 0).date()
    mine = slots_for(
        trainer=gym.trainer, location=gym.location, start=day, end=day, zone=UTC, member=gym.member, now=NOW
    )
    assert _starts(mine, UTC) == ["01-08 16:00"]
    anyone = slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day, zone=UTC, now=NOW)
    assert len(anyone) == 15


def test_slots_are_computed_in_four_queries_whatever_the_range(gym, django_assert_num_queries):
    for n in range(10):
        BookingFactory(
            client=ClientFactory(trainer=gym.trainer),
            location=gym.location,
            starts_at=at(n + 1, 9),
            ends_at=at(n + 1, 10),
        )
    TimeOff.objects.create(trainer=gym.trainer, starts_at=at(5, 0), ends_at=at(6, 0))
    start = at(1, 0).date()
    with django_assert_num_queries(4):
        slots = slots_for(
            trainer=gym.trainer,
            location=gym.location,
            start=start,
            end=start + dt.timedelta(days=30),
            zone=UTC,
            now=NOW,
        )
    # 15 half-hourly starts a day; a booking at 09:00 takes the 09:00 and 09:30 starts; the day off takes
    # the rest of its day.
    assert len(slots) == 31 * 15 - 10 * 2 - (15 - 2)


def test_the_range_and_duration_are_checked(gym):
    day = NOW.date()
    with pytest.raises(ValidationError) as error:
        slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day + dt.timedelta(days=31), zone=UTC)
    assert "31 days" in str(error.value.message_dict["to"])
    with pytest.raises(ValidationError):
        slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day - dt.timedelta(days=1), zone=UTC)
    with pytest.raises(ValidationError):
        slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day, zone=UTC, duration=5)
    with pytest.raises(ValidationError):
        slots_for(trainer=gym.trainer, location=gym.location, start=day, end=day, zone=UTC, step=7)


def _berlin_gym(**hours):
    location = LocationFactory(timezone="Europe/Berlin")
    trainer = TrainerFactory()
    trainer.locations.add(location)
    for weekday in range(7):
        OpeningHoursFactory(location=location, weekday=weekday, opens=dt.time(0), closes=dt.time(23))
        WorkingHoursFactory(
            trainer=trainer,
            location=location,
            weekday=weekday,
            starts=hours.get("starts", dt.time(9)),
            ends=hours.get("ends", dt.time(11)),
        )
    return trainer, location


def test_berlin_nine_oclock_moves_an_hour_in_utc_over_the_last_sunday_of_march():
    trainer, location = _berlin_gym()
    now = dt.datetime(2027, 3, 1, tzinfo=UTC)
    slots = slots_for(
        trainer=trainer,
        location=location,
        start=dt.date(2027, 3, 27),
        end=dt.date(2027, 3, 29),
        zone=BERLIN,
        step=60,
        now=now,
    )
    # Saturday in winter time (UTC+1), Sunday and Monday in summer time (UTC+2): 09:00 and 10:00 local.
    assert _starts(slots, UTC) == [
        "03-27 08:00",
        "03-27 09:00",
        "03-28 07:00",
        "03-28 08:00",
        "03-29 07:00",
        "03-29 08:00",
    ]
    assert {s.starts_at.astimezone(BERLIN).strftime("%H:%M") for s in slots} == {"09:00", "10:00"}
    # A viewer in New York (still a week into its own summer time) sees the same instants at their times.
    ny = _starts(slots, ZoneInfo("America/New_York"))
    assert ny[0] == "03-27 04:00" and ny[2] == "03-28 03:00"


def test_a_window_across_the_spring_forward_gap_has_its_real_length():
    trainer, location = _berlin_gym(starts=dt.time(1), ends=dt.time(4))
    slots = slots_for(
        trainer=trainer,
        location=location,
        start=dt.date(2027, 3, 28),
        end=dt.date(2027, 3, 28),
        zone=BERLIN,
        step=60,
        now=dt.datetime(2027, 3, 1, tzinfo=UTC),
    )
    # 01:00 CET to 04:00 CEST is two real hours: 01:00 and 03:00 local (02:00 does not exist that night).
    assert _starts(slots, UTC) == ["03-28 00:00", "03-28 01:00"]
    assert _starts(slots, BERLIN) == ["03-28 01:00", "03-28 03:00"]


def test_berlin_nine_oclock_in_autumn_is_eight_utc_again():
    trainer, location = _berlin_gym()
    slots = slots_for(
        trainer=trainer,
        location=location,
        start=dt.date(2027, 10, 30),
        end=dt.date(2027, 10, 31),
        zone=UTC,
        step=60,
        now=dt.datetime(2027, 10, 1, tzinfo=UTC),
    )
    assert _starts(slots, UTC) == ["10-30 07:00", "10-30 08:00", "10-31 08:00", "10-31 09:00"]


def test_the_booking_check_agrees_with_the_slots_across_dst():
    """A slot from the selector is bookable; the same wall time on the wrong offset is not."""
    from coaching.services.bookings import booking_create

    trainer, location = _berlin_gym()
    client = ClientFactory(trainer=trainer)
    now = dt.datetime(2027, 3, 1, tzinfo=UTC)
    booking = booking_create(
        actor=client.member,
        client=client,
        location=location,
        starts_at=dt.datetime(2027, 3, 28, 7, tzinfo=UTC),
        now=now,
    )
    assert booking.starts_at.astimezone(BERLIN).hour == 9
    with pytest.raises(ValidationError):  # 08:00 CEST, before the 09:00 start
        booking_create(
            actor=client.member,
            client=client,
            location=location,
            starts_at=dt.datetime(2027, 3, 29, 6, tzinfo=UTC),
            now=now,
        )
