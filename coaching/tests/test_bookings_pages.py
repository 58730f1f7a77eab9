from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Booking, BookingStatus, CalendarFeed

from .bookings_kit import check_access, make_gym, make_people, soon
from .factories import BookingFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gym():
    return make_gym()


@pytest.fixture
def people(gym):
    return make_people(gym)


def _booking(gym, days=2, hour=10, **kwargs):
    return BookingFactory(
        client=gym.client, location=gym.location, starts_at=soon(days, hour), ends_at=soon(days, hour + 1), **kwargs
    )


# --- The bookings page ---------------------------------------------------------------------------------


def test_the_bookings_page_access(client, people):
    check_access(
        client,
        people,
        lambda c: c.get(reverse("coaching:bookings")),
        {
            "anonymous": 302,
            "other_member": 200,
            "client": 200,
            "own_trainer": 200,
            "other_trainer": 200,
            "staff": 200,
            "staff_elsewhere": 200,
            "superuser": 200,
        },
    )


def test_the_page_shows_upcoming_and_past_in_the_persons_time_zone(client, gym):
    gym.member.timezone = "Asia/Tokyo"
    gym.member.save(update_fields=["timezone"])
    _booking(gym, title="Legs")
    _booking(gym, days=-3, title="Back", status=BookingStatus.COMPLETED)
    client.force_login(gym.member)
    page = client.get(reverse("coaching:bookings")).content.decode()
    assert "Legs with" in page and "19:00–20:00" in page  # 10:00 UTC in Tokyo
    assert "Back with" in page and "Completed" in page
    assert f"?link={gym.client.pk}" in page


def test_the_bookings_page_costs_five_queries_whatever_the_history(client, gym, django_assert_max_num_queries):
    for n in range(8):
        _booking(gym, days=n + 1)
        _booking(gym, days=-(n + 1), status=BookingStatus.COMPLETED)
    ClientFactory(member=gym.member)
    client.force_login(gym.member)
    with django_assert_max_num_queries(5):
        page = client.get(reverse("coaching:bookings")).content.decode()
    assert page.count("Cancel…") == 8


# --- Cancelling ----------------------------------------------------------------------------------------


