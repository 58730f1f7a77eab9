"""The gym's admin screens (issue 13, item 4): locations, working hours, time off, bookings, session cards
and the trainer's tools on a client (assign a program, record a weight) — each scoped to who may see it
(a trainer their own, gym staff their locations, a superuser all), every write through the services, a
refusal shown on the form with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import BodyMetric, User
from coaching.models import Booking, BookingStatus, Location, SessionCard, WorkingHours
from fitjourney.hooks import roles
from training.models import Enrollment, Exercise, Session
from training.tests.enrollment_helpers import published_program
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

from .bookings_kit import make_gym, make_people, soon
from .factories import BookingFactory, ClientFactory, LocationFactory, SessionCardFactory, TrainerFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "location": "admin:coaching_location_changelist",
    "workinghours": "admin:coaching_workinghours_changelist",
    "timeoff": "admin:coaching_timeoff_changelist",
    "booking": "admin:coaching_booking_changelist",
    "sessioncard": "admin:coaching_sessioncard_changelist",
    "client": "admin:coaching_client_changelist",
    "trainer": "admin:coaching_trainer_changelist",
}


@pytest.fixture
def people():
    roles.groups_sync()
    gym = make_gym()
    found = make_people(gym)
    for user in (found.staff, found.staff_elsewhere):
        roles.assign(user=user, role=roles.GYM_STAFF)
    return found


def _login(client, user: User | None) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def _listed(client, url_name: str) -> set:
    response = client.get(reverse(url_name))
    assert response.status_code == 200, response.status_code
    return {row.pk for row in response.context["cl"].result_list}


def _past_booking(gym, **fields) -> Booking:
    start = timezone.now() - dt.timedelta(hours=2)
    booking: Booking = BookingFactory.create(
        client=gym.client, location=gym.location, starts_at=start, ends_at=start + dt.timedelta(hours=1), **fields
    )
    return booking


# ---------------------------------------------------------------------------------------------------
# Who sees what


def test_each_persona_sees_the_gym_rows_it_may_and_no_others(client, people):
    gym = people.gym
    booking = BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10))
    card = SessionCardFactory(client=gym.client, trainer=gym.trainer)
    hours = set(WorkingHours.objects.filter(trainer=gym.trainer).values_list("pk", flat=True))
    rows = {
        "location": {gym.location.pk},
        "workinghours": hours,
        "booking": {booking.pk},
        "sessioncard": {card.pk},
        "client": {gym.client.pk},
        "trainer": {gym.trainer.pk},
    }
    # Everyone sees the gym's own rows who runs or works in it; nobody else does.
    for persona, sees in (
        (gym.trainer.user, True),
        (people.staff, True),
        (people.superuser, True),
        (people.other_trainer.user, False),
        (people.staff_elsewhere, False),
    ):
        _login(client, persona)
        for name, expected in rows.items():
            listed = _listed(client, LISTS[name])
            assert (expected <= listed) is sees, (persona, name)
            if not sees:
                assert not (expected & listed), (persona, name)
    # The other trainer sees their own profile only; staff elsewhere their own location only.
    _login(client, people.other_trainer.user)
    assert _listed(client, LISTS["trainer"]) == {people.other_trainer.pk}
    _login(client, people.staff_elsewhere)
    assert _listed(client, LISTS["location"]) == set(people.staff_elsewhere.gym_locations.values_list("pk", flat=True))


@pytest.mark.parametrize("name", sorted(LISTS))
def test_members_and_anonymous_are_sent_to_the_admin_login(client, people, name):
    for user in (None, people.other_member, people.gym.member):
        _login(client, user)
        response = client.get(reverse(LISTS[name]))
        assert response.status_code == 302 and reverse("admin:login") in response.url


def test_change_pages_of_a_booking_across_personas(client, people):
    gym = people.gym
    booking = BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10))
    url = reverse("admin:coaching_booking_change", args=[booking.pk])
    expected = {
        "anonymous": 302,
        "other_member": 302,
        "client": 302,
        "own_trainer": 200,
        "other_trainer": 302,  # the admin's "doesn't exist": back to the index
        "staff": 200,
        "staff_elsewhere": 302,
        "superuser": 200,
    }
    for persona, user in people.as_dict().items():
        _login(client, user)
        response = client.get(url)
        assert response.status_code == expected[persona], persona
        if expected[persona] == 302 and user is not None and user.is_staff:
            assert response.url == reverse("admin:index")


# ---------------------------------------------------------------------------------------------------
# Bookings


def _booking_form(gym, start: dt.datetime, **extra) -> dict:
    local = timezone.localtime(start, gym.trainer.user.zone)
    return {
        "client": str(gym.client.pk),
        "location": str(gym.location.pk),
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M"),
        "minutes": "60",
        "kind": "training",
        "title": "Legs",
        "notes": "",
        **extra,
    }


def test_a_trainer_books_their_client_and_a_second_booking_of_the_slot_is_refused(client, people):
    gym = people.gym
    _login(client, gym.trainer.user)
    response = client.post(reverse("admin:coaching_booking_add"), _booking_form(gym, soon(2, 10)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    booking = Booking.objects.get()
    assert (booking.client, booking.created_by, booking.starts_at) == (gym.client, gym.trainer.user, soon(2, 10))
    assert booking.status == BookingStatus.SCHEDULED
    # The same slot again: a clear refusal on the form, nothing saved.
    response = client.post(reverse("admin:coaching_booking_add"), _booking_form(gym, soon(2, 10, 30)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Booking.objects.count() == 1
    # Outside the trainer's hours (09:00-17:00): refused too.
    response = client.post(reverse("admin:coaching_booking_add"), _booking_form(gym, soon(3, 19)))
    assert response.status_code == 200 and Booking.objects.count() == 1
    assert "does not work at this location at this time" in str(response.context["adminform"].form.errors)


def test_a_trainer_cannot_book_someone_elses_client(client, people):
    gym = people.gym
    stranger = ClientFactory(trainer=people.other_trainer)
    _login(client, gym.trainer.user)
    data = _booking_form(gym, soon(2, 10), client=str(stranger.pk))
    response = client.post(reverse("admin:coaching_booking_add"), data)
    assert response.status_code == 200 and "client" in response.context["adminform"].form.errors
    assert not Booking.objects.exists()


def test_staff_book_for_the_trainers_of_their_location_only(client, people):
    gym = people.gym
    _login(client, people.staff_elsewhere)
    response = client.post(reverse("admin:coaching_booking_add"), _booking_form(gym, soon(2, 10)))
    assert response.status_code == 200 and not Booking.objects.exists()
    _login(client, people.staff)
    response = client.post(reverse("admin:coaching_booking_add"), _booking_form(gym, soon(2, 10)))
    assert response.status_code == 302 and Booking.objects.get().created_by == people.staff


def test_actions_confirm_cancel_and_refuse_a_no_show_before_the_start(client, people):
    gym = people.gym
    first = BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10))
    second = BookingFactory(client=gym.client, location=gym.location, starts_at=soon(3, 10))
    url = reverse(LISTS["booking"])
    _login(client, gym.trainer.user)
    client.post(url, {"action": "confirm", "_selected_action": [str(first.pk)]})
    client.post(url, {"action": "cancel", "_selected_action": [str(second.pk)]})
    response = client.post(url, {"action": "no_show", "_selected_action": [str(first.pk)]}, follow=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED
    assert second.status == BookingStatus.CANCELLED and second.cancelled_by == gym.trainer.user
    assert "after the start" in response.content.decode()


def test_moving_a_booking_goes_through_the_rules(client, people):
    gym = people.gym
    booking = BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10))
    url = reverse("admin:coaching_booking_change", args=[booking.pk])
    _login(client, gym.trainer.user)
    data = _booking_form(gym, soon(2, 20))
    response = client.post(url, data)
    assert response.status_code == 200  # 20:00 is outside the trainer's hours
    booking.refresh_from_db()
    assert booking.starts_at == soon(2, 10)
    response = client.post(url, _booking_form(gym, soon(2, 14)))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == soon(2, 14)


def test_the_booking_list_costs_the_same_for_many_bookings(client, people):
    gym = people.gym
    _login(client, gym.trainer.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(LISTS["booking"])).status_code == 200
        return len(queries)

    for day in range(3):
        _past_booking(gym, status=BookingStatus.COMPLETED).delete()
        BookingFactory(client=gym.client, location=gym.location, starts_at=soon(day + 2, 9))
    small = count()
    for day in range(20):
        other = ClientFactory(trainer=gym.trainer)
        BookingFactory(client=other, location=gym.location, starts_at=soon(day + 2, 11))
    assert count() == small


# ---------------------------------------------------------------------------------------------------
# Working hours, time off, locations


def test_a_trainer_adds_working_hours_and_an_overlap_is_refused(client, people):
    gym = people.gym
    WorkingHours.objects.filter(trainer=gym.trainer, weekday=5).delete()
    _login(client, gym.trainer.user)
    data = {"trainer": str(gym.trainer.pk), "location": str(gym.location.pk), "weekday": "5"}
    response = client.post(reverse("admin:coaching_workinghours_add"), {**data, "starts": "07:00", "ends": "12:00"})
    assert response.status_code == 302
    response = client.post(reverse("admin:coaching_workinghours_add"), {**data, "starts": "11:00", "ends": "13:00"})
    assert response.status_code == 200 and "overlap" in response.content.decode()
    assert WorkingHours.objects.filter(trainer=gym.trainer, weekday=5).count() == 1
    # Staff of another location may not set this trainer's hours (the trainer is not a choice for them).
    _login(client, people.staff_elsewhere)
    response = client.post(reverse("admin:coaching_workinghours_add"), {**data, "starts": "14:00", "ends": "16:00"})
    assert response.status_code == 200 and "trainer" in response.context["adminform"].form.errors
    assert WorkingHours.objects.filter(trainer=gym.trainer, weekday=5).count() == 1


def test_time_off_is_added_through_the_rules(client, people):
    gym = people.gym
    _login(client, gym.trainer.user)
    start = timezone.localtime(soon(5, 0))
    data = {
        "trainer": str(gym.trainer.pk),
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "00:00",
        "reason": "Course",
    }
    response = client.post(reverse("admin:coaching_timeoff_add"), data)
    assert response.status_code == 200 and "ends after it starts" in response.content.decode()
    data["ends_at_0"] = (start + dt.timedelta(days=2)).strftime("%Y-%m-%d")
    response = client.post(reverse("admin:coaching_timeoff_add"), data)
    assert response.status_code == 302
    assert gym.trainer.time_off.get().reason == "Course"


def test_staff_add_a_location_they_then_run_and_cannot_name_its_staff(client, people):
    _login(client, people.staff)
    data = {
        "name": "Riverside",
        "address": "2 River Road",
        "timezone": "Europe/Paris",
        "capacity": "30",
        "facilities": "",
        "phone": "",
        "email": "",
        "is_active": "on",
        "staff": [str(people.other_member.pk)],
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-0-weekday": "0",
        "opening_hours-0-opens": "06:00",
        "opening_hours-0-closes": "22:00",
    }
    response = client.post(reverse("admin:coaching_location_add"), data)
    assert response.status_code == 302
    location = Location.objects.get(name="Riverside")
    assert list(location.staff.all()) == [people.staff]  # the staff field is not theirs to set
    assert location.opening_hours.get().closes == dt.time(22)
    _login(client, people.staff_elsewhere)
    assert client.get(reverse("admin:coaching_location_change", args=[location.pk])).status_code == 302


# ---------------------------------------------------------------------------------------------------
# Session cards


@pytest.fixture
def lifts():
    strength = ActivityTypeFactory(slug="weight-training", name="Weight Training", uses_exercises=True)
    names = ("Back Squat", "Bench Press", "Barbell Row")
    # The library may hold them already (the reference data): use those, else make them.
    found = [Exercise.objects.filter(name__iexact=name, owner=None).first() for name in names]
    return strength, [
        e or ExerciseFactory(name=name, activity_type=strength) for e, name in zip(found, names, strict=True)
    ]


def _card_form(booking, strength, rows) -> dict:
    data = {
        "booking": str(booking.pk) if booking else "",
        "client": "",
        "activity_type": str(strength.pk),
        "title": "Lower body",
        "duration_minutes": "60",
        "feedback": "Strong squats.",
        "next_session_goals": "Depth\nBrace",
        "effort_rating": "4",
        "exercises-TOTAL_FORMS": str(len(rows)),
        "exercises-INITIAL_FORMS": "0",
        "exercises-MIN_NUM_FORMS": "0",
        "exercises-MAX_NUM_FORMS": "12",
    }
    for index, (name, sets, reps, weight) in enumerate(rows):
        data.update(
            {
                f"exercises-{index}-exercise": name,
                f"exercises-{index}-sets": str(sets),
                f"exercises-{index}-reps": str(reps),
                f"exercises-{index}-weight": str(weight),
            }
        )
    return data


def test_a_trainer_writes_a_card_with_three_exercises_in_their_units(client, people, lifts):
    gym = people.gym
    strength, _ = lifts
    gym.client.grant_write = True
    gym.client.save(update_fields=["grant_write"])
    User.objects.filter(pk=gym.trainer.user_id).update(unit_system="imperial")
    booking = _past_booking(gym)
    _login(client, gym.trainer.user)
    page = client.get(reverse("admin:coaching_sessioncard_write") + f"?booking={booking.pk}")
    assert page.status_code == 200 and "Weight (lb)" in page.content.decode()
    rows = [("back squat", 3, 5, 225), ("Bench Press", 3, 8, 135), ("Barbell Row", 2, 10, 95)]
    response = client.post(reverse("admin:coaching_sessioncard_write"), _card_form(booking, strength, rows))
    assert response.status_code == 302
    card = SessionCard.objects.get()
    session = Session.objects.get(pk=card.session_id)
    assert (session.user, session.recorded_by) == (gym.member, gym.trainer.user)
    assert (card.total_exercises, card.total_sets, card.effort_rating) == (3, 8, 4)
    squat = session.exercises.get(exercise__name="Back Squat").sets.first()
    assert squat.weight_kg == Decimal("102.06")  # 225 lb
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    detail = client.get(reverse("admin:coaching_sessioncard_change", args=[card.pk])).content.decode()
    assert "Back Squat" in detail and "225 lb" in detail
    # Gym staff of the location read the card but not the client's workout.
    _login(client, people.staff)
    detail = client.get(reverse("admin:coaching_sessioncard_change", args=[card.pk])).content.decode()
    assert "Lower body" in detail and "Back Squat" not in detail


def test_a_card_with_an_unknown_exercise_or_without_the_write_grant_saves_nothing(client, people, lifts):
    gym = people.gym
    strength, _ = lifts
    booking = _past_booking(gym)
    _login(client, gym.trainer.user)
    rows = [("Back Squat", 3, 5, 100), ("Bench Pres", 3, 8, 60)]
    gym.client.grant_write = True
    gym.client.save(update_fields=["grant_write"])
    response = client.post(reverse("admin:coaching_sessioncard_write"), _card_form(booking, strength, rows))
    assert response.status_code == 200
    assert "Did you mean Bench Press" in response.content.decode()
    gym.client.grant_write = False
    gym.client.save(update_fields=["grant_write"])
    rows = [("Back Squat", 3, 5, 100)]
    response = client.post(reverse("admin:coaching_sessioncard_write"), _card_form(booking, strength, rows))
    assert response.status_code == 200 and "not allowed you to record" in response.content.decode()
    assert not SessionCard.objects.exists() and not Session.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.SCHEDULED


def test_only_a_trainer_writes_cards_and_only_for_their_own_bookings(client, people, lifts):
    gym = people.gym
    booking = _past_booking(gym)
    url = reverse("admin:coaching_sessioncard_write")
    _login(client, people.other_trainer.user)
    assert client.get(url + f"?booking={booking.pk}").status_code == 404
    for user in (people.staff, people.staff_elsewhere):
        _login(client, user)
        assert client.get(url).status_code == 403
    _login(client, gym.member)
    assert client.get(url).status_code == 302


# ---------------------------------------------------------------------------------------------------
# The trainer's tools on a client


def test_a_trainer_assigns_a_program_and_another_trainer_cannot(client, people):
    gym = people.gym
    program = published_program(name="Beginner full body")
    url = reverse("admin:coaching_client_assign", args=[gym.client.pk])
    _login(client, people.other_trainer.user)
    assert client.get(url).status_code == 404
    _login(client, people.staff)
    assert client.get(url).status_code == 404
    _login(client, gym.trainer.user)
    page = client.get(url)
    assert page.status_code == 200 and "Beginner full body" in page.content.decode()
    response = client.post(url, {"program": str(program.pk), "start_date": "", "replace": "on"})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=gym.member)
    assert (enrollment.program, enrollment.assigned_by) == (program, gym.trainer.user)
    response = client.post(url, {"program": str(program.pk), "start_date": "2999-01-01", "replace": "on"})
    assert response.status_code == 200 and response.context["form"].errors


def test_a_trainer_records_a_weight_only_with_the_clients_write_grant(client, people):
    gym = people.gym
    url = reverse("admin:coaching_client_body", args=[gym.client.pk])
    User.objects.filter(pk=gym.trainer.user_id).update(unit_system="imperial")
    _login(client, gym.trainer.user)
    response = client.post(url, {"weight": "180", "body_fat": "", "notes": ""})
    assert response.status_code == 200 and "not allowed you to record" in response.content.decode()
    assert not BodyMetric.objects.filter(user=gym.member).exists()
    gym.client.grant_write = True
    gym.client.save(update_fields=["grant_write"])
    response = client.post(url, {"weight": "180", "body_fat": "18.5", "notes": "Gym scale"})
    assert response.status_code == 302
    weight = BodyMetric.objects.get(user=gym.member, metric_type_id="weight")
    assert weight.recorded_by == gym.trainer.user and abs(weight.value - Decimal("81.6466")) < Decimal("0.001")
    assert BodyMetric.objects.get(user=gym.member, metric_type_id="body_fat").value == Decimal("18.5")
    _login(client, people.other_trainer.user)
    assert client.get(url).status_code == 404


def test_the_client_list_offers_the_trainer_their_tools_and_staff_none(client, people):
    gym = people.gym
    _login(client, gym.trainer.user)
    listing = client.get(reverse(LISTS["client"])).content.decode()
    assert reverse("admin:coaching_client_assign", args=[gym.client.pk]) in listing
    assert reverse("admin:coaching_sessioncard_write") + f"?client={gym.client.pk}" in listing
    _login(client, people.staff)
    listing = client.get(reverse(LISTS["client"])).content.decode()
    assert str(gym.client.member) in listing
    assert reverse("admin:coaching_client_assign", args=[gym.client.pk]) not in listing


def test_another_trainers_location_staff_do_not_see_a_new_trainer(client, people):
    newcomer = TrainerFactory()
    LocationFactory().trainers.add(newcomer)
    _login(client, people.staff)
    assert newcomer.pk not in _listed(client, LISTS["trainer"])


# ---------------------------------------------------------------------------------------------------
# Every gym admin page for every persona

ALL = ("anonymous", "other_member", "client", "own_trainer", "other_trainer", "staff", "staff_elsewhere", "superuser")


def _statuses(**given: int) -> dict[str, int]:
    """Members and anonymous go to the admin's login (302); "gone" pages redirect staff to the index."""
    return {"anonymous": 302, "other_member": 302, "client": 302, **given}


