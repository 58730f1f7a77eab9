from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts import services
from accounts.tests.factories import UserFactory
from fitjourney.hooks import reference
from fitjourney.testing import snapshot
from fitjourney.testing.personas import Personas, make_personas


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database gets the same reference data as a site (units, activity types, exercises…).

    Transactional tests flush the database; those that need reference data use `reference_data`, which
    copies it back from a snapshot taken here (fitjourney/testing/snapshot.py)."""
    global _REFERENCE
    with django_db_blocker.unblock():
        if UserFactory._meta.model.objects.exists():  # a reused database left by a killed run
            call_command("flush", interactive=False, verbosity=0)
        reference.load_all()
        _REFERENCE = snapshot.take()


_REFERENCE = snapshot.Snapshot()


@pytest.fixture
def reference_data(transactional_db):
    """The reference data in a transactional test: copied back after a flush (under a second), else loaded."""
    if not snapshot.restore(_REFERENCE):
        reference.load_all()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles, rate limits and lockouts live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _celery_join_state():
    """Celery keeps "a join would block" in one process-wide flag that each eager task sets and restores.
    Eager tasks run at once in several threads (tests/test_concurrent_writes.py's parallel POSTs) can
    restore it in the wrong order and leave it set; every later `result.get()` in the process would then
    fail with "Never call result.get() within a task" (seen in CI on the real-worker tests): each test
    starts with it cleared."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


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