def test_cancel_access(client, gym, people):
    booking = _booking(gym)
    check_access(
        client,
        people,
        lambda c: c.get(reverse("coaching:booking-cancel", args=[booking.pk])),
        {
            "anonymous": 302,
            "other_member": 404,
            "client": 200,
            "own_trainer": 404,  # the trainer cancels in the admin or the API
            "other_trainer": 404,
            "staff": 404,
            "staff_elsewhere": 404,
            "superuser": 404,
        },
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED  # a GET never writes


def test_the_confirm_step_says_whether_cancelling_is_late_before_the_person_confirms(client, gym):
    early = _booking(gym, days=3)
    start = (timezone.now() + dt.timedelta(hours=5)).replace(minute=0, second=0, microsecond=0)
    late = BookingFactory(
        client=gym.client, location=gym.location, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    client.force_login(gym.member)
    page = client.get(reverse("coaching:booking-cancel", args=[early.pk])).content.decode()
    assert "free of charge" in page and "late cancellation" not in page
    page = client.get(reverse("coaching:booking-cancel", args=[late.pk])).content.decode()
    assert "late cancellation" in page
    # Without the confirm field nothing happens.
    client.post(reverse("coaching:booking-cancel", args=[late.pk]), {"reason": "x"})
    late.refresh_from_db()
    assert late.status == BookingStatus.SCHEDULED
    response = client.post(reverse("coaching:booking-cancel", args=[late.pk]), {"confirm": "yes", "reason": "Sick"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == BookingStatus.CANCELLED and late.late_cancellation and late.cancellation_reason == "Sick"


# --- Booking a slot ------------------------------------------------------------------------------------


def test_the_new_booking_page_is_for_the_links_member_only(client, gym, people):
    url = reverse("coaching:booking-new") + f"?link={gym.client.pk}"
    check_access(
        client,
        people,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "other_member": 404,
            "client": 200,
            "own_trainer": 404,
            "other_trainer": 404,
            "staff": 404,
            "staff_elsewhere": 404,
            "superuser": 404,
        },
    )
    client.force_login(gym.member)
    assert client.get(reverse("coaching:booking-new") + "?link=nonsense").status_code == 404


def test_the_member_picks_a_free_slot_in_their_time_zone_and_books_it(client, gym):
    gym.member.timezone = "America/New_York"
    gym.member.save(update_fields=["timezone"])
    _booking(gym, days=2, hour=10)
    client.force_login(gym.member)
    day = soon(2, 0).date()
    url = reverse("coaching:booking-new")
    query = {"link": gym.client.pk, "location": gym.location.pk, "date": day.isoformat(), "duration": 60}
    page = client.get(url, query).content.decode()
    starts = re.findall(r'name="starts_at" value="([^"]+)"', page)
    # The buttons show the times in New York.
    first = soon(2, 9).astimezone(gym.member.zone)
    assert f"{first:%H:%M}–{first + dt.timedelta(hours=1):%H:%M}" in page
    # The booked hour is not offered: no slot starts 09:30–10:30 UTC that day.
    taken = {soon(2, 9, 30), soon(2, 10)}
    assert not taken & {dt.datetime.fromisoformat(v) for v in starts}
    # htmx swaps only the slot list.
    partial = client.get(url, query, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'name="starts_at"' in partial
    chosen = soon(2, 14).astimezone(gym.member.zone).isoformat()
    response = client.post(
        url + f"?link={gym.client.pk}",
        {"link": gym.client.pk, "location": gym.location.pk, "starts_at": chosen, "duration_minutes": 60},
    )
    assert response.status_code == 302
    assert Booking.objects.filter(member=gym.member, starts_at=soon(2, 14)).exists()


def test_booking_a_slot_taken_meanwhile_is_a_clear_refusal(client, gym):
    _booking(gym, days=2, hour=10)
    client.force_login(gym.member)
    response = client.post(
        reverse("coaching:booking-new") + f"?link={gym.client.pk}",
        {"location": gym.location.pk, "starts_at": soon(2, 10).isoformat(), "duration_minutes": 60},
    )
    assert response.status_code == 400
    assert "already has a booking at this time" in response.content.decode()
    assert Booking.objects.count() == 1


# --- The calendar feed ---------------------------------------------------------------------------------


def _turn_on(client, user) -> str:
    client.force_login(user)
    page = client.post(reverse("coaching:booking-calendar"), {"action": "rotate"}).content.decode()
    address = re.search(r'value="(http[^"]+\.ics)"', page)
    assert address, page
    client.logout()
    return address.group(1).split("testserver", 1)[1]


def test_the_feed_lists_the_persons_bookings_as_ical_in_utc(client, gym):
    booking = _booking(gym, title="Legs")
    cancelled = _booking(gym, days=3, status=BookingStatus.CANCELLED, cancelled_at=timezone.now())
    path = _turn_on(client, gym.member)
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[f"booking-{booking.pk}@fitjourney"]
    assert event.decoded("DTSTART") == booking.starts_at and event.decoded("DTSTART").utcoffset() == dt.timedelta(0)
    assert event.decoded("DTEND") == booking.ends_at
    assert str(event["SUMMARY"]).startswith("Legs with") and gym.location.name in str(event["LOCATION"])
    assert str(event["STATUS"]) == "TENTATIVE"
    assert str(events[f"booking-{cancelled.pk}@fitjourney"]["STATUS"]) == "CANCELLED"
    # The trainer's feed has their clients' bookings.
    trainer_path = _turn_on(client, gym.trainer.user)
    trainer_events = icalendar.Calendar.from_ical(client.get(trainer_path).content).walk("VEVENT")
    assert {str(e["UID"]) for e in trainer_events} == set(events)


def test_the_feed_address_is_secret_rotatable_and_revocable(client, gym):
    _booking(gym)
    first = _turn_on(client, gym.member)
    assert client.get(first).status_code == 200
    second = _turn_on(client, gym.member)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    assert not CalendarFeed.objects.filter(token_hash__contains=second.rsplit("/", 1)[1][:-4]).exists()
    client.force_login(gym.member)
    page = client.post(reverse("coaching:booking-calendar"), {"action": "revoke"}, headers={"HX-Request": "true"})
    assert "Your feed is off" in page.content.decode() and "<html" not in page.content.decode()
    client.logout()
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_the_calendar_settings_need_a_sign_in_and_a_get_changes_nothing(client, gym):
    assert client.get(reverse("coaching:booking-calendar")).status_code == 302
    client.force_login(gym.member)
    page = client.get(reverse("coaching:booking-calendar")).content.decode()
    assert "Your feed is off" in page
    assert client.post(reverse("coaching:booking-calendar"), {"action": "explode"}).status_code == 400
    assert not CalendarFeed.objects.exists()


def test_the_slot_page_costs_the_same_for_a_busy_week(client, gym, django_assert_max_num_queries):
    for n in range(12):
        BookingFactory(
            client=ClientFactory(trainer=gym.trainer),
            location=gym.location,
            starts_at=soon(1 + n // 4, 9 + 2 * (n % 4)),
            ends_at=soon(1 + n // 4, 10 + 2 * (n % 4)),
        )
    client.force_login(gym.member)
    url = reverse("coaching:booking-new")
    query = {"link": gym.client.pk, "location": gym.location.pk, "date": soon(1, 0).date().isoformat(), "duration": 60}
    # session, person, link, the trainer's locations, and the slots' four
    with django_assert_max_num_queries(8):
        page = client.get(url, query).content.decode()
    assert page.count('name="starts_at"') > 50
    assert f'<option value="{gym.location.pk}" selected>{gym.location.name}</option>' in page
    # Without a choice yet, the first location and tomorrow are chosen.
    page = client.get(url, {"link": gym.client.pk}).content.decode()
    assert f'<option value="{gym.location.pk}" selected>' in page and 'name="starts_at"' in page
