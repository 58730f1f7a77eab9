from __future__ import annotations

import datetime as dt

import pytest

from coaching.models import Booking, ClientStatus, TimeOff, WorkingHours

from .bookings_kit import check_access, make_gym, make_people, soon
from .factories import BookingFactory, ClientFactory, LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gym():
    return make_gym()


@pytest.fixture
def people(gym):
    return make_people(gym)


def _payload(gym, **kwargs):
    return {
        "client": str(gym.client.pk),
        "location": str(gym.location.pk),
        "starts_at": soon(1, 10).isoformat(),
        "duration_minutes": 60,
        **kwargs,
    }


def _fields(response):
    return response.json()["error"]["fields"]


# --- Slots ---------------------------------------------------------------------------------------------


def test_slots_for_any_signed_in_person_in_their_time_zone(api_client, gym, people):
    people.other_member.timezone = "Europe/Berlin"
    people.other_member.save(update_fields=["timezone"])
    api_client.force_login(people.other_member)
    day = soon(2, 0).date()
    url = f"/api/v1/trainers/{gym.trainer.pk}/slots/"
    response = api_client.get(url, {"location": gym.location.pk, "from": day, "to": day, "duration": 90, "step": 60})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["timezone"] == "Europe/Berlin" and body["duration"] == 90
    # 09:00–17:00 UTC, 90 minutes, hourly: 09:00 … 15:00 UTC, shown at +01:00 (10:00 … 16:00).
    assert [s["starts_at"][11:] for s in body["slots"]][:2] == ["10:00:00+01:00", "11:00:00+01:00"]
    assert len(body["slots"]) == 7


def test_slots_refuse_bad_input_with_field_errors(api_client, gym, member):
    api_client.force_login(member)
    url = f"/api/v1/trainers/{gym.trainer.pk}/slots/"
    day = soon(1, 0).date()
    cases = [
        ({}, "location"),
        ({"location": gym.location.pk, "from": day, "to": day - dt.timedelta(days=1)}, "to"),
        ({"location": gym.location.pk, "from": day, "to": day + dt.timedelta(days=31)}, "to"),
        ({"location": gym.location.pk, "from": "tomorrow"}, "from"),
        ({"location": gym.location.pk, "duration": 5}, "duration"),
        ({"location": gym.location.pk, "step": 7}, "step"),
        ({"location": LocationFactory().pk}, "location"),
        ({"location": gym.location.pk, "colour": "red"}, "colour"),
    ]
    for query, field in cases:
        response = api_client.get(url, query)
        assert response.status_code == 400, (query, response.content)
        fields = _fields(response)
        assert field in fields or (field == "from" and "date_from" in fields), (query, fields)


def test_slots_of_an_unknown_trainer_are_404_and_anonymous_is_401(api_client, gym, member):
    import uuid

    assert api_client.get(f"/api/v1/trainers/{gym.trainer.pk}/slots/", {"location": gym.location.pk}).status_code == 401
    api_client.force_login(member)
    assert api_client.get(f"/api/v1/trainers/{uuid.uuid4()}/slots/", {"location": gym.location.pk}).status_code == 404


# --- Booking -------------------------------------------------------------------------------------------