SCOPED_CHANGE = _statuses(own_trainer=200, other_trainer=302, staff=200, staff_elsewhere=302, superuser=200)


def _gym_objects(people) -> dict[str, object]:
    gym = people.gym
    roles.groups_sync()
    off_start = soon(6, 0)
    return {
        "location": gym.location,
        "workinghours": WorkingHours.objects.filter(trainer=gym.trainer).first(),
        "timeoff": gym.trainer.time_off.create(starts_at=off_start, ends_at=off_start + dt.timedelta(days=1)),
        "booking": BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10)),
        "sessioncard": SessionCardFactory(client=gym.client, trainer=gym.trainer),
        "client": gym.client,
        "trainer": gym.trainer,
    }


@pytest.mark.parametrize(
    "model", ["location", "workinghours", "timeoff", "booking", "sessioncard", "client", "trainer"]
)
def test_every_change_page_answers_each_persona_as_the_scope_says(client, people, model):
    target = _gym_objects(people)[model]
    url = reverse(f"admin:coaching_{model}_change", args=[target.pk])
    failures = []
    for persona, user in people.as_dict().items():
        _login(client, user)
        status = client.get(url).status_code
        if status != SCOPED_CHANGE[persona]:
            failures.append(f"{persona}: {status} (expected {SCOPED_CHANGE[persona]})")
    assert not failures, f"{model}: " + "; ".join(failures)


