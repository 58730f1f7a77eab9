from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from accounts import services
from accounts.models import AuditAction, AuditLog, User
from accounts.services.audit import audit_redact_person
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _actions(user):
    return list(AuditLog.objects.filter(subject_id=user.pk).order_by("created_at").values_list("action", flat=True))


def test_logins_failed_logins_and_logouts_are_recorded_with_where_from(client):
    user = UserFactory(email="me@example.com")
    client.post(reverse("account_login"), {"login": "me@example.com", "password": "wrong"}, REMOTE_ADDR="198.51.100.7")
    client.post(
        reverse("account_login"),
        {"login": "me@example.com", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Firefox/140",
    )
    client.post(reverse("account_logout"))
    assert _actions(user) == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN, AuditAction.LOGOUT]
    login = AuditLog.objects.get(subject_id=user.pk, action=AuditAction.LOGIN)
    assert (login.ip_address, login.user_agent, login.actor_id) == ("198.51.100.7", "Firefox/140", user.pk)
    failed = AuditLog.objects.get(subject_id=user.pk, action=AuditAction.LOGIN_FAILED)
    assert failed.actor_id is None and failed.new_values == {"login": "me@example.com"}


def test_a_failed_login_for_an_unknown_address_is_recorded_without_a_subject(client):
    client.post(reverse("account_login"), {"login": "nobody@example.com", "password": "x"})
    row = AuditLog.objects.get(action=AuditAction.LOGIN_FAILED)
    assert row.subject_id is None and row.new_values == {"login": "nobody@example.com"}


def test_token_creation_and_revocation_are_recorded(member):
    issued = services.api_token_create(user=member, name="Watch", ip_address="203.0.113.1", user_agent="cli/1")
    services.api_token_revoke(token=issued.token)
    services.api_token_revoke(token=issued.token)  # a second revoke changes nothing and records nothing
    assert _actions(member) == [AuditAction.TOKEN_CREATE, AuditAction.TOKEN_REVOKE]
    created = AuditLog.objects.get(action=AuditAction.TOKEN_CREATE)
    assert created.ip_address == "203.0.113.1" and created.new_values["name"] == "Watch"
    assert issued.raw not in str(created.new_values)


def test_settings_changes_record_old_and_new_values(member):
    services.user_update_settings(user=member, unit_system="imperial", first_name=member.first_name)
    row = AuditLog.objects.get(action=AuditAction.SETTINGS_UPDATE)
    assert row.old_values == {"unit_system": "metric"} and row.new_values == {"unit_system": "imperial"}


def test_audit_rows_cannot_be_edited_or_deleted(member):
    services.api_token_create(user=member, name="x")
    row = AuditLog.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(action=AuditAction.LOGOUT)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditLog.objects.filter(pk=row.pk).update(old_values=None, new_values=None, actor_label="")
    row.refresh_from_db()
    assert row.action == AuditAction.TOKEN_CREATE


def test_erasure_may_redact_but_not_rewrite_history(member):
    services.api_token_create(user=member, name="x", ip_address="203.0.113.5")
    assert audit_redact_person(user_id=member.pk) == 1
    row = AuditLog.objects.get()
    assert (row.new_values, row.ip_address, row.actor_label, row.action) == (None, None, "", AuditAction.TOKEN_CREATE)
    assert row.redacted_at is not None


def test_the_settings_page_shows_my_security_events_and_nobody_elses(client, personas):
    client.post(reverse("account_login"), {"login": personas.other_member.email, "password": "wrong"})
    services.api_token_create(user=personas.owner, name="Mine")
    client.force_login(personas.owner)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Created an API token" in page and "“Mine”" in page
    assert "Failed login" not in page


def test_staff_changes_in_the_admin_are_recorded(client, personas):
    client.force_login(personas.staff)
    url = reverse("admin:accounts_user_change", args=[personas.owner.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "groups"}
    data.update(
        {
            "first_name": "Renamed",
            "date_joined": "",
            "user_permissions": [],
            "groups": [],
            "password": form.initial["password"],
        }
    )
    data = {k: v for k, v in data.items() if k not in {"last_login", "created_at", "updated_at", "id"}}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(pk=personas.owner.pk).first_name == "Renamed"
    row = AuditLog.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert row.actor_id == personas.staff.pk and row.subject_id == personas.owner.pk
    assert row.new_values["first_name"] == "Renamed" and "first_name" in row.old_values
    assert "password" not in row.new_values


def test_the_audit_trail_is_read_only_in_the_admin(client, personas):
    services.api_token_create(user=personas.owner, name="x")
    row = AuditLog.objects.get()
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x-long-pass", username="root"))
    listing = client.get(reverse("admin:accounts_auditlog_changelist"), {"q": personas.owner.email})
    assert listing.status_code == 200 and str(row.pk) in listing.content.decode()
    assert client.post(reverse("admin:accounts_auditlog_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert AuditLog.objects.filter(pk=row.pk).exists()
