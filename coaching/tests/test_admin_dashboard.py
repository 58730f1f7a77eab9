"""The trainer dashboard in the admin (issue 13): a trainer's own numbers, bookings and clients needing
attention; gym staff and superusers the trainers they may see, each trainer's dashboard one click away;
a refresh queued by a POST; nobody else's dashboard; a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import Booking, BookingStatus, Trainer, TrainerDashboard
from coaching.services import dashboard as services
from fitjourney.hooks import roles

from .bookings_kit import People, check_access, make_gym, make_people
from .factories import BookingFactory, ClientFactory, SessionCardFactory, TrainerFactory
from .test_gym_dashboard import _struggling_client

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:coaching_trainerdashboard_changelist"
TRAINER = "admin:coaching_trainerdashboard_trainer"
REFRESH = "admin:coaching_trainerdashboard_refresh"
TIMELINE = "admin:coaching_trainerdashboard_timeline"

# The tables the request's own queries read from (the session, the user, the user's and their groups'
# permissions): the rest are the page's.
REQUEST_TABLES = ("django_session", "accounts_user", "auth_permission")


@pytest.fixture
def people() -> People:
    roles.groups_sync()
    people = make_people(make_gym(zone="Europe/Berlin"))
    # The gym's staff work in the admin, as roles.assign makes them (make_people leaves them plain members).
    roles.assign(user=people.staff, role=roles.GYM_STAFF)
    roles.assign(user=people.staff_elsewhere, role=roles.GYM_STAFF)
    return people


def _rename(user: User, first: str, last: str) -> None:
    User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)


def _local(trainer: Trainer, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=trainer.user.zone)


def _book(link, location, starts_at: dt.datetime, status: str = BookingStatus.SCHEDULED, minutes: int = 60) -> Booking:
    return BookingFactory.create(
        client=link,
        location=location,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        status=status,
        cancelled_at=starts_at if status == BookingStatus.CANCELLED else None,
    )


def _history(people: People, *, clients: int = 1, cards: int = 1, past: int = 5) -> dict:
    """The gym's trainer: in Berlin, 4.5 stars from 1,234 ratings, a struggling client and `clients` more,
    a booking today and one on another day of this week, `past` finished bookings and `cards` cards."""
    gym = people.gym
    trainer = gym.trainer
    User.objects.filter(pk=trainer.user_id).update(timezone="Europe/Berlin")
    trainer.refresh_from_db()
    Trainer.objects.filter(pk=trainer.pk).update(rating_average=Decimal("4.50"), rating_count=1234)
    _rename(gym.member, "Ada", "Lovelace")
    struggling = _struggling_client(trainer=trainer, grant_training=True, grant_body=True)
    _rename(struggling.member, "Grace", "Hopper")
    day = timezone.localdate(timezone.now(), trainer.user.zone)
    other_day = day - dt.timedelta(days=1) if day.weekday() else day + dt.timedelta(days=1)
    today = _book(gym.client, gym.location, _local(trainer, day, 12))
    later = _book(gym.client, gym.location, _local(trainer, other_day, 9))
    outcomes = [BookingStatus.COMPLETED] * 3 + [BookingStatus.CANCELLED, BookingStatus.NO_SHOW]
    for n in range(past):
        start = timezone.now() - dt.timedelta(days=10 + n)
        _book(gym.client, gym.location, start, outcomes[n % len(outcomes)])
    for _ in range(clients - 1):
        ClientFactory(trainer=trainer)
    for _ in range(cards):
        SessionCardFactory(client=gym.client, trainer=trainer, date=gym.member.local_today())
    services.trainer_dashboard_refresh(trainer_id=trainer.pk)
    return {"trainer": trainer, "today": today, "later": later, "struggling": struggling, "day": day}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# ---------------------------------------------------------------------------------------------------
# What a trainer sees


def test_a_trainer_sees_their_numbers_bookings_and_clients_needing_attention(client, people):
    data = _history(people)
    client.force_login(people.gym.trainer.user)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Your dashboard</h1>" in page
    # The numbers, as people write them: 2 active clients, 3 of 5 sessions completed, 1 of 4 missed.
    assert re.search(r'data-testid="active-clients">2<', page)
    assert re.search(r'data-testid="completion-rate">60 %', page)
    assert re.search(r'data-testid="no-show-rate">25 %', page)
    assert re.search(r'data-testid="rating">4.5<small>1,234 ratings', page)
    assert re.search(r'data-testid="sessions-month">1<', page)
    assert re.search(r'data-testid="needing-attention">1<', page)
    # Bookings in the trainer's time zone (Berlin): today's at 12:00, with the client and the location.
    today = page.split('id="today-bookings"')[1].split("</table>")[0]
    assert "12:00–13:00" in today and "Ada Lovelace" in today and people.gym.location.name in today
    assert "Scheduled" in today
    week = page.split('id="week-bookings"')[1].split("</table>")[0]
    assert "09:00–10:00" in week and "12:00–13:00" in week
    # The client needing attention, with every reason in words, linking to their timeline.
    attention = page.split('id="attention"')[1].split("</table>")[0]
    timeline = reverse(TIMELINE, args=[data["struggling"].pk])
    assert f'<a href="{timeline}">Grace Hopper</a>' in attention
    for reason in (
        "No session for 14 days",
        "Program adherence under 50 %",
        "Estimated 1RM of a main lift falling",
        "Body weight moving against the goal",
    ):
        assert reason in attention
    assert "Ada Lovelace" not in attention
    assert "−10 %" in attention and "+2 kg" in attention
    # When the numbers were refreshed, and the button that refreshes them (a POST with a CSRF token).
    assert 'data-testid="refreshed-at"' in page
    refresh = reverse(REFRESH, args=[data["trainer"].pk])
    assert f'<form method="post" action="{refresh}">' in page and "csrfmiddlewaretoken" in page


def test_each_booking_links_to_its_admin_page_once_there_is_one(client, people):
    data = _history(people)
    client.force_login(people.gym.trainer.user)
    page = _text(client.get(reverse(DASHBOARD)))
    try:
        url = reverse("admin:coaching_booking_change", args=[data["today"].pk])
    except NoReverseMatch:
        assert "12:00–13:00" in page  # shown without a link until the bookings' admin exists
    else:
        assert f'<a href="{url}">12:00–13:00</a>' in page


def test_a_trainer_in_another_unit_system_reads_weight_changes_in_it(client, people):
    _history(people)
    User.objects.filter(pk=people.gym.trainer.user_id).update(unit_system="imperial")
    client.force_login(people.gym.trainer.user)
    attention = _text(client.get(reverse(DASHBOARD))).split('id="attention"')[1]
    assert "+4.4 lb" in attention and "kg" not in attention


def test_before_the_first_refresh_the_page_says_so(client, people):
    client.force_login(people.other_trainer.user)
    page = _text(client.get(reverse(DASHBOARD)))
    assert "The numbers have not been computed yet." in page and "Refresh now" in page
    assert "No bookings today." in page


def test_a_trainer_without_a_profile_is_asked_to_write_one(client, people):
    from .factories import _trainer_user

    client.force_login(_trainer_user())
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200 and "Write your profile" in response.content.decode()


def test_the_admin_index_lists_the_trainer_dashboard(client, people):
    client.force_login(people.gym.trainer.user)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse(DASHBOARD)}"' in page and "Trainer dashboard" in page


# ---------------------------------------------------------------------------------------------------
# What gym staff and superusers see


def test_staff_see_the_trainers_of_their_locations_and_open_their_dashboards(client, people):
    data = _history(people)
    _rename(people.gym.trainer.user, "Tess", "Trainer")
    _rename(people.other_trainer.user, "Otto", "Elsewhere")
    client.force_login(people.staff)
    page = _text(client.get(reverse(DASHBOARD)))
    trainers = page.split('id="trainers"')[1].split("</table>")[0]
    url = reverse(TRAINER, args=[data["trainer"].pk])
    assert f'<a href="{url}">Tess Trainer</a>' in trainers and "Otto Elsewhere" not in trainers
    assert "60 %" in trainers and "25 %" in trainers and "(1,234)" in trainers

    response = client.get(url)
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Dashboard of Tess Trainer</h1>" in page and "Grace Hopper" in page
    # Staff may not open a client's timeline (it is the trainer's): the names are not links.
    assert reverse(TIMELINE, args=[data["struggling"].pk]) not in page

    client.force_login(people.staff_elsewhere)
    page = _text(client.get(reverse(DASHBOARD)))
    assert "No trainers work at your locations." in page


def test_a_superuser_sees_every_trainer(client, people):
    data = _history(people)
    client.force_login(people.superuser)
    page = _text(client.get(reverse(DASHBOARD)))
    assert reverse(TRAINER, args=[data["trainer"].pk]) in page
    assert reverse(TRAINER, args=[people.other_trainer.pk]) in page
    assert "Not computed yet" in page  # the other trainer has no summary row yet
    page = _text(client.get(reverse(TRAINER, args=[data["trainer"].pk])))
    assert reverse(TIMELINE, args=[data["struggling"].pk]) in page


# ---------------------------------------------------------------------------------------------------
# Who may ask


def test_the_dashboard_page_answers_everybody_with_their_own(client, people):
    check_access(
        client,
        people,
        lambda c: c.get(reverse(DASHBOARD)),
        {
            "anonymous": 302,
            "other_member": 302,
            "client": 302,
            "own_trainer": 200,
            "other_trainer": 200,  # their own dashboard
            "staff": 200,
            "staff_elsewhere": 200,  # nobody's: no trainer works at their location
            "superuser": 200,
        },
    )


def test_a_trainers_dashboard_is_theirs_their_locations_staffs_and_superusers(client, people):
    url = reverse(TRAINER, args=[people.gym.trainer.pk])
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
            "staff": 200,
            "staff_elsewhere": 404,
            "superuser": 200,
        },
    )


def test_people_who_are_not_staff_are_sent_to_the_admins_login(client, people):
    login = reverse("admin:login")
    url = reverse(TRAINER, args=[people.gym.trainer.pk])
    for user in (None, people.other_member, people.gym.member):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login)


def test_an_unknown_trainer_is_a_404_even_for_a_superuser(client, people):
    import uuid

    client.force_login(people.superuser)
    assert client.get(reverse(TRAINER, args=[uuid.uuid4()])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Refresh


def test_refresh_now_queues_the_refresh_of_that_trainers_numbers(client, people, django_capture_on_commit_callbacks):
    trainer = people.gym.trainer
    assert not TrainerDashboard.objects.filter(trainer=trainer).exists()
    client.force_login(trainer.user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse(REFRESH, args=[trainer.pk]))
    assert response.status_code == 302 and response.url == reverse(DASHBOARD)
    assert len(callbacks) == 1
    dashboard = TrainerDashboard.objects.get(trainer=trainer)  # the task ran (eagerly, in the tests)
    assert dashboard.active_clients == 1
    page = client.get(response.url).content.decode()
    assert "A refresh is queued" in page

    # Staff refresh a trainer of their location, and come back to that trainer's page.
    client.force_login(people.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(REFRESH, args=[trainer.pk]))
    assert response.status_code == 302 and response.url == reverse(TRAINER, args=[trainer.pk])


def test_refresh_is_a_post_for_whoever_may_see_the_trainer(client, people):
    url = reverse(REFRESH, args=[people.gym.trainer.pk])
    client.force_login(people.gym.trainer.user)
    assert client.get(url).status_code == 405  # a GET never writes
    check_access(
        client,
        people,
        lambda c: c.post(url),
        {
            "anonymous": 302,
            "other_member": 302,
            "client": 302,
            "own_trainer": 302,
            "other_trainer": 404,
            "staff": 302,
            "staff_elsewhere": 404,
            "superuser": 302,
        },
    )


# ---------------------------------------------------------------------------------------------------
# Queries


def _table(sql: str) -> str:
    """The table a query reads from first ("" for one that reads none)."""
    match = re.search(r'FROM "(\w+)"', sql)
    return match.group(1) if match else ""


def _count(client, url: str) -> tuple[int, int]:
    """(the whole request's queries, the page's own: not the session, the user or their permissions)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    own = [q for q in ctx.captured_queries if _table(q["sql"]) not in REQUEST_TABLES]
    return len(ctx), len(own)


