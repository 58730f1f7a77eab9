"""First-week charts (issue 14, point 11): one point says what is missing instead of a lone dot, axis
labels are readable, and the legend names only what is drawn, in its colour."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from coaching.services.summaries import summaries_refresh_pending
from tests.browser import log_in


def weigh(user, kg, *, days_ago):
    """Through the service, so the week's summary (what the review charts) follows."""
    body_metric_record(
        user=user, metric_type="weight", value=Decimal(kg), measured_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    # The summaries the review reads, now (not after the worker's debounce).
    summaries_refresh_pending(user_id=user.pk)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_first_weigh_in_says_what_the_trend_needs_and_two_weeks_draw_a_line(page, live_server, reference_data):
    user = UserFactory(email="wen@example.com")
    weigh(user, 80, days_ago=0)
    log_in(page, "wen@example.com")
    page.wait_for_url(lambda url: "login" not in url)
    page.goto("/review/")
    figure = page.locator("figure[data-source=weight-data]")
    expect(figure.locator(".chart-empty")).to_have_text(
        "One week with a weigh-in so far: weigh in next week too to see a trend."
    )
    expect(figure.locator("svg")).to_have_count(0)
    weigh(user, 81, days_ago=8)
    page.reload()
    expect(figure.locator("svg polyline")).to_have_count(1)
    sizes = figure.locator("svg text").evaluate_all("(nodes) => nodes.map((n) => Number(n.getAttribute('font-size')))")
    assert sizes and min(sizes) >= 12
