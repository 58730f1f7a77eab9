"""Right to erasure: delete my account now (anonymised), gone for good after 90 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import (
    AccountStatus,
    ApiToken,
    AuditAction,
    AuditLog,
    DataExport,
    Notification,
    NotificationType,
    Profile,
    ProfileVersion,
    User,
)
from accounts.services.audit import audit_record
from accounts.services.privacy import (
    ERASURE_GRACE_DAYS,
    account_erase,
    accounts_purge_erased,
    export_build,
    export_request,
)
from accounts.services.profiles import profile_update
from accounts.tasks import purge_erased_accounts
from accounts.tests.factories import PASSWORD, UserFactory
from fitjourney.hooks import roles
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

ERASE = reverse("accounts:account-erase")
PAGE = reverse("accounts:privacy")
# Everything personal about the person below contains one of these.
MARKERS = ("zorblax", "quuxington")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _person(staff=None, *, email="Zorblax.Person@example.com", username="zorblaxuser"):
    """Someone with personal data in every model that can hold it, including the libraries' ones."""
    user = UserFactory(email=email.lower(), username=username, first_name="Zorblaxina", last_name="Quuxington")
    profile = profile_update(
        profile=Profile.objects.get(user=user),
        changes={"bio": "zorblax loves climbing", "location": "Zorblaxville"},
        changed_by="user",
        changed_by_user=user,
    )
    avatar = default_storage.save(f"avatars/{user.pk}/zorblax.png", ContentFile(b"png"))
    Profile.objects.filter(pk=profile.pk).update(avatar=avatar)
    EmailAddress.objects.create(user=user, email="zorblax.second@example.com", verified=False, primary=False)
    social = SocialAccount.objects.create(
        user=user, provider="google", uid="zorblax-google-1", extra_data={"name": "Zorblaxina Quuxington"}
    )
    SocialToken.objects.create(account=social, token="zorblax-oauth-token")
    Notification.objects.create(
        user=user, type=NotificationType.SOCIAL, title="Zorblaxina, Ana liked your run", message="x"
    )
    services.api_token_create(user=user, name="Zorblaxina's phone", ip_address="203.0.113.7", user_agent="ZorblaxOS")
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=user,
        old_values={"last_name": "Quuxington-Old"},
        new_values={"last_name": "Quuxington"},
    )
    export_request(user=user, background=False)
    for model in (AccessAttempt, AccessFailureLog):
        extra = {"get_data": "", "post_data": f"login={user.email}", "failures_since_start": 2}
        model.objects.create(
            username=user.email,
            ip_address="203.0.113.7",
            user_agent="ZorblaxOS",
            http_accept="*/*",
            path_info="/accounts/login/",
            **(extra if model is AccessAttempt else {}),
        )
    if staff is not None:
        for obj in (user, ApiToken.objects.get(user=user)):
            LogEntry.objects.create(
                user=staff,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj),
                action_flag=CHANGE,
                change_message="[]",
            )
    return user