def test_the_member_books_and_the_trainer_books_their_client(api_client, gym):
    api_client.force_login(gym.member)
    response = api_client.post("/api/v1/bookings/", _payload(gym, title="Legs"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "scheduled" and body["duration_minutes"] == 60 and body["title"] == "Legs"
    assert body["member"] == str(gym.member.pk) and body["location_name"] == gym.location.name
    api_client.force_login(gym.trainer.user)
    response = api_client.post("/api/v1/bookings/", _payload(gym, starts_at=soon(1, 12).isoformat()), format="json")
    assert response.status_code == 201
    assert Booking.objects.count() == 2


def test_the_length_may_be_given_as_an_end_time_but_not_both(api_client, gym):
    api_client.force_login(gym.member)
    payload = {k: v for k, v in _payload(gym).items() if k != "duration_minutes"}
    both = {**payload, "ends_at": soon(1, 11).isoformat(), "duration_minutes": 60}
    both = api_client.post("/api/v1/bookings/", both, format="json")
    assert both.status_code == 400 and "not both" in _fields(both)["ends_at"][0]
    response = api_client.post("/api/v1/bookings/", {**payload, "ends_at": soon(1, 11, 30).isoformat()}, format="json")
    assert response.status_code == 201 and response.json()["duration_minutes"] == 90
    backwards = {**payload, "starts_at": soon(1, 14).isoformat(), "ends_at": soon(1, 13).isoformat()}
    assert api_client.post("/api/v1/bookings/", backwards, format="json").status_code == 400


def test_another_trainer_booking_someone_elses_client_is_404_and_nothing_saved(api_client, gym, people):
    for stranger in (people.other_trainer.user, people.other_member, people.staff_elsewhere):
        api_client.force_login(stranger)
        assert api_client.post("/api/v1/bookings/", _payload(gym), format="json").status_code == 404
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"starts_at": soon(-1, 10).isoformat()}, "starts_at", "future"),
        ({"starts_at": soon(1, 18).isoformat()}, "starts_at", "does not work"),
        ({"starts_at": soon(1, 23).isoformat()}, "starts_at", "closed"),
        ({"duration_minutes": 600}, "duration_minutes", ""),
        ({"location": "00000000-0000-0000-0000-000000000000"}, "location", "No such"),
        ({"starts_at": "9999-12-31T23:30:00Z"}, "starts_at", "between"),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at", ""),
    ],
)
def test_bad_bookings_are_refused_with_a_clear_field_error(api_client, gym, change, field, words):
    api_client.force_login(gym.member)
    response = api_client.post("/api/v1/bookings/", _payload(gym, **change), format="json")
    assert response.status_code == 400, response.content
    assert words in " ".join(_fields(response)[field])
    assert not Booking.objects.exists()


def test_a_time_without_offset_is_read_in_the_callers_time_zone(api_client, gym):
    gym.member.timezone = "Europe/Berlin"
    gym.member.save(update_fields=["timezone"])
    api_client.force_login(gym.member)
    from zoneinfo import ZoneInfo

    naive = soon(1, 11).replace(tzinfo=None)
    response = api_client.post("/api/v1/bookings/", _payload(gym, starts_at=naive.isoformat()), format="json")
    assert response.status_code == 201
    assert Booking.objects.get().starts_at == naive.replace(tzinfo=ZoneInfo("Europe/Berlin"))


def test_a_client_who_has_not_consented_cannot_be_booked(api_client, gym):
    gym.client.status = ClientStatus.INVITED
    gym.client.save(update_fields=["status"])
    api_client.force_login(gym.trainer.user)
    response = api_client.post("/api/v1/bookings/", _payload(gym), format="json")
    assert response.status_code == 400 and "accepted" in _fields(response)["client"][0]
    assert not Booking.objects.exists()


def test_an_overlap_is_a_clear_refusal(api_client, gym):
    api_client.force_login(gym.member)
    assert api_client.post("/api/v1/bookings/", _payload(gym), format="json").status_code == 201
    api_client.force_login(gym.trainer.user)
    response = api_client.post("/api/v1/bookings/", _payload(gym, starts_at=soon(1, 10, 30).isoformat()), format="json")
    assert response.status_code == 400
    assert "already has a booking at this time" in _fields(response)["starts_at"][0]
    assert Booking.objects.count() == 1


def _booking(gym):
    return BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10), ends_at=soon(2, 11))


def test_booking_detail_access(api_client, gym, people):
    booking = _booking(gym)
    check_access(
        api_client,
        people,
        lambda c: c.get(f"/api/v1/bookings/{booking.pk}/"),
        {
            "anonymous": 401,
            "other_member": 404,
            "client": 200,
            "own_trainer": 200,
            "other_trainer": 404,
            "staff": 200,
            "staff_elsewhere": 404,
            "superuser": 200,
        },
    )


def test_the_list_is_scoped_to_what_each_person_may_see(api_client, gym, people):
    booking = _booking(gym)
    other = ClientFactory(trainer=people.other_trainer)
    BookingFactory(client=other, location=LocationFactory(), starts_at=soon(3, 10), ends_at=soon(3, 11))
    seen = {}
    for name, user in people.as_dict().items():
        if user is None:
            continue
        api_client.force_login(user)
        seen[name] = {row["id"] for row in api_client.get("/api/v1/bookings/").json()["results"]}
    mine = {str(booking.pk)}
    assert seen["client"] == mine and seen["own_trainer"] == mine and seen["staff"] == mine
    assert seen["other_member"] == set() and seen["staff_elsewhere"] == set()
    assert len(seen["other_trainer"]) == 1 and seen["other_trainer"] != mine
    assert len(seen["superuser"]) == 2
    api_client.logout()
    assert api_client.get("/api/v1/bookings/").status_code == 401