def test_every_tool_page_answers_each_persona(client, people):
    gym = people.gym
    expected = {
        reverse("admin:coaching_booking_add"): _statuses(
            own_trainer=200, other_trainer=200, staff=200, staff_elsewhere=200, superuser=200
        ),
        reverse("admin:coaching_workinghours_add"): _statuses(
            own_trainer=200, other_trainer=200, staff=200, staff_elsewhere=200, superuser=200
        ),
        reverse("admin:coaching_location_add"): _statuses(
            own_trainer=403, other_trainer=403, staff=200, staff_elsewhere=200, superuser=200
        ),
        # A card is written by a trainer (a superuser without a trainer profile has none to write).
        reverse("admin:coaching_sessioncard_write"): _statuses(
            own_trainer=200, other_trainer=200, staff=403, staff_elsewhere=403, superuser=404
        ),
        reverse("admin:coaching_sessioncard_write") + f"?client={gym.client.pk}": _statuses(
            own_trainer=200, other_trainer=200, staff=403, staff_elsewhere=403, superuser=404
        ),
        reverse("admin:coaching_client_assign", args=[gym.client.pk]): _statuses(
            own_trainer=200, other_trainer=404, staff=404, staff_elsewhere=404, superuser=404
        ),
        reverse("admin:coaching_client_body", args=[gym.client.pk]): _statuses(
            own_trainer=200, other_trainer=404, staff=404, staff_elsewhere=404, superuser=404
        ),
    }
    failures = []
    for url, statuses in expected.items():
        assert set(statuses) == set(ALL)
        for persona, user in people.as_dict().items():
            _login(client, user)
            status = client.get(url).status_code
            if status != statuses[persona]:
                failures.append(f"{url} as {persona}: {status} (expected {statuses[persona]})")
    assert not failures, "\n".join(failures)


