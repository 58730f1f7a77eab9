"""A new password closes the other ways in: tokens (offered on a change, always on a reset) and sessions."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken, AuditAction, AuditLog
from accounts.services.passwords import PASSWORD_CHANGE, user_sign_out_everywhere
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHANGE = reverse("account_change_password")
NEW = "a-brand-new-long-passphrase"


def _works(issued) -> bool:
    return APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {issued.raw}").status_code == 200


def _change(client, **extra):
    return client.post(CHANGE, {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW, **extra})


def test_the_change_form_offers_to_revoke_tokens_ticked_by_default(client, member):
    client.force_login(member)
    page = client.get(CHANGE)
    assert page.status_code == 200
    field = page.context["form"]["revoke_tokens"]
    assert field.initial is True
    assert re.search(r'<input[^>]*name="revoke_tokens"[^>]*checked', page.content.decode())


def test_a_change_with_the_box_ticked_revokes_every_token_and_other_sessions(member):
    phone = services.api_token_create(user=member, name="phone")
    script = services.api_token_create(user=member, name="script", scopes=["read"])
    other = services.api_token_create(user=UserFactory(), name="someone else's")
    here, elsewhere = Client(), Client()
    here.force_login(member)
    elsewhere.force_login(member)

    response = _change(here, revoke_tokens="on")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert not _works(phone) and not _works(script) and _works(other)
    assert here.get(reverse("accounts:settings")).status_code == 200  # this session stays signed in
    assert elsewhere.get(reverse("accounts:settings")).status_code == 302  # the other one is signed out
    event = AuditLog.objects.get(action=AuditAction.SIGN_OUT_EVERYWHERE, subject_id=member.pk)
    assert event.new_values["reason"] == "password_change" and event.new_values["tokens_revoked"] == 2
    assert sorted(event.new_values["tokens"]) == sorted([phone.token.prefix, script.token.prefix])
    assert AuditLog.objects.filter(action=AuditAction.PASSWORD_CHANGE, subject_id=member.pk).exists()


def test_a_change_with_the_box_unticked_keeps_the_tokens(client, member):
    phone = services.api_token_create(user=member, name="phone")
    client.force_login(member)

    assert _change(client).status_code == 302  # an unticked checkbox is not sent at all

    member.refresh_from_db()
    assert member.check_password(NEW) and _works(phone)
    event = AuditLog.objects.get(action=AuditAction.SIGN_OUT_EVERYWHERE, subject_id=member.pk)
    assert event.new_values["tokens_revoked"] is None


def test_a_refused_change_revokes_nothing(client, member):
    phone = services.api_token_create(user=member, name="phone")
    client.force_login(member)

    response = client.post(CHANGE, {"oldpassword": "wrong", "password1": NEW, "password2": NEW, "revoke_tokens": "on"})

    assert response.status_code == 200 and response.context["form"].errors
    assert _works(phone) and not AuditLog.objects.filter(action=AuditAction.SIGN_OUT_EVERYWHERE).exists()


def test_the_password_and_the_revocation_are_saved_together(client, member, monkeypatch):
    phone = services.api_token_create(user=member, name="phone")
    client.force_login(member)

    def broken(**kwargs):
        raise DatabaseError("the revocation failed")

    monkeypatch.setattr("accounts.forms.auth.user_sign_out_everywhere", broken)
    with pytest.raises(DatabaseError):
        _change(client, revoke_tokens="on")

    member.refresh_from_db()
    assert member.check_password(PASSWORD) and _works(phone)


def test_a_password_reset_always_revokes_every_token(client):
    user = UserFactory(email="forgot@example.com")
    phone = services.api_token_create(user=user, name="phone")
    elsewhere = Client()
    elsewhere.force_login(user)
    client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)

    form_url = client.get(link)["Location"]  # allauth moves the key into the session first
    response = client.post(form_url, {"password1": NEW, "password2": NEW})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW) and not _works(phone)
    assert elsewhere.get(reverse("accounts:settings")).status_code == 302
    event = AuditLog.objects.get(action=AuditAction.SIGN_OUT_EVERYWHERE, subject_id=user.pk)
    assert event.new_values["reason"] == "password_reset" and event.new_values["tokens_revoked"] == 1


def test_the_service_revokes_only_usable_tokens_and_reports_them(member):
    live = services.api_token_create(user=member, name="live")
    gone = services.api_token_create(user=member, name="gone")
    services.api_token_revoke(token=gone.token)
    first_revocation = ApiToken.objects.get(pk=gone.token.pk).revoked_at

    assert user_sign_out_everywhere(user=member, reason=PASSWORD_CHANGE) == 1

    assert not _works(live)
    assert ApiToken.objects.get(pk=gone.token.pk).revoked_at == first_revocation


def test_the_security_page_lists_the_event(client, member):
    services.api_token_create(user=member, name="phone")
    client.force_login(member)
    _change(client, revoke_tokens="on")
    assert "Signed out everywhere" in client.get(reverse("accounts:settings")).content.decode()
