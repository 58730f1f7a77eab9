"""The gym's read endpoints (issue 13, seed 004's "useful queries"): the trainer dashboard, a client's
timeline, a link's stats from both sides, the card search and the locations. Each answers with the values
behind it, refuses bad input with field errors, lets in exactly the personas it should (another trainer's
client is a 404), and costs the same number of queries for a small and a big history."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import (
    AttentionReason,
    BookingStatus,
    Client,
    ClientProgress,
    ClientStatus,
    Location,
    TrainerDashboard,
)
from training.models import Enrollment
from training.tests.enrollment_helpers import published_program
from training.tests.factories import ExerciseFactory, SessionExerciseFactory, SessionFactory, SetFactory

from .bookings_kit import check_access, make_gym, make_people
from .factories import (
    BookingFactory,
    ClientFactory,
    HabitFactory,
    HabitLogFactory,
    JournalEntryFactory,
    LocationFactory,
    OpeningHoursFactory,
    SessionCardFactory,
)
from .goals_kit import weigh

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def gym():
    return make_gym()


@pytest.fixture
def people(gym):
    return make_people(gym)


def _set_units(user, system: str) -> None:
    user.unit_system = system
    user.save(update_fields=["unit_system"])


def _set_zone(user, zone: str) -> None:
    user.timezone = zone
    user.save(update_fields=["timezone"])


def _queries(api_client, user, url: str) -> int:
    """The queries of one request as `user` (a browser session, as the access matrix signs in)."""
    api_client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx)


def _booking(link, start: dt.datetime, status: str = BookingStatus.SCHEDULED, location=None):
    return BookingFactory(
        client=link,
        location=location or link.trainer.locations.first(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        status=status,
        cancelled_at=start if status == BookingStatus.CANCELLED else None,
    )


# ---------------------------------------------------------------------------------------------------
# GET /trainer-dashboard/


def _this_week(zone: ZoneInfo) -> tuple[dt.date, dt.date, dt.date]:
    """(today, another day of this week, a day of next week) in `zone`."""
    today = timezone.localdate(timezone.now(), zone)
    monday = today - dt.timedelta(days=today.weekday())
    other = monday + dt.timedelta(days=(today.weekday() + 1) % 7)
    return today, other, monday + dt.timedelta(days=8)


def _at(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def test_the_dashboard_shows_the_trainers_day_week_numbers_and_clients_needing_attention(api_client, gym):
    trainer_user = gym.trainer.user
    _set_zone(trainer_user, "Europe/Paris")
    _set_units(trainer_user, "imperial")
    today, other_day, next_week = _this_week(PARIS)
    noon = _booking(gym.client, _at(today, 12, PARIS))
    later = _booking(gym.client, _at(other_day, 10, PARIS), status=BookingStatus.CONFIRMED)
    _booking(gym.client, _at(other_day, 15, PARIS), status=BookingStatus.CANCELLED)  # frees its time: not shown
    _booking(gym.client, _at(next_week, 10, PARIS))  # next week: not shown
    api_client.force_login(trainer_user)

    body = api_client.get("/api/v1/trainer-dashboard/").json()
    assert body["trainer"] == {"id": str(gym.trainer.pk), "name": str(gym.trainer)}
    assert (body["day"], body["timezone"]) == (today.isoformat(), "Europe/Paris")
    # Not summarised yet: the numbers resting on the summary are null, the trainer's own counts are there.
    assert body["refreshed_at"] is None and body["completion_rate"] is None and body["sessions_month"] is None
    assert (body["active_clients"], body["rating_count"]) == (gym.trainer.active_clients, 0)
    assert [b["id"] for b in body["today"]] == [str(noon.pk)]
    assert [b["id"] for b in body["week"]] == [str(b.pk) for b in sorted((noon, later), key=lambda b: b.starts_at)]
    shown = body["today"][0]
    # In the trainer's zone, with its offset.
    assert shown["starts_at"] == noon.starts_at.astimezone(PARIS).isoformat()
    assert shown["starts_at"].endswith(("+01:00", "+02:00"))
    assert shown["member"] == {"id": str(gym.member.pk), "name": gym.member.get_full_name() or gym.member.username}
    assert shown["location"] == {"id": str(gym.location.pk), "name": gym.location.name}
    assert (shown["client"], shown["status"], shown["duration_minutes"]) == (str(gym.client.pk), "scheduled", 60)

    now = timezone.now()
    TrainerDashboard.objects.create(
        trainer=gym.trainer,
        active_clients=1,
        sessions_month=4,
        completed_90d=6,
        cancelled_90d=1,
        no_show_90d=2,
        completion_rate=Decimal("66.67"),
        no_show_rate=Decimal("25.00"),
        clients_needing_attention=1,
        refreshed_at=now,
    )
    ClientProgress.objects.create(
        client=gym.client,
        trainer=gym.trainer,
        last_session_date=today - dt.timedelta(days=20),
        sessions_28d=0,
        adherence_pct=Decimal("30.00"),
        weight_change_kg=Decimal("2.00"),
        attention=[AttentionReason.NO_SESSION, AttentionReason.WEIGHT_AGAINST_GOAL],
        refreshed_at=now,
    )
    ClientProgress.objects.create(  # fine: not listed
        client=ClientFactory(trainer=gym.trainer), trainer=gym.trainer, attention=[], refreshed_at=now
    )
    body = api_client.get("/api/v1/trainer-dashboard/").json()
    assert body["refreshed_at"] == now.astimezone(PARIS).isoformat()
    assert (body["sessions_month"], body["completed_90d"], body["cancelled_90d"], body["no_show_90d"]) == (4, 6, 1, 2)
    assert (body["completion_rate"], body["no_show_rate"], body["clients_needing_attention"]) == ("66.67", "25.00", 1)
    (flagged,) = body["attention"]
    assert flagged["client"] == str(gym.client.pk) and flagged["member"]["id"] == str(gym.member.pk)
    assert [r["code"] for r in flagged["reasons"]] == ["no_session", "weight_against_goal"]
    assert flagged["reasons"][0]["label"] == "No session for 14 days"
    # 2 kg in the viewer's units beside the stored kilograms.
    assert (flagged["weight_change_kg"], flagged["weight_change"], flagged["weight_unit"]) == ("2.00", "4.4", "lb")
    assert (flagged["sessions_28d"], flagged["adherence_pct"]) == (0, "30.00")


def test_gym_staff_see_a_trainer_of_their_location_by_id_in_their_own_units(api_client, people):
    gym = people.gym
    _booking(gym.client, _at(timezone.localdate(), 12, dt.UTC))
    ClientProgress.objects.create(
        client=gym.client,
        trainer=gym.trainer,
        weight_change_kg=Decimal("-1.50"),
        attention=[AttentionReason.FALLING_E1RM],
        refreshed_at=timezone.now(),
    )
    api_client.force_login(people.staff)
    body = api_client.get(f"/api/v1/trainer-dashboard/?trainer={gym.trainer.pk}").json()
    assert body["trainer"]["id"] == str(gym.trainer.pk) and len(body["today"]) == 1
    assert body["attention"][0]["weight_change"] == "-1.5" and body["attention"][0]["weight_unit"] == "kg"


def test_the_dashboard_refuses_a_bad_trainer_id_and_unknown_parameters(api_client, gym):
    api_client.force_login(gym.trainer.user)
    response = api_client.get("/api/v1/trainer-dashboard/?trainer=nope")
    assert response.status_code == 400 and "trainer" in response.json()["error"]["fields"]
    response = api_client.get("/api/v1/trainer-dashboard/?day=2030-01-01")
    assert response.status_code == 400 and response.json()["error"]["fields"]["day"] == ["Unknown field."]
    response = api_client.get("/api/v1/trainer-dashboard/?trainer=00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json()["error"]["status"] == 404


def test_dashboard_access_for_a_named_trainer(api_client, people):
    url = f"/api/v1/trainer-dashboard/?trainer={people.gym.trainer.pk}"
    check_access(
        api_client,
        people,
        lambda c: c.get(url),
        {
            "anonymous": 401,
            "other_member": 404,
            "client": 404,
            "own_trainer": 200,
            "other_trainer": 404,
            "staff": 200,
            "staff_elsewhere": 404,
            "superuser": 200,
        },
    )


def test_dashboard_access_for_the_callers_own(api_client, people):
    """Without `trainer`: the caller's own profile; nobody else has one here (another trainer sees theirs)."""
    check_access(
        api_client,
        people,
        lambda c: c.get("/api/v1/trainer-dashboard/"),
        {
            "anonymous": 401,
            "other_member": 404,
            "client": 404,
            "own_trainer": 200,
            "other_trainer": 200,
            "staff": 404,
            "staff_elsewhere": 404,
            "superuser": 404,
        },
    )
    api_client.force_login(people.other_trainer.user)
    assert api_client.get("/api/v1/trainer-dashboard/").json()["trainer"]["id"] == str(people.other_trainer.pk)


