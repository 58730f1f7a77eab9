"""Token scopes (read, write, tokens), tokens minted by tokens, and revoking what a token minted."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, AuditAction, AuditLog
from accounts.tests.factories import PASSWORD, UserFactory
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
TOKENS = "/api/v1/tokens/"
OBTAIN = "/api/v1/auth/token/"


def _client(issued) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    return client


def _token(user, *scopes, **kwargs):
    return services.api_token_create(user=user, name="-".join(scopes) or "default", scopes=scopes or None, **kwargs)


def _mint(parent, body):
    return _client(parent).post(TOKENS, {"name": "child", **body}, format="json")


# Scopes on every API operation


def test_a_read_only_token_reads_but_cannot_write(member):
    client = _client(_token(member, "read"))

    assert client.get(ME).status_code == 200
    response = client.patch(ME, {"first_name": "Changed"}, format="json")

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "insufficient_scope" and "“write”" in error["message"]
    member.refresh_from_db()
    assert member.first_name != "Changed"


def test_scopes_apply_to_the_other_apps_endpoints_too(member):
    reader = _client(_token(member, "read"))
    assert reader.get("/api/v1/habits/").status_code == 200
    assert reader.post("/api/v1/water/", {"amount_ml": 250}, format="json").status_code == 403


def test_a_read_write_token_writes_but_cannot_manage_tokens(member):
    client = _client(_token(member, "read", "write"))

    assert client.patch(ME, {"first_name": "Changed"}, format="json").status_code == 200
    for response in (client.get(TOKENS), client.post(TOKENS, {"name": "more"}, format="json")):
        assert response.status_code == 403 and response.json()["error"]["code"] == "insufficient_scope"
    assert ApiToken.objects.filter(user=member).count() == 1


def test_a_token_without_read_cannot_read(member):
    client = _client(_token(member, "tokens"))
    assert client.get(ME).status_code == 403
    assert client.get(TOKENS).status_code == 200  # managing tokens is its one job


def test_lowercase_bearer_is_accepted(member):
    issued = _token(member, "read")
    assert APIClient().get(ME, HTTP_AUTHORIZATION=f"bearer {issued.raw}").status_code == 200


def test_the_browser_session_is_not_limited_by_scopes(client, member):
    client.force_login(member)
    assert client.get(TOKENS).status_code == 200
    response = client.post(TOKENS, {"name": "from the browser", "scopes": ["read", "tokens"]}, "application/json")
    assert response.status_code == 201
    assert response.json()["scopes"] == ["read", "tokens"] and response.json()["created_by_token"] is None


def test_tokens_made_before_scopes_read_and_write(member):
    """The model default is what migration 0007 gives existing rows."""
    token = ApiToken.objects.create(
        user=member, name="old", token_hash="0" * 64, prefix="fj_old", expires_at=timezone.now() + timedelta(days=1)
    )
    assert token.scopes == ["read", "write"]


# Choosing scopes


def test_scopes_are_chosen_and_shown_in_the_list(member):
    client = _client(_token(member, "read", "write", "tokens"))

    created = client.post(TOKENS, {"name": "reader", "scopes": ["read"]}, format="json")

    assert created.status_code == 201 and created.json()["scopes"] == ["read"]
    listed = {row["name"]: row["scopes"] for row in client.get(TOKENS).json()["results"]}
    assert listed == {"reader": ["read"], "read-write-tokens": ["read", "write", "tokens"]}


def test_write_brings_read_and_scopes_are_kept_in_order(member):
    issued = services.api_token_create(user=member, name="x", scopes=["tokens", "write", "write"])
    assert issued.token.scopes == ["read", "write", "tokens"]


@pytest.mark.parametrize(
    ("scopes", "field"),
    [([], "scopes"), (["admin"], "scopes"), ("read", "scopes"), ([None], "scopes"), (["read"] * 4, "scopes")],
)
def test_bad_scopes_are_a_400_and_create_nothing(client, member, scopes, field):
    client.force_login(member)
    response = client.post(TOKENS, {"name": "x", "scopes": scopes}, "application/json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not ApiToken.objects.exists()


def test_the_database_refuses_unknown_empty_or_write_only_scopes(member):
    token = _token(member, "read").token
    for scopes in (["admin"], [], ["write"]):
        with pytest.raises(IntegrityError), transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(scopes=scopes)


def test_a_token_cannot_be_its_own_parent_in_the_database(member):
    token = _token(member, "read").token
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(created_by_token=token.pk)


def test_the_password_exchange_takes_scopes(api_client):
    UserFactory(email="cli@example.com")
    body = {"email": "cli@example.com", "password": PASSWORD, "name": "cli"}

    read_only = api_client.post(OBTAIN, {**body, "scopes": ["read"]}, format="json")
    default = api_client.post(OBTAIN, body, format="json")
    bad = api_client.post(OBTAIN, {**body, "scopes": ["root"]}, format="json")

    assert read_only.status_code == 201 and read_only.json()["scopes"] == ["read"]
    assert default.json()["scopes"] == ["read", "write"]
    assert bad.status_code == 400 and "scopes" in bad.json()["error"]["fields"]
    assert ApiToken.objects.count() == 2


# A token minting tokens


def test_a_token_with_the_tokens_scope_mints_a_child_within_its_limits(member):
    parent = _token(member, "read", "tokens", expires_in_days=10)

    response = _mint(parent, {})

    assert response.status_code == 201
    child = ApiToken.objects.get(pk=response.json()["id"])
    assert child.created_by_token_id == parent.token.pk and response.json()["created_by_token"] == str(parent.token.pk)
    assert child.scopes == ["read"]  # the default read+write, cut to what the parent has
    assert child.expires_at == parent.token.expires_at  # the default 90 days, cut to the parent's expiry
    created = AuditLog.objects.get(action=AuditAction.TOKEN_CREATE, entity_id=str(child.pk))
    assert created.new_values["created_by_token"] == parent.token.prefix


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": ["read", "write"]}, "scopes"),
        ({"scopes": ["write"]}, "scopes"),
        ({"expires_in_days": 11}, "expires_in_days"),
    ],
)
def test_a_child_cannot_exceed_its_parent(member, body, field):
    parent = _token(member, "read", "tokens", expires_in_days=10)

    response = _mint(parent, body)

    assert response.status_code == 400 and field in response.json()["error"]["fields"]
    assert ApiToken.objects.filter(user=member).count() == 1


def test_a_child_of_a_parent_without_read_or_write_must_name_its_scopes(member):
    parent = _token(member, "tokens")
    assert _mint(parent, {}).status_code == 400
    assert _mint(parent, {"scopes": ["tokens"]}).status_code == 201


def test_the_service_refuses_a_parent_without_the_tokens_scope_or_that_was_revoked(member):
    plain = _token(member, "read", "write").token
    with pytest.raises(services.TokenNotAllowed):
        services.api_token_create(user=member, name="x", created_by_token=plain)
    manager = _token(member, "read", "tokens").token
    services.api_token_revoke(token=manager)
    with pytest.raises(services.TokenNotAllowed):
        services.api_token_create(user=member, name="x", created_by_token=manager)
    with pytest.raises(ValidationError):
        services.api_token_create(
            user=member, name="x", scopes=["read", "write"], created_by_token=_token(member, "read", "tokens").token
        )


# Revoking what a token minted


def _family(member):
    """root -> child -> grandchild, root -> sibling; plus an unrelated token and another person's."""
    root = _token(member, "read", "write", "tokens")
    child_id = _mint(root, {"name": "child", "scopes": ["read", "tokens"]}).json()["id"]
    child = ApiToken.objects.get(pk=child_id)
    grandchild = services.api_token_create(user=member, name="grandchild", scopes=["read"], created_by_token=child)
    sibling = services.api_token_create(user=member, name="sibling", created_by_token=root.token)
    return root, child, grandchild, sibling


