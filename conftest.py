from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts import services
from accounts.tests.factories import UserFactory
from fitjourney.hooks import reference
from fitjourney.testing.personas import Personas, make_personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database gets the same reference data as a site (units, activity types, exercises…).

    Transactional tests flush the database; those that need reference data use `reference_data`."""
    with django_db_blocker.unblock():
        reference.load_all()


@pytest.fixture
def reference_data(transactional_db):
    reference.load_all()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles, rate limits and lockouts live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db) -> Personas:
    return make_personas(user_factory=UserFactory)


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def token_client(member):
    """An API client authenticated with a real personal access token of `member`."""
    issued = services.api_token_create(user=member, name="pytest")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    client.token = issued
    return client