def test_the_dashboard_costs_the_same_queries_for_a_busy_trainer(api_client, gym, people):
    url = f"/api/v1/trainer-dashboard/?trainer={gym.trainer.pk}"
    today, other_day, _ = _this_week(dt.UTC)
    _booking(gym.client, _at(today, 9, dt.UTC))
    small = (
        _queries(api_client, gym.trainer.user, "/api/v1/trainer-dashboard/"),
        _queries(api_client, people.staff, url),
    )

    now = timezone.now()
    for n in range(30):  # a month of history, more of this week, and 25 clients needing attention
        link = ClientFactory(trainer=gym.trainer)
        _booking(link, now - dt.timedelta(days=n + 8), status=BookingStatus.COMPLETED)
        ClientProgress.objects.create(
            client=link, trainer=gym.trainer, attention=[AttentionReason.NO_SESSION], refreshed_at=now
        )
    for hour in range(10, 16):
        _booking(ClientFactory(trainer=gym.trainer), _at(other_day, hour, dt.UTC))
    big = (
        _queries(api_client, gym.trainer.user, "/api/v1/trainer-dashboard/"),
        _queries(api_client, people.staff, url),
    )
    # The request's own (session, user) and the selector's three; a named trainer adds the scope check.
    # The budget is 8.
    assert small == big == (5, 6), (small, big)


