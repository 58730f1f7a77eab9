from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccountStatus, ApiToken, User
from accounts.tests.factories import UserFactory
from fitjourney.hooks import roles, scoping
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db


def test_role_groups_get_exactly_their_registered_permissions():
    services.role_groups_sync()
    trainer = Group.objects.get(name=roles.TRAINER)
    staff = Group.objects.get(name=roles.GYM_STAFF)
    # Trainers read people, and (scoped to clients who share them) sessions and body metrics; and answer
    # their own clients' invitations, write their own profile and see their dashboard, keep their hours
    # and time off, book, write cards and see their locations (coaching).
    assert {p.codename for p in trainer.permissions.all()} == {
        "view_user",
        "view_bodymetric",
        "view_session",
        "view_client",
        "change_client",
        "view_trainer",
        "add_trainer",
        "change_trainer",
        "view_trainerdashboard",
        "view_location",
        "view_workinghours",
        "add_workinghours",
        "change_workinghours",
        "delete_workinghours",
        "view_timeoff",
        "add_timeoff",
        "delete_timeoff",
        "view_booking",
        "add_booking",
        "change_booking",
        "view_sessioncard",
        "add_sessioncard",
    }
    assert {"view_user", "change_user", "view_apitoken"} <= {p.codename for p in staff.permissions.all()}
    staff.permissions.clear()
    services.role_groups_sync()
    assert staff.permissions.count() == len(roles.role_permissions()[roles.GYM_STAFF])


def test_a_role_cannot_name_a_permission_that_does_not_exist(monkeypatch):
    monkeypatch.setitem(roles._registry, roles.TRAINER, {"accounts.fly_to_the_moon"})
    with pytest.raises(ValueError, match="fly_to_the_moon"):
        services.role_groups_sync()


def test_admin_index_access(client, personas):
    url = reverse("admin:index")
    assert_access(
        client,
        personas,
        lambda c: c.get(url),
        {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 200, "staff": 200},
    )


def test_people_in_the_admin_are_scoped_to_what_the_staff_member_may_see(client, personas):
    changelist = reverse("admin:accounts_user_changelist")
    owner_page = reverse("admin:accounts_user_change", args=[personas.owner.pk])

    client.force_login(personas.staff)
    assert personas.owner.email in client.get(changelist).content.decode()
    assert client.get(owner_page).status_code == 200

    # A trainer sees themselves, and (once coaching registers a resolver) the people they coach.
    client.force_login(personas.trainer)
    listing = client.get(changelist).content.decode()
    assert personas.trainer.email in listing and personas.owner.email not in listing
    assert client.get(owner_page).status_code == 302  # "doesn't exist" redirect: no peeking

    def resolver(trainer):
        return User.objects.filter(pk=personas.owner.pk).values("pk")

    scoping.register_trainer_clients_resolver(resolver)
    try:
        assert personas.owner.email in client.get(changelist).content.decode()
        assert personas.other_member.email not in client.get(changelist).content.decode()
    finally:
        scoping._trainer_clients.remove(resolver)  # coaching's own resolver stays registered


def test_staff_see_accounts_awaiting_erasure(client, personas):
    gone = UserFactory(email="gone@example.com")
    User.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now(), account_status=AccountStatus.DELETED)
    client.force_login(personas.staff)
    page = client.get(reverse("admin:accounts_user_changelist"), {"account_status__exact": "deleted"})
    assert "gone@example.com" in page.content.decode()


def test_staff_cannot_create_tokens_in_the_admin(client, personas):
    client.force_login(personas.staff)
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_a_superuser_can_add_a_person_in_the_admin(client):
    admin = User.objects.create_superuser(email="root@example.com", password="a-long-password", username="root")
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Added@Example.com",
            "username": "added",
            "usable_password": "true",
            "password1": "Another-long-pass1",
            "password2": "Another-long-pass1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert User.objects.get(username="added").email == "added@example.com"


def test_a_superuser_revokes_tokens_in_the_admin_with_what_they_created(client):
    admin = User.objects.create_superuser(email="root@example.com", password="a-long-password", username="root")
    owner = UserFactory()
    parent = services.api_token_create(user=owner, name="parent", scopes=["read", "tokens"]).token
    child = services.api_token_create(user=owner, name="child", created_by_token=parent).token
    client.force_login(admin)

    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [str(parent.pk)]},
    )

    assert response.status_code == 302
    assert set(ApiToken.objects.filter(revoked_at__isnull=False).values_list("pk", flat=True)) == {parent.pk, child.pk}
    change = client.get(reverse("admin:accounts_apitoken_change", args=[child.pk])).content.decode()
    assert 'name="revoked_at"' not in change  # read-only: revoking is the action, never an edit
