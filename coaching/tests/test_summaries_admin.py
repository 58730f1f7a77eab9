"""Admin: read-only daily and weekly summaries for staff with the view permission, "Refresh now"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import DailySummary, WeeklySummary
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import WaterLog

pytestmark = pytest.mark.django_db

DAILY = reverse("admin:coaching_dailysummary_changelist")
WEEKLY = reverse("admin:coaching_weeklysummary_changelist")
DAY = dt.date(2026, 3, 10)  # a Tuesday
MONDAY = dt.date(2026, 3, 9)


def _rows(user, water_ml=1):
    daily = DailySummary.objects.create(user=user, date=DAY, water_ml=water_ml, refreshed_at=timezone.now())
    weekly = WeeklySummary.objects.create(
        user=user, week_start=MONDAY, week_end=MONDAY + dt.timedelta(days=6), refreshed_at=timezone.now()
    )
    return daily, weekly


def test_admin_access(client, personas):
    daily, weekly = _rows(personas.owner)
    staff_only = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200}
    assert_access(client, personas, lambda c: c.get(DAILY, {"q": personas.owner.email}), staff_only)
    assert_access(client, personas, lambda c: c.get(WEEKLY), staff_only)
    change = reverse("admin:coaching_dailysummary_change", args=[daily.pk])
    assert_access(client, personas, lambda c: c.get(change), staff_only)


def test_summaries_are_read_only_in_the_admin(client, personas):
    daily, weekly = _rows(personas.owner)
    client.force_login(personas.staff)
    assert client.get(reverse("admin:coaching_dailysummary_add")).status_code == 403
    assert client.get(reverse("admin:coaching_weeklysummary_add")).status_code == 403
    change = reverse("admin:coaching_dailysummary_change", args=[daily.pk])
    assert client.post(change, {"water_ml": 5}).status_code == 403
    assert (
        client.post(reverse("admin:coaching_dailysummary_delete", args=[daily.pk]), {"post": "yes"}).status_code == 403
    )
    html = client.get(DAILY).content.decode()
    assert "delete_selected" not in html and "refresh_now" in html
    daily.refresh_from_db()
    assert daily.water_ml == 1


def test_search_by_email(client, personas):
    _rows(personas.owner, water_ml=111)
    _rows(personas.other_member, water_ml=222)
    client.force_login(personas.staff)
    html = client.get(DAILY, {"q": personas.other_member.email}).content.decode()
    assert "222" in html and "111" not in html


def test_refresh_now_recomputes_the_selected_rows_from_their_sources(client, personas):
    owner = personas.owner
    daily, weekly = _rows(owner, water_ml=3)
    WaterLog.objects.create(user=owner, amount_ml=400, date=DAY, logged_at=timezone.now())
    client.force_login(personas.staff)

    response = client.post(DAILY, {"action": "refresh_now", "_selected_action": [str(daily.pk)]}, follow=True)
    assert "Recomputed 1 day from their sources." in response.content.decode()
    assert DailySummary.objects.get(pk=daily.pk).water_ml == 400

    WaterLog.objects.create(user=owner, amount_ml=600, date=MONDAY, logged_at=timezone.now())
    response = client.post(WEEKLY, {"action": "refresh_now", "_selected_action": [str(weekly.pk)]}, follow=True)
    assert "Recomputed 1 week from their sources." in response.content.decode()
    assert WeeklySummary.objects.get(pk=weekly.pk).avg_water_ml == 500
    assert DailySummary.objects.get(user=owner, date=MONDAY).water_ml == 600


@pytest.mark.parametrize("people", [1, 15])
def test_the_changelist_costs_the_same_queries_for_more_rows(client, personas, people):
    from accounts.tests.factories import UserFactory

    for _ in range(people):
        _rows(UserFactory())
    client.force_login(personas.staff)
    with assert_max_queries(10):
        assert client.get(DAILY).status_code == 200
    with assert_max_queries(10):
        assert client.get(WEEKLY).status_code == 200
