"""A client's timeline in the admin (issue 13): the trainer's own active client only, each kind of data
only where the client shares it (and the page says which), by day, newest first, with charts in the
trainer's units; every opening in the client's audit trail; nobody else's client; a query count that
does not grow with the history."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.admin.base import CLIENT_DATA_VIEW
from accounts.models import AuditLog, User
from coaching.models import Client, ClientStatus
from fitjourney.hooks import roles
from training.models import Enrollment, EnrollmentDay
from training.tests.enrollment_helpers import published_program

from .bookings_kit import People, check_access, make_gym, make_people
from .factories import SessionCardFactory
from .test_client_timeline import _history

pytestmark = pytest.mark.django_db

TIMELINE = "admin:coaching_trainerdashboard_timeline"
ALL_GRANTS = {f"grant_{area}": True for area in ("training", "body", "nutrition", "habits", "checkins", "journal")}
# The tables the request's own queries read from (the session, the user, the permissions).
REQUEST_TABLES = ("django_session", "accounts_user", "auth_permission")


@pytest.fixture
def people() -> People:
    roles.groups_sync()
    people = make_people(make_gym())
    roles.assign(user=people.staff, role=roles.GYM_STAFF)
    roles.assign(user=people.staff_elsewhere, role=roles.GYM_STAFF)
    User.objects.filter(pk=people.gym.member.pk).update(first_name="Ada", last_name="Lovelace")
    return people


def _url(link: Client, days: int | str | None = None) -> str:
    url = reverse(TIMELINE, args=[link.pk])
    return url if days is None else f"{url}?days={days}"


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def _chart(page: str, source: str) -> dict:
    match = re.search(rf'<script id="{source}" type="application/json">(.*?)</script>', page)
    assert match, f"no chart data {source}"
    data: dict = json.loads(match.group(1))
    return data


def _kinds(page: str) -> set[str]:
    return set(re.findall(r'data-kind="(\w+)"', page))


def _program_days(member: User, days_ago: list[int]) -> None:
    """A current program with a day done on each of `days_ago`."""
    program = published_program(weeks=4, days=3)
    today = member.local_today()
    enrollment = Enrollment.objects.create(
        user=member, program=program, start_date=today - dt.timedelta(days=27), sessions_planned=12
    )
    for program_session, ago in zip(program.sessions.order_by("week", "day"), days_ago, strict=False):
        EnrollmentDay.objects.create(
            enrollment=enrollment,
            program_session=program_session,
            week=program_session.week,
            day=program_session.day,
            status="done",
            local_date=today - dt.timedelta(days=ago),
        )


@pytest.fixture
def history(people):
    """Twenty days of the member's logs (sessions, weigh-ins, habits, journal, check-ins), a card from the
    trainer, three program days done; the trainer reads imperial units."""
    gym = people.gym
    User.objects.filter(pk=gym.trainer.user_id).update(unit_system="imperial")
    _history(gym.member, 20)
    SessionCardFactory(client=gym.client, trainer=gym.trainer, title="Coached squat day")
    _program_days(gym.member, [1, 2, 9])
    return gym.client


# ---------------------------------------------------------------------------------------------------
# What the trainer sees


def test_the_trainer_sees_what_the_client_shares_by_day_with_charts_in_their_units(client, people, history):
    client.force_login(people.gym.trainer.user)
    page = _text(client.get(_url(history)))
    assert "<h1>Timeline of Ada Lovelace</h1>" in page
    shared = page.split('data-testid="shared">')[1].split("</p>")[0]
    assert "Training (sessions, records, programs); Body metrics" in shared
    assert (
        "Does not share:</strong> Nutrition (diary, plan); Habits; Check-ins (sleep, energy, stress); Journal" in shared
    )
    # Only the kinds shared (and the trainer's own cards): no habits, journal or check-ins.
    assert _kinds(page) == {"session", "body", "card"}
    assert "Coached squat day" in page
    body_rows = re.findall(r'<tr data-kind="body">(.*?)</tr>', page)
    assert body_rows and all(" lb</td>" in row for row in body_rows)
    # By day, newest first.
    days = re.findall(r'<th scope="rowgroup" colspan="4"><time datetime="([\d-]+)">', page)
    assert days == sorted(days, reverse=True) and len(days) == len(set(days)) > 5
    # The charts, each with its heading, summary and table.
    weight = _chart(page, "weight-data")
    assert weight["unit"] == "lb" and len(weight["labels"]) == 3  # weighed every 7th day of 20
    assert weight["series"][0]["values"][0] > 170  # 80 kg as pounds
    assert '<h3 id="weight-title">Weight (lb)</h3>' in page and "Weight as a table" in page
    lift = _chart(page, "lift-0-data")
    assert lift["unit"] == "lb" and all(value > 180 for value in lift["series"][0]["values"])
    assert "Estimated 1RM: Bench" in page
    adherence = _chart(page, "adherence-data")
    assert sum(adherence["series"][0]["values"]) == 3
    assert "3 program days done in" in page
    # Nothing in kilograms anywhere on the page for a trainer who reads pounds.
    words = re.sub(r"<[^>]+>", " ", re.sub(r"<script\b.*?</script>", " ", page))
    assert not re.search(r"(\d\s*kg(?![a-z])|\(kg\))", words)


def test_a_kind_is_shown_only_while_the_client_shares_it(client, people, history):
    client.force_login(people.gym.trainer.user)
    Client.objects.filter(pk=history.pk).update(grant_body=False)
    page = _text(client.get(_url(history)))
    assert "body" not in _kinds(page) and 'id="weight-data"' not in page
    assert "Not shared: the client does not share body metrics." in page
    Client.objects.filter(pk=history.pk).update(grant_body=True, grant_habits=True, grant_journal=True)
    page = _text(client.get(_url(history)))
    assert {"body", "habit", "journal"} <= _kinds(page) and 'id="weight-data"' in page
    Client.objects.filter(pk=history.pk).update(grant_training=False)
    page = _text(client.get(_url(history)))
    assert "session" not in _kinds(page) and 'id="lift-0-data"' not in page and 'id="adherence-data"' not in page
    assert "Not shared: the client does not share their training." in page


def test_the_period_is_chosen_among_30_90_180_and_365_days(client, people, history):
    client.force_login(people.gym.trainer.user)
    page = _text(client.get(_url(history, 30)))
    assert f'<a href="{_url(history, 30)}" aria-current="page">30 days</a>' in page
    for days in (90, 180, 365):
        assert f'<a href="{_url(history, days)}">{days} days</a>' in page
    start = (people.gym.member.local_today() - dt.timedelta(days=29)).strftime("%-d %b %Y")
    assert f"From {start} to" in page
    for nonsense in ("7", "abc", "100000"):
        page = _text(client.get(_url(history, nonsense)))
        assert f'<a href="{_url(history, 90)}" aria-current="page">90 days</a>' in page


def test_an_empty_period_says_so(client, people):
    client.force_login(people.gym.trainer.user)
    page = _text(client.get(_url(people.gym.client)))
    assert "Nothing in this period." in page and "No weigh-ins in this period." in page
    assert "No sets with weight and reps in this period." in page and "No program days done in this period." in page


# ---------------------------------------------------------------------------------------------------
# The audit trail


def test_each_opening_is_written_to_the_clients_audit_trail(client, people, history):
    trainer = people.gym.trainer.user
    client.force_login(trainer)
    client.get(_url(history, 30))
    entry = AuditLog.objects.get(action=CLIENT_DATA_VIEW)
    assert entry.actor_id == trainer.pk and entry.subject_id == people.gym.member.pk
    assert entry.entity_type == "coaching.client" and entry.entity_id == str(history.pk)
    assert entry.new_values == {
        "page": "timeline",
        "days": 30,
        "areas": ["training", "body"],
        "admin": "TrainerDashboardAdmin",
    }
    client.get(_url(history))
    assert AuditLog.objects.filter(action=CLIENT_DATA_VIEW, subject_id=people.gym.member.pk).count() == 2
    # Refused openings are not recorded as openings.
    client.force_login(people.other_trainer.user)
    assert client.get(_url(history)).status_code == 404
    assert AuditLog.objects.filter(action=CLIENT_DATA_VIEW).count() == 2


def test_a_superuser_sees_the_timeline_as_the_trainer_does_and_is_recorded(client, people, history):
    client.force_login(people.superuser)
    page = _text(client.get(_url(history)))
    assert f"You see this timeline as {people.gym.trainer} does" in page
    assert _kinds(page) == {"session", "body", "card"} and _chart(page, "weight-data")["unit"] == "lb"
    assert AuditLog.objects.get(action=CLIENT_DATA_VIEW).actor_id == people.superuser.pk


# ---------------------------------------------------------------------------------------------------
# Who may ask


def test_only_the_clients_own_trainer_and_superusers_open_the_timeline(client, people):
    url = _url(people.gym.client)
    check_access(
        client,
        people,
        lambda c: c.get(url),
        {
            "anonymous": 302,
            "other_member": 302,
            "client": 302,
            "own_trainer": 200,
            "other_trainer": 404,
            "staff": 404,  # the gym's staff see the trainer's dashboard, not the client's data
            "staff_elsewhere": 404,
            "superuser": 200,
        },
    )


def test_people_who_are_not_staff_are_sent_to_the_admins_login(client, people):
    login = reverse("admin:login")
    for user in (None, people.other_member, people.gym.member):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(_url(people.gym.client))
        assert response.status_code == 302 and response.url.startswith(login)


@pytest.mark.parametrize("status", [ClientStatus.ENDED, ClientStatus.PAUSED, ClientStatus.INVITED])
def test_a_link_that_is_not_active_is_a_404_for_everyone(client, people, status):
    link = people.gym.client
    Client.objects.filter(pk=link.pk).update(
        status=status, ended_at=timezone.now() if status == ClientStatus.ENDED else None
    )
    for user in (people.gym.trainer.user, people.superuser):
        client.force_login(user)
        assert client.get(_url(link)).status_code == 404
    assert not AuditLog.objects.filter(action=CLIENT_DATA_VIEW).exists()


# ---------------------------------------------------------------------------------------------------
# Queries


def _table(sql: str) -> str:
    """The table a query reads from first ("" for one that reads none)."""
    match = re.search(r'FROM "(\w+)"', sql)
    return match.group(1) if match else ""


def _count(client, url: str) -> tuple[int, int]:
    """(the whole request's queries, the page's reads: not the request's own, nor the audit entry)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    reads = [
        q for q in ctx.captured_queries if q["sql"].startswith("SELECT") and _table(q["sql"]) not in REQUEST_TABLES
    ]
    return len(ctx), len(reads)


@pytest.mark.parametrize("persona", ["own_trainer", "superuser"])
def test_the_timeline_costs_the_same_queries_whatever_the_history(client, people, persona):
    counts = []
    for days in (3, 120):
        link = Client.objects.get(pk=people.gym.client.pk) if days == 3 else None
        if link is None:
            from .factories import ClientFactory

            link = ClientFactory(trainer=people.gym.trainer)
        Client.objects.filter(pk=link.pk).update(**ALL_GRANTS)
        _history(link.member, days)
        _program_days(link.member, [1, 2, 9, 10, 16])
        for _ in range(days // 10 + 1):
            SessionCardFactory(client=link, trainer=people.gym.trainer)
        client.force_login(people.as_dict()[persona])
        counts.append(_count(client, _url(link, 365)))
    assert counts[0] == counts[1]
    whole, reads = counts[0]
    assert reads <= 12
    # The request's (session, user, and a trainer's 2 of permissions: a superuser has them all); the link,
    # the cards, sessions, lifts, program days, body metrics, food, habits, check-ins and journal (10, and a
    # superuser's 11th: whose client it is); the audit entry.
    assert (whole, reads) == ((15, 10) if persona == "own_trainer" else (14, 11))