def _traces(markers=MARKERS) -> list[str]:
    """Every column of every table whose text contains a marker (User included via its base manager)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation:
                continue
            contains = Q()
            for marker in markers:
                contains |= Q(as_text__icontains=marker)
            rows = model._base_manager.annotate(as_text=Cast(field.attname, TextField())).filter(contains)
            if rows.exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


# Refusals


def test_a_wrong_password_changes_nothing():
    user = _person()
    before = _traces()
    audit_rows = AuditLog.objects.count()

    with pytest.raises(ValidationError) as refused:
        account_erase(user=user, password="not-my-password")

    assert "password" in refused.value.message_dict
    user.refresh_from_db()
    assert user.deleted_at is None and user.is_active and user.email == "zorblax.person@example.com"
    assert ApiToken.objects.usable().filter(user=user).count() == 1
    assert _traces() == before and AuditLog.objects.count() == audit_rows


def test_the_page_refuses_a_wrong_password_or_a_missing_confirmation(client):
    user = _person()
    client.force_login(user)
    wrong = client.post(ERASE, {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400
    assert wrong.context["erase_form"].errors == {"password": ["That is not your password. Nothing was changed."]}
    unconfirmed = client.post(ERASE, {"password": PASSWORD})
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.context["erase_form"].errors
    user.refresh_from_db()
    assert user.deleted_at is None
    assert client.get(PAGE).status_code == 200  # still signed in


def test_an_account_is_erased_once():
    user = _person()
    account_erase(user=user, password=PASSWORD)
    with pytest.raises(ValidationError):
        account_erase(user=user, password=PASSWORD)


# What erasure leaves


def test_after_erasure_nothing_personal_of_the_person_is_readable_anywhere(personas):
    user = _person(staff=personas.staff)
    bystander = UserFactory(first_name="Quimby")
    assert len(_traces()) > 10  # the markers are really everywhere before

    account_erase(user=user, password=PASSWORD)

    assert _traces() == []
    assert _traces(markers=("Quimby", bystander.email)) != []  # other people keep their data


def test_the_account_is_anonymised_as_seed_003_says():
    user = _person()
    account_erase(user=user, password=PASSWORD)

    erased = User.all_objects.get(pk=user.pk)
    assert erased.email == f"deleted_{user.pk}@anonymized.local"
    assert erased.username == f"deleted_{user.pk.hex[:12]}"
    assert (erased.first_name, erased.last_name, erased.timezone) == ("", "", "UTC")
    assert not erased.has_usable_password() and not erased.is_active
    assert erased.account_status == AccountStatus.DELETED and erased.deleted_at is not None
    assert not User.objects.filter(pk=user.pk).exists()  # hidden from every ordinary query


def test_rows_registered_for_deletion_now_are_gone_and_the_rest_is_blank():
    user = _person()
    account_erase(user=user, password=PASSWORD)

    for model in (EmailAddress, SocialAccount, ApiToken, Notification, DataExport):
        assert not model.objects.filter(user=user).exists(), model
    assert not SocialToken.objects.filter(account__user=user).exists()
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()
    profile = Profile.objects.get(user=user)
    assert (profile.bio, profile.location, profile.avatar.name) == ("", "", "")
    assert ProfileVersion.objects.filter(user=user).count() >= 2  # kept, redacted, until the purge


def test_stored_export_files_are_deleted_with_the_exports(django_capture_on_commit_callbacks, private_media):
    user = UserFactory()
    export_build(export_id=export_request(user=user, background=False).pk)
    assert any(p.is_file() for p in private_media.rglob("*"))
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=user, password=PASSWORD)
    assert not any(p.is_file() for p in private_media.rglob("*"))


def test_someone_without_a_password_is_asked_to_set_one_first(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client.force_login(user)
    page = client.get(PAGE).content.decode()
    assert reverse("account_set_password") in page and 'name="password"' not in page
    assert client.post(ERASE, {"password": "", "confirm": "on"}).status_code == 400


def test_an_erased_staff_member_loses_their_roles():
    services.role_groups_sync()
    trainer = services.user_assign_role(user=UserFactory(), role=roles.TRAINER)
    account_erase(user=trainer, password=PASSWORD)
    trainer = User.all_objects.get(pk=trainer.pk)
    assert not trainer.is_staff and not trainer.groups.exists()


def test_the_erasure_is_audited_first_then_redacted_like_the_rest():
    user = _person()
    account_erase(user=user, password=PASSWORD)

    rows = AuditLog.objects.filter(subject_id=user.pk)
    assert set(rows.values_list("action", flat=True)) >= {AuditAction.SETTINGS_UPDATE, AuditAction.ACCOUNT_ERASE}
    for row in rows:
        assert row.redacted_at is not None, row.action
        personal = (row.actor_label, row.ip_address, row.user_agent, row.old_values, row.new_values)
        assert personal == ("", None, "", None, None)


def test_audit_rows_cannot_be_edited_or_deleted_outside_erasure():
    user = UserFactory()
    audit_record(action=AuditAction.SETTINGS_UPDATE, actor=user, new_values={"first_name": "x"})
    rows = AuditLog.objects.filter(subject_id=user.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(actor_label="someone else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.delete()
    # Not even a redaction, unless it runs inside erasure_writes().
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(old_values=None, new_values=None, actor_label="", user_agent="", redacted_at=timezone.now())
    assert rows.get().actor_label == user.email


# Signing in afterwards


def test_the_person_cannot_sign_in_afterwards(client):
    user = _person()
    issued = services.api_token_create(user=user, name="script")
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(PAGE).status_code == 200
    client.force_login(user)

    response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(PAGE).status_code == 302  # this browser is signed out
    assert elsewhere.get(PAGE).status_code == 302  # and every other session ended
    api = APIClient()
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {issued.raw}").status_code == 401
    login = Client().post(reverse("account_login"), {"login": "zorblax.person@example.com", "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session
    token = APIClient().post(
        "/api/v1/auth/token/", {"email": "zorblax.person@example.com", "password": PASSWORD, "name": "x"}, format="json"
    )
    assert token.status_code == 401


def test_the_page_sends_the_person_home_with_a_message(client):
    user = _person()
    client.force_login(user)
    home = client.post(ERASE, {"password": PASSWORD, "confirm": "on"}, follow=True)
    assert home.redirect_chain == [(reverse("home"), 302)]
    assert "Your account is deleted" in home.content.decode()
    assert not home.context["user"].is_authenticated


def test_every_usable_token_is_revoked_and_the_revocation_is_in_the_trail():
    user = _person()
    services.api_token_revoke(token=services.api_token_create(user=user, name="old").token)
    account_erase(user=user, password=PASSWORD)
    revocations = AuditLog.objects.filter(subject_id=user.pk, action=AuditAction.TOKEN_REVOKE)
    assert revocations.count() == 2  # the one revoked earlier, and the one the erasure revoked
    assert not ApiToken.objects.filter(user=user).exists()


# The purge after 90 days


def test_the_purge_deletes_erased_accounts_after_90_days_with_everything_left(
    personas, django_capture_on_commit_callbacks
):
    user = _person(staff=personas.staff)
    LogEntry.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(User), object_id="x", action_flag=CHANGE
    )
    keep = UserFactory()
    account_erase(user=user, password=PASSWORD)
    now = timezone.now()

    assert accounts_purge_erased(now=now + timedelta(days=ERASURE_GRACE_DAYS - 1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert accounts_purge_erased(now=now + timedelta(days=ERASURE_GRACE_DAYS, minutes=1)) == 1

    assert not User.all_objects.filter(pk=user.pk).exists()
    for model in (Profile, ProfileVersion, LogEntry):
        assert not model.objects.filter(user_id=user.pk).exists(), model
    # The trail keeps that it happened, with nothing but ids.
    trail = AuditLog.objects.filter(subject_id=user.pk)
    assert trail.filter(action=AuditAction.ACCOUNT_ERASE).exists()
    purge = trail.get(action=AuditAction.ACCOUNT_PURGE)
    assert (purge.entity_id, purge.actor_id, purge.actor_label, purge.new_values) == (str(user.pk), None, "", None)
    assert User.objects.filter(pk=keep.pk).exists() and Profile.objects.filter(user=keep).exists()
    assert purge_erased_accounts.delay().get() == 0  # safe to run again


def test_the_purge_leaves_live_and_recent_accounts_alone():
    live = UserFactory()
    recent = UserFactory()
    account_erase(user=recent, password=PASSWORD)
    assert accounts_purge_erased(now=timezone.now() + timedelta(days=30)) == 0
    assert User.objects.filter(pk=live.pk).exists() and User.all_objects.filter(pk=recent.pk).exists()


# Staff and access


def test_staff_see_the_accounts_waiting_for_the_purge_with_its_date(client, personas):
    user = _person()
    account_erase(user=user, password=PASSWORD)
    erased = User.all_objects.get(pk=user.pk)
    changelist = reverse("admin:accounts_pendingerasure_changelist")
    services.role_groups_sync()

    client.force_login(personas.staff)
    page = client.get(changelist)
    assert page.status_code == 200
    body = page.content.decode()
    assert erased.username in body and personas.owner.username not in body
    purge_day = (erased.deleted_at + timedelta(days=ERASURE_GRACE_DAYS)).date()
    assert formats.date_format(purge_day) in body
    assert client.get(reverse("admin:accounts_pendingerasure_change", args=[erased.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_pendingerasure_add")).status_code == 403

    client.force_login(personas.trainer)
    assert client.get(changelist).status_code == 403


def test_access_to_the_erasure_page(client, personas):
    assert_access(
        client,
        personas,
        lambda c: c.post(ERASE, {"password": "wrong", "confirm": "on"}),
        {"anonymous": 302, "owner": 400, "other_member": 400, "trainer": 400, "staff": 400},
    )
    assert_access(
        client,
        personas,
        lambda c: c.get(ERASE),
        {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405},
    )
    assert User.objects.count() == 4


def test_wrong_passwords_are_limited_so_a_stolen_session_cannot_guess_it():
    from accounts.models import User
    from accounts.services.privacy import account_erase
    from accounts.tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    for _ in range(5):
        with pytest.raises(ValidationError, match="not your password"):
            account_erase(user=user, password="guess")
    with pytest.raises(ValidationError, match="Too many wrong passwords"):
        account_erase(user=user, password=PASSWORD)
    assert User.objects.filter(pk=user.pk).exists()


def test_the_page_signs_the_person_out_after_the_erasure_and_leaves_nothing_unredacted(client):
    user = _person()
    client.force_login(user)
    client.post(ERASE, {"password": PASSWORD, "confirm": "on"})
    assert client.get(PAGE).status_code == 302
    rows = AuditLog.objects.filter(Q(subject_id=user.pk) | Q(actor_id=user.pk))
    assert rows.exists() and not rows.filter(redacted_at__isnull=True).exists()
    assert not rows.filter(action=AuditAction.LOGOUT).exists()  # an erased account records no logout