# ---------------------------------------------------------------------------------------------------
# GET /clients/{id}/timeline/


def _history(member, days: int, bench) -> None:
    habit = HabitFactory(user=member)
    for n in range(days):
        at = timezone.now() - dt.timedelta(days=n)
        day = timezone.localdate(at, member.zone)
        if n % 3 == 0:
            session = SessionFactory(user=member, started_at=at - dt.timedelta(hours=1))
            SetFactory(session_exercise=SessionExerciseFactory(session=session, exercise=bench), reps=5, weight_kg=100)
        if n % 7 == 0:
            weigh(member, 80, days_ago=n)
        HabitLogFactory(habit=habit, log_date=day, logged_at=at, completed=True)
        if n % 10 == 0:
            JournalEntryFactory(user=member, entry_date=day)


def test_the_timeline_shows_the_granted_data_in_the_trainers_units_and_the_members_zone(api_client, gym):
    trainer_user = gym.trainer.user
    _set_units(trainer_user, "imperial")
    _set_zone(gym.member, "America/New_York")
    Client.objects.filter(pk=gym.client.pk).update(grant_training=True, grant_body=True, grant_habits=False)
    bench = ExerciseFactory(name=f"Bench press {uuid.uuid4().hex[:6]}")
    _history(gym.member, 20, bench)
    card = SessionCardFactory(client=gym.client, title="Coached bench day", date=gym.member.local_today())
    api_client.force_login(trainer_user)

    body = api_client.get(f"/api/v1/clients/{gym.client.pk}/timeline/?days=30").json()
    end = gym.member.local_today()
    assert (body["client"], body["member"]["id"]) == (str(gym.client.pk), str(gym.member.pk))
    assert (body["start"], body["end"]) == ((end - dt.timedelta(days=29)).isoformat(), end.isoformat())
    assert body["granted"] == {
        "training": True,
        "body": True,
        "nutrition": False,
        "habits": False,
        "checkins": False,
        "journal": False,
    }
    assert {e["kind"] for e in body["entries"]} == {"session", "body", "card"}
    days = [e["day"] for e in body["entries"]]
    assert days == sorted(days, reverse=True)
    shown_card = next(e for e in body["entries"] if e["kind"] == "card")
    assert (shown_card["object_id"], shown_card["title"], shown_card["at"]) == (str(card.pk), card.title, None)
    session = next(e for e in body["entries"] if e["kind"] == "session")
    assert session["at"].endswith(("-05:00", "-04:00"))  # the member's zone, with its offset
    weighed = next(e for e in body["entries"] if e["kind"] == "body")
    assert weighed["detail"] == "176.4 lb"
    # Series: kilograms as stored, and the trainer's pounds.
    assert body["weight_unit"] == "lb" and len(body["weight"]) == 3
    assert body["weight"][0] == {"date": body["weight"][0]["date"], "kg": "80.0000", "value": "176.4"}
    assert [p["date"] for p in body["weight"]] == sorted(p["date"] for p in body["weight"])
    (lift,) = body["lifts"]
    assert lift["exercise"] == bench.name and lift["points"]
    # Epley: 100 kg × 5 reps → 116.7 kg (the selector's tenth) → 257.3 lb.
    assert {(p["e1rm_kg"], p["e1rm"]) for p in lift["points"]} == {("116.7", "257.3")}
    assert body["adherence"] == []

    narrow = api_client.get(f"/api/v1/clients/{gym.client.pk}/timeline/?days=1&end={end - dt.timedelta(days=3)}")
    assert {e["day"] for e in narrow.json()["entries"]} == {(end - dt.timedelta(days=3)).isoformat()}

    Client.objects.filter(pk=gym.client.pk).update(grant_training=False, grant_body=False, grant_journal=True)
    body = api_client.get(f"/api/v1/clients/{gym.client.pk}/timeline/?days=30").json()
    assert {e["kind"] for e in body["entries"]} == {"card", "journal"}
    assert body["weight"] == [] and body["lifts"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("days=0", "days"),
        ("days=367", "days"),
        ("days=a-week", "days"),
        ("end=2030-02-30", "end"),
        ("end=9999-01-01", "end"),
        ("end=1900-01-10&days=30", "end"),
        ("since=2030-01-01", "since"),
    ],
)
def test_the_timeline_refuses_bad_periods_with_field_errors(api_client, gym, query, field):
    api_client.force_login(gym.trainer.user)
    response = api_client.get(f"/api/v1/clients/{gym.client.pk}/timeline/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_timeline_access(api_client, people):
    url = f"/api/v1/clients/{people.gym.client.pk}/timeline/"
    check_access(
        api_client,
        people,
        lambda c: c.get(url),
        {
            "anonymous": 401,
            "other_member": 404,
            "client": 404,
            "own_trainer": 200,
            "other_trainer": 404,
            "staff": 404,
            "staff_elsewhere": 404,
            "superuser": 404,
        },
    )
    Client.objects.filter(pk=people.gym.client.pk).update(status=ClientStatus.PAUSED)
    api_client.force_login(people.gym.trainer.user)
    assert api_client.get(url).status_code == 404  # only an active link shows the member's data


def test_ninety_days_of_timeline_cost_the_same_queries_whatever_the_history(api_client):
    grants = {f"grant_{area}": True for area in ("training", "body", "nutrition", "habits", "checkins", "journal")}
    counts = []
    for days in (5, 120):
        link = ClientFactory(**grants)
        _history(link.member, days, ExerciseFactory())
        counts.append(_queries(api_client, link.trainer.user, f"/api/v1/clients/{link.pk}/timeline/?days=90"))
    # The selector's (pinned in test_client_timeline.py) and the request's session and user: 12 in all,
    # the budget for 90 days.
    assert counts[0] == counts[1] <= 12, counts


# ---------------------------------------------------------------------------------------------------
# GET /clients/{id}/stats/ and /trainer-links/{id}/stats/


def _busy_link(gym, *, extra_cards: int = 0):
    """Bookings of every outcome, six cards, the cached numbers, and a program the trainer assigned."""
    now = timezone.now()
    for days, status in ((20, "completed"), (13, "completed"), (9, "cancelled"), (6, "no_show")):
        _booking(gym.client, now - dt.timedelta(days=days), status=status)
    _booking(gym.client, now + dt.timedelta(days=2))
    _booking(gym.client, now + dt.timedelta(days=3), status=BookingStatus.CONFIRMED)
    _booking(gym.client, now + dt.timedelta(days=4), status=BookingStatus.CANCELLED)  # not upcoming any more
    today = gym.member.local_today()
    cards = [
        SessionCardFactory(client=gym.client, date=today - dt.timedelta(days=n), title=f"Session {n}")
        for n in range(6 + extra_cards)
    ]
    Client.objects.filter(pk=gym.client.pk).update(
        sessions_count=6, last_session_date=today, attendance_pct=Decimal("66.67"), current_streak=3
    )
    program = published_program(weeks=8, days=1, author=gym.trainer.user, name="Strong in eight")
    enrollment = Enrollment.objects.create(
        user=gym.member,
        program=program,
        start_date=today - dt.timedelta(days=7),
        assigned_by=gym.trainer.user,
        current_week=2,
        progress_pct=Decimal("12.50"),
    )
    return cards, enrollment


def test_a_links_stats_count_bookings_show_the_cached_numbers_the_program_and_the_last_cards(api_client, gym):
    cards, enrollment = _busy_link(gym)
    api_client.force_login(gym.trainer.user)
    body = api_client.get(f"/api/v1/clients/{gym.client.pk}/stats/").json()
    assert (body["client"], body["status"], body["trainer"]["id"]) == (
        str(gym.client.pk),
        "active",
        str(gym.trainer.pk),
    )
    assert (
        body["sessions_total"],
        body["sessions_completed"],
        body["sessions_cancelled"],
        body["sessions_no_show"],
        body["upcoming_bookings"],
    ) == (7, 2, 2, 1, 2)
    assert (body["sessions_recorded"], body["attendance_pct"], body["current_streak"]) == (6, "66.67", 3)
    assert body["last_session_date"] == gym.member.local_today().isoformat()
    assert body["current_program_visible"] is True
    assert body["current_program"] == {
        "id": str(enrollment.pk),
        "program": str(enrollment.program_id),
        "program_name": "Strong in eight",
        "status": "active",
        "current_week": 2,
        "total_weeks": 8,
        "progress_pct": "12.50",
        "assigned_by_trainer": True,
    }
    assert body["recent_cards"] == [
        {"id": str(card.pk), "date": card.date.isoformat(), "title": card.title} for card in cards[:5]
    ]

    # The member sees the same numbers of their own link.
    api_client.force_login(gym.member)
    mine = api_client.get(f"/api/v1/trainer-links/{gym.client.pk}/stats/").json()
    assert mine == body


def test_the_program_is_shown_only_to_who_may_see_the_members_training(api_client, people):
    gym = people.gym
    _busy_link(gym)
    Enrollment.objects.filter(user=gym.member).update(assigned_by=None)
    url = f"/api/v1/clients/{gym.client.pk}/stats/"
    api_client.force_login(people.superuser)
    program = api_client.get(url).json()["current_program"]
    assert program["assigned_by_trainer"] is False and program["program_name"] == "Strong in eight"
    # Gym staff run the place, not the member's training: the bookings' numbers, no program.
    api_client.force_login(people.staff)
    body = api_client.get(url).json()
    assert body["sessions_total"] == 7 and len(body["recent_cards"]) == 5
    assert (body["current_program_visible"], body["current_program"]) == (False, None)
    # The trainer only while the member shares training.
    Client.objects.filter(pk=gym.client.pk).update(grant_training=False)
    api_client.force_login(gym.trainer.user)
    assert api_client.get(url).json()["current_program"] is None
    api_client.force_login(gym.member)
    assert api_client.get(f"/api/v1/trainer-links/{gym.client.pk}/stats/").json()["current_program"] is not None


def test_an_ended_link_keeps_its_stats_for_the_trainer_and_a_link_without_anything_counts_zero(api_client, gym):
    Client.objects.filter(pk=gym.client.pk).update(status=ClientStatus.ENDED, ended_at=timezone.now())
    api_client.force_login(gym.trainer.user)
    body = api_client.get(f"/api/v1/clients/{gym.client.pk}/stats/").json()
    assert body["status"] == "ended" and body["sessions_total"] == 0 and body["upcoming_bookings"] == 0
    assert body["recent_cards"] == [] and body["last_session_date"] is None
    assert (body["current_program_visible"], body["current_program"]) == (False, None)


def test_client_stats_access(api_client, people):
    check_access(
        api_client,
        people,
        lambda c: c.get(f"/api/v1/clients/{people.gym.client.pk}/stats/"),
        {
            "anonymous": 401,
            "other_member": 404,
            "client": 404,
            "own_trainer": 200,
            "other_trainer": 404,
            "staff": 200,
            "staff_elsewhere": 404,
            "superuser": 200,
        },
    )


def test_trainer_link_stats_access(api_client, people):
    check_access(
        api_client,
        people,
        lambda c: c.get(f"/api/v1/trainer-links/{people.gym.client.pk}/stats/"),
        {
            "anonymous": 401,
            "other_member": 404,
            "client": 200,
            "own_trainer": 404,
            "other_trainer": 404,
            "staff": 404,
            "staff_elsewhere": 404,
            "superuser": 404,
        },
    )


def test_stats_cost_the_same_queries_whatever_the_history(api_client, gym):
    trainer_url = f"/api/v1/clients/{gym.client.pk}/stats/"
    member_url = f"/api/v1/trainer-links/{gym.client.pk}/stats/"
    _booking(gym.client, timezone.now() - dt.timedelta(days=3), status=BookingStatus.COMPLETED)
    Enrollment.objects.create(
        user=gym.member, program=published_program(weeks=2, days=1), start_date=gym.member.local_today()
    )
    small = (_queries(api_client, gym.trainer.user, trainer_url), _queries(api_client, gym.member, member_url))
    now = timezone.now()
    for n in range(40):
        _booking(gym.client, now - dt.timedelta(days=n + 5), status=BookingStatus.COMPLETED)
        SessionCardFactory(client=gym.client, date=gym.member.local_today() - dt.timedelta(days=n))
    big = (_queries(api_client, gym.trainer.user, trainer_url), _queries(api_client, gym.member, member_url))
    # Session and user, then the link, one grouped count of its bookings, the enrolment and the cards.
    assert small == big == (6, 6), (small, big)


# ---------------------------------------------------------------------------------------------------
# GET /cards/?from=&to=&exercise=


def _card_with(link, day: dt.date, *exercise_names: str):
    session = SessionFactory(user=link.member)
    for order, name in enumerate(exercise_names, 1):
        exercise = ExerciseFactory(name=f"{name} {uuid.uuid4().hex[:6]}")  # the library has the plain names
        SessionExerciseFactory(session=session, exercise=exercise, order=order)
    return SessionCardFactory(client=link, date=day, session=session, title=" + ".join(exercise_names) or "Talk")


def test_cards_are_searched_by_dates_and_exercise_once_each(api_client, gym):
    day = dt.date(2030, 3, 10)
    squats = _card_with(gym.client, day, "Back Squat", "Front squat")  # two matches: still one card
    bench = _card_with(gym.client, day - dt.timedelta(days=5), "Bench Press")
    talk = _card_with(gym.client, day - dt.timedelta(days=10))
    _card_with(ClientFactory(), day, "Back Squat")  # somebody else's

    def ids(user, query: str) -> list[str]:
        api_client.force_login(user)
        response = api_client.get(f"/api/v1/cards/?{query}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(body["results"])
        return [row["id"] for row in body["results"]]

    member = gym.member
    assert ids(member, "") == [str(squats.pk), str(bench.pk), str(talk.pk)]
    assert ids(member, "exercise=SQUAT") == [str(squats.pk)]
    assert ids(member, "exercise=press") == [str(bench.pk)]
    assert ids(member, "exercise=deadlift") == []
    assert ids(member, f"from={day - dt.timedelta(days=5)}") == [str(squats.pk), str(bench.pk)]
    assert ids(member, f"to={day - dt.timedelta(days=5)}") == [str(bench.pk), str(talk.pk)]
    assert ids(member, f"from={day - dt.timedelta(days=9)}&to={day - dt.timedelta(days=1)}&exercise=e") == [
        str(bench.pk)
    ]
    assert ids(member, f"from={day}&to={day}") == [str(squats.pk)]
    # The trainer searches the workouts of links that share training.
    assert ids(gym.trainer.user, "role=trainer&exercise=squat") == [str(squats.pk)]
    Client.objects.filter(pk=gym.client.pk).update(grant_training=False)
    assert ids(gym.trainer.user, "role=trainer&exercise=squat") == []
    assert ids(gym.trainer.user, f"role=trainer&from={day}") == [str(squats.pk)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2030-03-10&to=2030-03-09", "to"),
        ("from=1800-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("from=yesterday", "from"),
        ("exercise=" + "x" * 101, "exercise"),
        ("date_from=2030-01-01", "date_from"),
    ],
)
def test_card_search_refuses_bad_filters_with_field_errors(api_client, gym, query, field):
    api_client.force_login(gym.member)
    response = api_client.get(f"/api/v1/cards/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_card_search_costs_the_same_queries_for_one_card_or_many(api_client, gym):
    url = "/api/v1/cards/?exercise=squat&from=2030-01-01&page_size=10"
    _card_with(gym.client, dt.date(2030, 3, 1), "Back Squat")
    small = _queries(api_client, gym.member, url)
    for n in range(30):
        _card_with(gym.client, dt.date(2030, 3, 2) + dt.timedelta(days=n), "Back Squat", "Goblet squat", "Row")
    big = _queries(api_client, gym.member, url)
    # Session and user, then the page's count and the page itself.
    assert small == big == 4, (small, big)


# ---------------------------------------------------------------------------------------------------
# GET /locations/


def test_locations_list_the_active_ones_with_their_hours_per_weekday(api_client, gym):
    Location.objects.filter(pk=gym.location.pk).update(name="Central", capacity=40, facilities=["sauna", "pool"])
    harbour = LocationFactory(name="Harbour", timezone="Europe/Paris", address="2 Quay")
    OpeningHoursFactory(location=harbour, weekday=0, opens=dt.time(6), closes=dt.time(12))
    OpeningHoursFactory(location=harbour, weekday=0, opens=dt.time(14), closes=dt.time(20))
    LocationFactory(name="Closed for good", is_active=False)
    api_client.force_login(gym.member)
    body = api_client.get("/api/v1/locations/").json()
    assert [row["name"] for row in body] == ["Central", "Harbour"]
    central, shown = body
    assert (central["capacity"], central["facilities"], central["timezone"]) == (40, ["sauna", "pool"], "UTC")
    assert all(day["windows"] == [{"opens": "06:00:00", "closes": "22:00:00"}] for day in central["opening_hours"])
    assert (shown["id"], shown["address"], shown["timezone"]) == (str(harbour.pk), "2 Quay", "Europe/Paris")
    assert [day["name"] for day in shown["opening_hours"]][:2] == ["Monday", "Tuesday"]
    assert shown["opening_hours"][0]["windows"] == [
        {"opens": "06:00:00", "closes": "12:00:00"},
        {"opens": "14:00:00", "closes": "20:00:00"},
    ]
    assert all(day["windows"] == [] for day in shown["opening_hours"][1:])  # closed the rest of the week


def test_locations_access(api_client, people):
    check_access(
        api_client,
        people,
        lambda c: c.get("/api/v1/locations/"),
        {
            "anonymous": 401,
            "other_member": 200,
            "client": 200,
            "own_trainer": 200,
            "other_trainer": 200,
            "staff": 200,
            "staff_elsewhere": 200,
            "superuser": 200,
        },
    )


def test_locations_cost_two_queries_however_many_there_are(api_client, gym):
    small = _queries(api_client, gym.member, "/api/v1/locations/")
    for _ in range(10):
        location = LocationFactory()
        for weekday in range(7):
            OpeningHoursFactory(location=location, weekday=weekday)
    big = _queries(api_client, gym.member, "/api/v1/locations/")
    # Session and user, then the locations and their hours.
    assert small == big == 4, (small, big)


def test_the_schema_documents_the_gym_operations_their_parameters_and_errors(api_client, gym):
    api_client.force_login(gym.member)
    paths = api_client.get("/api/v1/schema/?format=json").json()["paths"]
    for path, codes, parameters in (
        ("/api/v1/trainer-dashboard/", {"200", "400", "401", "403", "404"}, {"trainer"}),
        ("/api/v1/clients/{client_id}/timeline/", {"200", "400", "401", "403", "404"}, {"days", "end"}),
        ("/api/v1/clients/{client_id}/stats/", {"200", "401", "403", "404"}, set()),
        ("/api/v1/trainer-links/{link_id}/stats/", {"200", "401", "403", "404"}, set()),
        ("/api/v1/locations/", {"200", "401", "403"}, set()),
        ("/api/v1/cards/", {"200", "400", "401", "403"}, {"role", "from", "to", "exercise", "page", "page_size"}),
    ):
        operation = paths[path]["get"]
        assert codes <= set(operation["responses"]), path
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert documented == parameters, (path, documented)
