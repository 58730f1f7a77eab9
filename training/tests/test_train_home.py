from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_max_queries
from training.services.streaks import streaks_refresh
from training.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_the_train_page_shows_the_current_streak(client):
    user = UserFactory()
    now = timezone.now()
    for days_ago in (0, 1, 2):
        started = now - dt.timedelta(days=days_ago, hours=1)
        SessionFactory(user=user, started_at=started, local_date=timezone.localdate(started, user.zone))
    streaks_refresh(user=user)
    client.force_login(user)
    page = client.get(reverse("training:index")).content.decode()
    assert 'data-testid="streak-current">3 days</strong>' in page


def test_the_train_page_query_count_does_not_grow(client):
    user = UserFactory()
    client.force_login(user)
    with assert_max_queries(8) as few:
        client.get(reverse("training:index"))
    for days_ago in range(10):
        SessionFactory(user=user, started_at=timezone.now() - dt.timedelta(days=days_ago, hours=2))
    streaks_refresh(user=user)
    with assert_max_queries(len(few)):
        client.get(reverse("training:index"))
