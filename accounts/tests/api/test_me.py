from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"


def test_access(personas):
    assert_access(
        APIClient(),
        personas,
        lambda c: c.get(URL),
        {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )


def test_it_reads_the_person_behind_the_token(token_client, member):
    with assert_max_queries(3):
        response = token_client.get(URL)
    assert response.status_code == 200
    assert response.json()["email"] == member.email
    assert response.json()["id"] == str(member.id)


def test_it_updates_the_person(token_client, member):
    response = token_client.patch(
        URL, {"first_name": "Kai", "unit_system": "imperial", "timezone": "Asia/Tokyo"}, format="json"
    )
    assert response.status_code == 200, response.json()
    member.refresh_from_db()
    assert (member.first_name, member.unit_system, member.timezone) == ("Kai", "imperial", "Asia/Tokyo")


def test_the_token_records_its_last_use(token_client):
    token = token_client.token.token
    assert token.last_used_at is None
    token_client.get(URL)
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": 12345678901234567890 * 10**100}, "first_name"),
        ({"unit_system": "furlongs"}, "unit_system"),
        ({"timezone": "Nowhere/City"}, "timezone"),
        ({"first_name": "Ka\x00i"}, "first_name"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"email": "new@example.com"}, "email"),
        ({"username": "a"}, "username"),
        ({"first_name": ["a", "list"]}, "first_name"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_written(token_client, member, body, field):
    before = User.objects.values().get(pk=member.pk)
    response = token_client.patch(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    assert field in error["fields"], error
    assert User.objects.values().get(pk=member.pk) == before


def test_a_taken_username_is_a_field_error(token_client, personas):
    response = token_client.patch(URL, {"username": personas.other_member.username.upper()}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"first_name": NaN}', b"[1, 2]", b'"just a string"', b"\xff\xfe", b'{"first_name": "\\u0000"}'],
)
def test_malformed_bodies_are_a_4xx_never_a_500(token_client, member, raw):
    before = User.objects.values().get(pk=member.pk)
    response = token_client.generic("PATCH", URL, raw, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "error" in json.loads(response.content)
    assert User.objects.values().get(pk=member.pk) == before


def test_an_unsupported_media_type_is_a_415(token_client):
    response = token_client.generic("PATCH", URL, "first_name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("header", ["Bearer fj_not-a-real-token", "Bearer", "Bearer a b", "Bearer \xe9t\xe9"])
def test_bad_tokens_are_refused(member, header):
    client = APIClient()
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_revoked_and_expired_tokens_are_refused(member):
    revoked = services.api_token_create(user=member, name="revoked")
    services.api_token_revoke(token=revoked.token)
    expired = services.api_token_create(user=member, name="expired", expires_in_days=1)
    type(expired.token).objects.filter(pk=expired.token.pk).update(
        created_at=expired.token.created_at.replace(year=2020), expires_at=expired.token.created_at.replace(year=2021)
    )
    for issued in (revoked, expired):
        response = APIClient().get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
        assert response.status_code == 401


def test_session_authentication_works_for_the_browser(client, member):
    client.force_login(member)
    assert client.get(URL).json()["email"] == member.email