def test_revoking_a_token_revokes_everything_it_minted(member):
    root, child, grandchild, sibling = _family(member)
    unrelated = _token(member, "read")
    others = _token(UserFactory(), "read", "write", "tokens")

    assert _client(root).delete(f"{TOKENS}{root.token.pk}/").status_code == 204

    revoked = set(ApiToken.objects.filter(revoked_at__isnull=False).values_list("name", flat=True))
    assert revoked == {"read-write-tokens", "child", "grandchild", "sibling"}
    for issued in (root, grandchild):
        assert _client(issued).get(ME).status_code == 401
    assert _client(unrelated).get(ME).status_code == 200 and _client(others).get(ME).status_code == 200
    events = AuditLog.objects.filter(action=AuditAction.TOKEN_REVOKE, subject_id=member.pk)
    assert events.count() == 4
    assert {e.new_values.get("revoked_with") for e in events} == {None, root.token.prefix}


def test_revoking_a_child_leaves_its_parent_and_siblings(member):
    root, child, grandchild, sibling = _family(member)

    services.api_token_revoke(token=child)

    assert set(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)) == {
        child.pk,
        grandchild.token.pk,
    }


def test_revoking_on_the_settings_page_revokes_what_the_token_minted(client, member):
    root, child, grandchild, sibling = _family(member)
    client.force_login(member)

    client.post(reverse("accounts:token-revoke", args=[root.token.pk]))

    assert not ApiToken.objects.usable().filter(user=member).exists()


