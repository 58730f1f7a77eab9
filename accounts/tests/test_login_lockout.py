from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
TOKEN = "/api/v1/auth/token/"


def _page_login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def _api_login(api_client, email, password):
    return api_client.post(TOKEN, {"email": email, "password": password, "name": "cli"}, format="json")


def test_five_wrong_passwords_lock_the_login_page_even_for_the_right_one(client):
    UserFactory(email="target@example.com")
    for _ in range(4):
        assert _page_login(client, "target@example.com", "wrong").status_code == 200
    assert _page_login(client, "target@example.com", "wrong").status_code == 429
    response = _page_login(client, "target@example.com", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_page_and_api_failures_count_towards_one_lockout(client, api_client):
    UserFactory(email="target@example.com")
    for _ in range(3):
        _page_login(client, "target@example.com", "wrong")
    assert _api_login(api_client, "target@example.com", "wrong").status_code == 401
    assert _api_login(api_client, "target@example.com", "wrong").status_code == 429
    response = _api_login(api_client, "target@example.com", PASSWORD)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_a_successful_login_resets_the_failure_count(client):
    UserFactory(email="target@example.com")
    for _ in range(4):
        _page_login(client, "target@example.com", "wrong")
    assert _page_login(client, "target@example.com", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _page_login(client, "target@example.com", "wrong").status_code == 200


def test_another_persons_lockout_does_not_lock_me(client):
    UserFactory(email="target@example.com")
    UserFactory(email="me@example.com")
    for _ in range(5):
        _page_login(client, "target@example.com", "wrong")
    assert _page_login(client, "me@example.com", PASSWORD).status_code == 302
