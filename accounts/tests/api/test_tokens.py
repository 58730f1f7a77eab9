from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from accounts.tokens import hash_token
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

LIST = "/api/v1/tokens/"
ALL_SCOPES = ["read", "write", "tokens"]


@pytest.fixture
def manager_client(member):
    """A client with a token of `member` that may manage tokens (the `tokens` scope)."""
    issued = services.api_token_create(user=member, name="pytest", scopes=ALL_SCOPES)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    client.token = issued
    return client


def _detail(token):
    return f"/api/v1/tokens/{token.id}/"


def test_access_to_list_and_detail(personas):
    issued = services.api_token_create(user=personas.owner, name="owner's")
    client = APIClient()
    assert_access(
        client,
        personas,
        lambda c: c.get(LIST),
        {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(_detail(issued.token)),
        {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(
        client,
        personas,
        lambda c: c.delete(_detail(issued.token)),
        {"anonymous": 401, "owner": 204, "other_member": 404, "trainer": 404, "staff": 404},
    )


def test_the_list_shows_only_my_tokens_and_never_a_hash(manager_client, member, personas):
    services.api_token_create(user=personas.other_member, name="not mine")
    body = manager_client.get(LIST).json()
    assert [t["name"] for t in body["results"]] == ["pytest"]
    assert "token_hash" not in body["results"][0] and "token" not in body["results"][0]


def test_create_returns_the_raw_token_once(manager_client, member):
    response = manager_client.post(
        LIST, {"name": "CI script", "expires_in_days": 10, "device_info": {"os": "linux"}}, format="json"
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.user == member and token.token_hash == hash_token(raw)
    assert token.device_info == {"os": "linux"}
    assert "token" not in manager_client.get(_detail(token)).json()
    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x", "expires_in_days": 0},
        {"name": "x", "expires_in_days": "soon"},
        {"name": "x", "user": "someone-else"},
        {"name": "x", "device_info": {"os": "a\x00b"}},
        {"name": "x", "device_info": {"k\x00": "v"}},
        {"name": "x", "device_info": "not a dict"},
    ],
)
def test_bad_create_input_is_a_400_and_creates_nothing(manager_client, body):
    before = ApiToken.objects.count()
    response = manager_client.post(LIST, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert ApiToken.objects.count() == before


def test_delete_revokes_and_the_token_stops_working(member):
    issued = services.api_token_create(user=member, name="to revoke", scopes=ALL_SCOPES)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert client.delete(_detail(issued.token)).status_code == 204
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None
    assert client.get(LIST).status_code == 401


def test_list_query_count_does_not_grow(manager_client, member):
    with assert_max_queries(4) as few:
        manager_client.get(LIST)
    for i in range(15):
        services.api_token_create(user=member, name=f"t{i}")
    with assert_max_queries(len(few)):
        manager_client.get(LIST)


@pytest.mark.parametrize("page", ["999999999999999999999999", "0", "-1", "abc", "\x00"])
def test_a_bad_page_number_is_a_404_json_error(manager_client, page):
    response = manager_client.get(LIST, {"page": page})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_page_size_is_capped(manager_client, member):
    for i in range(3):
        services.api_token_create(user=member, name=f"t{i}")
    body = manager_client.get(LIST, {"page_size": 100000}).json()
    assert body["count"] == 4 and len(body["results"]) == 4