def test_the_trainers_dashboard_costs_the_same_queries_whatever_the_data(client, people):
    _history(people)
    trainer = people.gym.trainer
    client.force_login(trainer.user)
    small = _count(client, reverse(DASHBOARD))

    # Many more clients (a few needing attention), bookings this week and long ago, and cards.
    for _ in range(4):
        _struggling_client(trainer=trainer, grant_training=True, grant_body=True)
    midnight = _local(trainer, timezone.localdate(timezone.now(), trainer.user.zone), 0)
    for n in range(12):  # today, from midnight, half an hour each
        link = ClientFactory(trainer=trainer)
        _book(link, people.gym.location, midnight + dt.timedelta(minutes=30 * n), minutes=30)
        SessionCardFactory(client=link, trainer=trainer)
    for n in range(30):
        start = timezone.now() - dt.timedelta(days=60 + n)
        _book(people.gym.client, people.gym.location, start, BookingStatus.COMPLETED)
    services.trainer_dashboard_refresh(trainer_id=trainer.pk)
    big = _count(client, reverse(DASHBOARD))
    assert big == small
    whole, own = big
    # The request's 4 (session, user, the user's and their groups' permissions), then the page's 4: is the
    # user gym staff, the trainer with their summary row, the week's bookings, the clients needing attention.
    assert (whole, own) == (8, 4)


def test_a_trainers_page_for_staff_and_the_list_cost_the_same_whatever_the_data(client, people):
    _history(people)
    client.force_login(people.staff)
    url = reverse(TRAINER, args=[people.gym.trainer.pk])
    small = (_count(client, reverse(DASHBOARD)), _count(client, url))
    for _ in range(5):
        other = TrainerFactory()
        other.locations.add(people.gym.location)
        services.trainer_dashboard_refresh(trainer_id=ClientFactory(trainer=other).trainer_id)
    _struggling_client(trainer=people.gym.trainer, grant_training=True)
    services.trainer_dashboard_refresh(trainer_id=people.gym.trainer.pk)
    big = (_count(client, reverse(DASHBOARD)), _count(client, url))
    # The list: the request's 4, is the user gym staff, the count of trainers and their page with their rows.
    # A trainer's page: the request's 4, may the user see that trainer, then the dashboard's 3.
    assert big == small == ((7, 3), (8, 4))