def test_a_write_by_someone_outside_the_scope_changes_nothing(client, people):
    """POSTs to another trainer's client's tools, and actions on bookings outside the scope, change no row."""
    gym = people.gym
    booking = BookingFactory(client=gym.client, location=gym.location, starts_at=soon(2, 10))
    program = published_program()
    before = (Booking.objects.filter(status=BookingStatus.SCHEDULED).count(), Enrollment.objects.count())
    for user in (people.other_trainer.user, people.staff_elsewhere):
        _login(client, user)
        client.post(reverse(LISTS["booking"]), {"action": "cancel", "_selected_action": [str(booking.pk)]})
        client.post(reverse("admin:coaching_client_assign", args=[gym.client.pk]), {"program": str(program.pk)})
        client.post(reverse("admin:coaching_client_body", args=[gym.client.pk]), {"weight": "80"})
    assert (Booking.objects.filter(status=BookingStatus.SCHEDULED).count(), Enrollment.objects.count()) == before
    assert not BodyMetric.objects.filter(user=gym.member).exists()


def test_a_past_booking_is_shown_read_only_with_its_card_link(client, people):
    gym = people.gym
    booking = _past_booking(gym)
    _login(client, gym.trainer.user)
    page = client.get(reverse("admin:coaching_booking_change", args=[booking.pk]))
    assert page.status_code == 200
    assert reverse("admin:coaching_sessioncard_write") + f"?booking={booking.pk}" in page.content.decode()
    assert 'name="starts_at_0"' not in page.content.decode()
    # Saving its page changes nothing and says no error.
    response = client.post(reverse("admin:coaching_booking_change", args=[booking.pk]), {"_save": "Save"})
    assert response.status_code == 302
    before = booking.starts_at
    booking.refresh_from_db()
    assert booking.starts_at == before and booking.status == BookingStatus.SCHEDULED