def test_revoking_twice_keeps_the_first_time_and_records_once(member):
    root, child, *_ = _family(member)
    services.api_token_revoke(token=root.token)
    first = ApiToken.objects.get(pk=child.pk).revoked_at
    services.api_token_revoke(token=root.token)
    assert ApiToken.objects.get(pk=child.pk).revoked_at == first
    assert AuditLog.objects.filter(action=AuditAction.TOKEN_REVOKE).count() == 4


def test_revoking_is_one_statement_whatever_the_depth(member, django_assert_max_num_queries):
    parent = _token(member, "read", "tokens").token
    for depth in range(6):
        parent = services.api_token_create(
            user=member, name=f"level {depth}", scopes=["read", "tokens"], created_by_token=parent
        ).token
    root = ApiToken.objects.get(name="read-tokens")
    # Savepoint and release, lock, the UPDATE, refresh, the owner; then one audit row per revoked token.
    with django_assert_max_num_queries(6 + 7) as captured:
        services.api_token_revoke(token=root)
    assert sum("UPDATE" in q["sql"] and "RECURSIVE" in q["sql"] for q in captured.captured_queries) == 1
    assert not ApiToken.objects.usable().filter(user=member).exists()


# Access to the token operations, with tokens of each persona


def test_token_operations_for_every_persona(personas):
    target = _token(personas.owner, "read")
    client = APIClient()
    for name, user in personas.items():
        if user is None:
            continue
        manager = _token(user, "read", "tokens")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {manager.raw}")
        expected = 200 if user == personas.owner else 404
        assert client.get(f"{TOKENS}{target.token.pk}/").status_code == expected, name
    client.credentials()
    assert client.get(f"{TOKENS}{target.token.pk}/").status_code == 401
    assert_access(
        client,
        personas,
        lambda c: c.post(TOKENS, {"name": "x", "scopes": ["nope"]}, format="json"),
        {"anonymous": 401, "owner": 400, "other_member": 400, "trainer": 400, "staff": 400},
    )


def test_the_schema_documents_scopes(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for name in ("ApiToken", "ApiTokenCreateRequest", "TokenObtainRequest"):
        assert "scopes" in components[name]["properties"], name
        assert "`tokens`" in components[name]["properties"]["scopes"]["description"]
    assert "created_by_token" in components["ApiToken"]["properties"]
    assert "insufficient_scope" in schema["components"]["securitySchemes"]["personalAccessToken"]["description"]


@pytest.mark.django_db(transaction=True)
def test_a_token_minting_while_its_parent_is_revoked_waits_and_is_refused(member):
    """The person's token lock: a mint cannot slip a child past a revocation running at the same time."""
    root = _token(member, "read", "tokens").token
    revoking, release = threading.Event(), threading.Event()
    outcome = {}

    def revoke_and_hold():
        try:
            with transaction.atomic():
                services.api_token_revoke(token=root)
                revoking.set()
                release.wait(10)
        finally:
            connection.close()

    def mint():
        try:
            services.api_token_create(user=member, name="slipped", created_by_token=root)
            outcome["minted"] = True
        except services.TokenNotAllowed as exc:
            outcome["refused"] = str(exc)
        finally:
            connection.close()

    revoker = threading.Thread(target=revoke_and_hold)
    revoker.start()
    assert revoking.wait(10)
    minter = threading.Thread(target=mint)
    minter.start()
    minter.join(0.5)
    assert minter.is_alive(), "the mint did not wait for the revocation"
    release.set()
    revoker.join(10)
    minter.join(10)

    assert outcome == {"refused": "The token that asked was revoked or has expired."}
    assert not ApiToken.objects.filter(name="slipped").exists()
