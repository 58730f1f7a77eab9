"""Steps the browser journeys share (tests/test_browser_*.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD


def log_in(page: Page, email: str, *, lands_on_today: bool = False) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if lands_on_today:
        expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def intake_step(page: Page, name: str, number: int) -> None:
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.locator("#intake-progress-label")).to_have_text(f"Step {number} of 12")


def intake_next(page: Page) -> None:
    page.get_by_role("button", name="Next", exact=True).click()


def wait_for(condition: Callable[[], object], *, seconds: float = 30.0, what: str = "the worker was too slow") -> None:
    """Polls `condition` until it holds (the worker's results arrive in the database), failing with `what`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.25)