def test_the_list_costs_the_same_for_one_or_twenty_bookings(api_client, gym, django_assert_max_num_queries):
    for n in range(20):
        BookingFactory(
            client=ClientFactory(trainer=gym.trainer),
            location=gym.location,
            starts_at=soon(1 + n // 8, 9 + n % 8),
            ends_at=soon(1 + n // 8, 10 + n % 8),
        )
    api_client.force_login(gym.trainer.user)
    with django_assert_max_num_queries(4):  # session, person, count, page
        rows = api_client.get("/api/v1/bookings/").json()["results"]
    assert len(rows) == 20


def test_confirm_cancel_and_no_show(api_client, gym, people):
    booking = _booking(gym)
    url = f"/api/v1/bookings/{booking.pk}/"
    api_client.force_login(gym.member)
    assert api_client.post(url + "confirm/").status_code == 403
    assert api_client.post(url + "no-show/").status_code == 403
    api_client.force_login(people.other_trainer.user)
    assert api_client.post(url + "confirm/").status_code == 404
    assert api_client.post(url + "cancel/", {}, format="json").status_code == 404
    api_client.force_login(gym.trainer.user)
    assert api_client.post(url + "confirm/").json()["status"] == "confirmed"
    response = api_client.post(url + "no-show/")
    assert response.status_code == 400 and "after the start" in _fields(response)["status"][0]
    api_client.force_login(gym.member)
    response = api_client.post(url + "cancel/", {"reason": "Work trip"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled" and body["cancellation_reason"] == "Work trip"
    assert body["late_cancellation"] is False and body["cancelled_by"] == str(gym.member.pk)


def test_a_cancellation_inside_24_hours_is_marked_late(api_client, gym):
    from django.utils import timezone

    start = (timezone.now() + dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    booking = BookingFactory(
        client=gym.client, location=gym.location, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    api_client.force_login(gym.member)
    assert api_client.get(f"/api/v1/bookings/{booking.pk}/").json()["late_cancellation_if_cancelled_now"] is True
    response = api_client.post(f"/api/v1/bookings/{booking.pk}/cancel/", {}, format="json")
    assert response.json()["late_cancellation"] is True


def test_patch_moves_a_booking_with_the_same_checks(api_client, gym, people):
    booking = _booking(gym)
    url = f"/api/v1/bookings/{booking.pk}/"
    api_client.force_login(people.other_trainer.user)
    assert api_client.patch(url, {"starts_at": soon(2, 12).isoformat()}, format="json").status_code == 404
    api_client.force_login(gym.member)
    response = api_client.patch(url, {"starts_at": soon(2, 20).isoformat()}, format="json")
    assert response.status_code == 400 and "does not work" in _fields(response)["starts_at"][0]
    response = api_client.patch(url, {"starts_at": soon(2, 12).isoformat(), "duration_minutes": 30}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["duration_minutes"] == 30
    booking.refresh_from_db()
    assert booking.starts_at == soon(2, 12)


# --- Working hours and time off ------------------------------------------------------------------------


def test_working_hours_for_trainers(api_client, gym, people):
    api_client.force_login(gym.trainer.user)
    payload = {"location": str(gym.location.pk), "weekday": 0, "starts": "17:00", "ends": "19:00"}
    response = api_client.post("/api/v1/working-hours/", payload, format="json")
    assert response.status_code == 201, response.content
    overlap = api_client.post("/api/v1/working-hours/", {**payload, "starts": "18:00", "ends": "20:00"}, format="json")
    assert overlap.status_code == 400 and "overlap" in _fields(overlap)["starts"][0]
    assert len(api_client.get("/api/v1/working-hours/").json()) == 8
    hours_id = response.json()["id"]
    api_client.force_login(people.other_member)
    assert api_client.post("/api/v1/working-hours/", payload, format="json").status_code == 403
    assert api_client.get("/api/v1/working-hours/").json() == []
    api_client.force_login(people.other_trainer.user)
    assert api_client.delete(f"/api/v1/working-hours/{hours_id}/").status_code == 404
    other_payload = {**payload, "trainer": str(gym.trainer.pk), "weekday": 1}
    assert api_client.post("/api/v1/working-hours/", other_payload, format="json").status_code == 404
    api_client.force_login(people.staff)
    assert len(api_client.get("/api/v1/working-hours/").json()) == 8
    assert api_client.post("/api/v1/working-hours/", other_payload, format="json").status_code == 201
    api_client.force_login(gym.trainer.user)
    assert api_client.delete(f"/api/v1/working-hours/{hours_id}/").status_code == 204
    assert WorkingHours.objects.filter(trainer=gym.trainer).count() == 8
    api_client.logout()
    assert api_client.get("/api/v1/working-hours/").status_code == 401


def test_time_off_for_trainers(api_client, gym, people):
    api_client.force_login(gym.trainer.user)
    payload = {"starts_at": soon(3, 0).isoformat(), "ends_at": soon(4, 0).isoformat(), "reason": "Holiday"}
    response = api_client.post("/api/v1/time-off/", payload, format="json")
    assert response.status_code == 201, response.content
    backwards = {"starts_at": soon(4, 0).isoformat(), "ends_at": soon(3, 0).isoformat()}
    assert api_client.post("/api/v1/time-off/", backwards, format="json").status_code == 400
    endless = {"starts_at": soon(4, 0).isoformat(), "ends_at": "9999-12-31T23:59:00Z"}
    assert api_client.post("/api/v1/time-off/", endless, format="json").status_code == 400
    assert [row["reason"] for row in api_client.get("/api/v1/time-off/").json()] == ["Holiday"]
    off_id = response.json()["id"]
    # The day off leaves no slots that day.
    day = soon(3, 0).date()
    slots = api_client.get(
        f"/api/v1/trainers/{gym.trainer.pk}/slots/", {"location": gym.location.pk, "from": day, "to": day}
    )
    assert slots.json()["slots"] == []
    api_client.force_login(people.other_trainer.user)
    assert api_client.delete(f"/api/v1/time-off/{off_id}/").status_code == 404
    assert api_client.get("/api/v1/time-off/").json() == []
    api_client.force_login(gym.member)
    assert api_client.post("/api/v1/time-off/", payload, format="json").status_code == 403
    api_client.force_login(gym.trainer.user)
    assert api_client.delete(f"/api/v1/time-off/{off_id}/").status_code == 204
    assert not TimeOff.objects.exists()


def test_the_schema_documents_the_booking_operations_and_their_errors(api_client, member):
    api_client.force_login(member)
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for route, method, codes in [
        ("/api/v1/trainers/{trainer_id}/slots/", "get", {"200", "400", "401", "404"}),
        ("/api/v1/bookings/", "post", {"201", "400", "401", "404"}),
        ("/api/v1/bookings/{booking_id}/", "patch", {"200", "400", "404"}),
        ("/api/v1/bookings/{booking_id}/cancel/", "post", {"200", "400", "404"}),
        ("/api/v1/working-hours/{hours_id}/", "delete", {"204", "404"}),
        ("/api/v1/time-off/", "post", {"201", "400", "403"}),
    ]:
        assert codes <= set(paths[route][method]["responses"]), route


def test_the_serializers_take_the_services_fields():
    from coaching.api import bookings as api
    from coaching.services.availability import TIME_OFF_FIELDS, WORKING_HOURS_FIELDS
    from coaching.services.bookings import BOOKING_FIELDS, BOOKING_RESCHEDULE_FIELDS

    assert set(api.BookingCreateSerializer().fields) == {*BOOKING_FIELDS, "client"}
    assert set(api.BookingRescheduleSerializer().fields) == set(BOOKING_RESCHEDULE_FIELDS)
    assert set(api.WorkingHoursCreateSerializer().fields) == {*WORKING_HOURS_FIELDS, "trainer"}
    assert set(api.TimeOffCreateSerializer().fields) == {*TIME_OFF_FIELDS, "trainer"}
    assert set(BOOKING_FIELDS) <= set(api.BookingSerializer().fields)
