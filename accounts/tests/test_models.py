from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AccountStatus, User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_the_same_email_in_another_case_in_the_database():
    UserFactory(email="ann@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.all_objects.create(email="ANN@example.com", username="ann2")


def test_it_refuses_the_same_username_in_another_case_in_the_database():
    UserFactory(username="runner")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.all_objects.create(email="other@example.com", username="RUNNER")


def test_it_refuses_a_username_shorter_than_three_characters_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.all_objects.create(email="short@example.com", username="ab")


def test_it_refuses_a_deleted_at_without_deleted_status():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.all_objects.filter(pk=user.pk).update(deleted_at=timezone.now())


def test_the_default_manager_hides_deleted_accounts_but_all_objects_keeps_them():
    kept = UserFactory()
    gone = UserFactory()
    User.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now(), account_status=AccountStatus.DELETED)
    assert list(User.objects.filter(pk__in=[kept.pk, gone.pk])) == [kept]
    assert User.all_objects.filter(pk=gone.pk).exists()


def test_create_user_normalises_the_email_and_hashes_the_password():
    user = User.objects.create_user(email="  Mixed.Case@Example.COM ", password="s3cret-passphrase", username="mixed")
    assert user.email == "mixed.case@example.com"
    assert user.password != "s3cret-passphrase"
    assert user.check_password("s3cret-passphrase")
    assert isinstance(user.pk, type(User().pk))


def test_login_by_email_ignores_case():
    user = UserFactory(email="case@example.com")
    assert User.objects.get_by_natural_key("CASE@Example.com") == user


def test_argon2_is_the_password_hasher_outside_tests(settings):
    from fitjourney.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = User.objects.create_user(email="argon@example.com", password="a-long-passphrase", username="argon")
    assert user.password.startswith("argon2$")
