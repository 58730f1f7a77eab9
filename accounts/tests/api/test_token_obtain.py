from __future__ import annotations

import pytest

from accounts.models import ApiToken
from accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def test_email_and_password_get_a_token(api_client):
    user = UserFactory(email="cli@example.com")
    response = api_client.post(URL, {"email": "CLI@example.com", "password": PASSWORD, "name": "cli"}, format="json")
    assert response.status_code == 201
    assert ApiToken.objects.get().user == user
    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert me.json()["email"] == "cli@example.com"


def test_a_wrong_password_is_a_401_and_creates_nothing(api_client):
    UserFactory(email="cli@example.com")
    response = api_client.post(URL, {"email": "cli@example.com", "password": "nope", "name": "cli"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert not ApiToken.objects.exists()


def test_an_unverified_account_gets_no_token(api_client):
    UserFactory(email="new@example.com", verified=False)
    response = api_client.post(URL, {"email": "new@example.com", "password": PASSWORD, "name": "cli"}, format="json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_endpoint_is_throttled(api_client, monkeypatch):
    from accounts.api.views import TokenObtainThrottle

    monkeypatch.setattr(TokenObtainThrottle, "rate", "2/minute", raising=False)
    statuses = [
        api_client.post(URL, {"email": f"x{i}@example.com", "password": "p", "name": "n"}, format="json").status_code
        for i in range(3)
    ]
    assert statuses == [401, 401, 429]
    assert api_client.post(URL, {}, format="json").json()["error"]["code"] == "throttled"
