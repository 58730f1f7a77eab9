from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

URL = reverse("accounts:settings")


def _valid(**overrides):
    data = {
        "first_name": "Ana",
        "last_name": "Silva",
        "username": "ana_s",
        "timezone": "Europe/Lisbon",
        "language": "en",
        "unit_system": "imperial",
        "date_format": "d/m/Y",
    }
    data.update(overrides)
    return data


def test_access(client, personas):
    assert_access(
        client,
        personas,
        lambda c: c.get(URL),
        {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )


def test_each_person_sees_only_their_own_details(client, personas):
    client.force_login(personas.other_member)
    page = client.get(URL).content.decode()
    assert personas.other_member.email in page
    assert personas.owner.email not in page


def test_it_saves_the_details(client, member):
    client.force_login(member)
    response = client.post(URL, _valid())
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.timezone, member.unit_system, member.date_format) == (
        "Ana",
        "Europe/Lisbon",
        "imperial",
        "d/m/Y",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"unit_system": "cubits"}, "unit_system"),
        ({"username": "ab"}, "username"),
        ({"username": "TAKEN"}, "username"),
        ({"first_name": "A\x00na"}, "first_name"),
    ],
)
def test_bad_input_shows_the_error_and_changes_nothing(client, member, overrides, field):
    UserFactory(username="taken")
    client.force_login(member)
    before = (member.first_name, member.username, member.timezone, member.unit_system)
    response = client.post(URL, _valid(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    member.refresh_from_db()
    assert (member.first_name, member.username, member.timezone, member.unit_system) == before


def test_the_persons_time_zone_is_active_on_every_request(client):
    # Kiribati is UTC+14: for most of each UTC day its calendar date differs from UTC's.
    user = UserFactory(timezone="Pacific/Kiritimati", date_format="Y-m-d")
    client.force_login(user)
    page = client.get(reverse("coaching:today")).content.decode()
    local = dt.datetime.now(zoneinfo.ZoneInfo("Pacific/Kiritimati")).date()
    assert local.isoformat() in page


def test_settings_page_query_count_does_not_grow_with_tokens(client, member):
    from accounts import services

    client.force_login(member)
    services.api_token_create(user=member, name="one")
    with assert_max_queries(6) as few:
        client.get(URL)
    for i in range(10):
        services.api_token_create(user=member, name=f"device {i}")
    with assert_max_queries(len(few)):
        client.get(URL)
