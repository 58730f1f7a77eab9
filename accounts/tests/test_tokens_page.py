from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken
from accounts.tokens import hash_token
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:token-create")


def _revoke_url(token):
    return reverse("accounts:token-revoke", args=[token.id])


def test_create_shows_the_token_once_and_stores_only_its_hash(client, member):
    client.force_login(member)
    response = client.post(CREATE, {"name": "My phone", "expires_in_days": 30, "scopes": ["read"]})
    assert response.status_code == 200
    raw = response.context["issued"].raw
    assert raw.startswith("fj_") and raw in response.content.decode()
    token = ApiToken.objects.get(user=member)
    assert token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.name == "My phone" and token.scopes == ["read"]
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    assert raw not in client.get(reverse("accounts:settings")).content.decode()


def test_htmx_create_returns_only_the_tokens_fragment(client, member):
    client.force_login(member)
    response = client.post(
        CREATE,
        {"name": "Laptop", "expires_in_days": 7, "scopes": ["read", "write"]},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="api-tokens",
    )
    assert response.status_code == 201
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="api-tokens"')
    assert "<html" not in body
    assert "Laptop" in body


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "expires_in_days": 30, "scopes": ["read"]},
        {"name": "x", "expires_in_days": 0, "scopes": ["read"]},
        {"name": "x", "expires_in_days": 9999, "scopes": ["read"]},
        {"name": "x", "expires_in_days": 30},
        {"name": "x", "expires_in_days": 30, "scopes": ["admin"]},
    ],
)
def test_bad_token_input_is_refused_and_creates_nothing(client, member, data):
    client.force_login(member)
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert response.context["token_form"].errors
    assert not ApiToken.objects.exists()


def test_revoke_marks_the_token_revoked(client, member):
    issued = services.api_token_create(user=member, name="old")
    client.force_login(member)
    response = client.post(_revoke_url(issued.token))
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_token_pages_access(client, personas):
    issued = services.api_token_create(user=personas.owner, name="owner's")
    assert_access(
        client,
        personas,
        lambda c: c.post(_revoke_url(issued.token)),
        {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(
        client,
        personas,
        lambda c: c.post(CREATE, {"name": "n", "expires_in_days": 1, "scopes": ["read"]}),
        {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )


def test_another_persons_token_cannot_be_revoked(client, member, personas):
    issued = services.api_token_create(user=personas.owner, name="theirs")
    client.force_login(member)
    assert client.post(_revoke_url(issued.token)).status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_revoke_by_get_is_refused(client, member):
    issued = services.api_token_create(user=member, name="keep")
    client.force_login(member)
    assert client.get(_revoke_url(issued.token)).status_code == 405
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_the_owner_is_mailed_after_the_token_is_committed(member, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issued = services.api_token_create(user=member, name="Garmin sync", ip_address="203.0.113.9")
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Garmin sync" in message.body and "203.0.113.9" in message.body
    assert issued.raw not in message.body


def test_the_mail_task_is_safe_when_the_token_is_gone(member):
    from django.core import mail

    from accounts.tasks import send_token_created_email

    issued = services.api_token_create(user=member, name="gone")
    token_id = str(issued.token.pk)
    issued.token.delete()
    assert send_token_created_email.delay(token_id).get() is False
    assert mail.outbox == []
