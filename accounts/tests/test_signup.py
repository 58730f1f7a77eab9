from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def _signup(client, **overrides):
    data = {"email": "new@example.com", "username": "newbie", "password1": PASSWORD, "password2": PASSWORD}
    data.update(overrides)
    return client.post(SIGNUP, data)


def test_sign_up_creates_an_unverified_account_and_mails_a_verification_link(client):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.username == "newbie"
    assert not user.emailaddress_set.get().verified
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_the_verification_link_verifies_and_then_login_works(client):
    _signup(client)
    client.logout()
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    client.post(link)
    assert User.objects.get(email="new@example.com").emailaddress_set.get().verified
    response = client.post(reverse("account_login"), {"login": "NEW@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("coaching:today")


def test_login_before_verification_is_held_at_the_verification_page(client):
    UserFactory(email="late@example.com", verified=False)
    response = client.post(reverse("account_login"), {"login": "late@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "Taken@Example.com"}, "email", "already"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"username": "ab"}, "username", "at least 3"),
        ({"username": "bad name!"}, "username", "username"),
        ({"username": "deleted_1234"}, "username", "erased accounts"),
    ],
)
def test_bad_sign_up_shows_a_clear_error_and_creates_nothing(client, overrides, field, message):
    UserFactory(email="taken@example.com", username="taken")
    before = User.all_objects.count()
    response = _signup(client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert User.all_objects.count() == before
    assert mail.outbox == []


def test_a_username_taken_in_another_case_is_refused(client):
    UserFactory(username="Runner")
    response = _signup(client, username="runner")
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.com").exists()


def test_password_reset_mails_a_link(client):
    UserFactory(email="forgot@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "another-long-pass", "password2": "another-long-pass"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "another-long-pass", "password2": "another-long-pass"},
    )
    user.refresh_from_db()
    assert user.check_password("another-long-pass")


def test_logout_is_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_social_providers_stay_hidden_until_keys_are_given(client, settings):
    page = client.get(reverse("account_login")).content.decode()
    assert "/accounts/google/login/" not in page
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "google": {"APPS": [{"client_id": "id-123", "secret": "s3cret"}], "SCOPE": ["email"]},
    }
    page = client.get(reverse("account_login")).content.decode()
    assert "/accounts/google/login/" in page
