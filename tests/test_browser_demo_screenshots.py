"""The first look (issue 14, "Done when"): after `load_reference_data --demo`, as the first `make run` does,
the demo member's Today, Progress and History show eight weeks of data in a real browser at laptop size.

The same journey takes the README's screenshots. They are written to docs/screenshots/ when
FITJOURNEY_SCREENSHOTS=1 (`make screenshots`), otherwise to the test's temporary folder, so an ordinary
`make test` leaves the checkout untouched while still driving every step the pictures show."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DEMO_PASSWORD = "fitjourney-demo"


def _folder(tmp_path: Path) -> Path:
    if os.environ.get("FITJOURNEY_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def _shot(page: Page, folder: Path, name: str) -> None:
    page.wait_for_load_state("networkidle")
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, f"{name}.png looks empty"


def test_the_demo_members_first_look_today_progress_history(browser, live_server, reference_data, tmp_path):
    call_command("load_reference_data", "--demo", verbosity=0)
    folder = _folder(tmp_path)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill("demo@fitjourney.test")
    page.get_by_label("Password:").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # Straight to Today: the demo member has done the intake.
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.locator("#habits")).to_contain_text("Sleep")
    _shot(page, folder, "today")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
    weight = page.locator("section.chart-card").filter(has=page.get_by_role("heading", name="Weight trend"))
    # Eight weeks of weigh-ins draw a line, not the one-point message.
    expect(weight.locator("figure.chart svg polyline").first).to_be_attached()
    lifts = page.locator("section.chart-card").filter(has=page.get_by_role("heading", name="Estimated 1RM"))
    expect(lifts.locator("figure.chart svg polyline").first).to_be_attached()
    _shot(page, folder, "progress")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Train").click()
    page.get_by_role("navigation", name="Training").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    count = page.locator("#history-results p.muted").filter(has_text=re.compile(r"^\d+ sessions$")).first
    expect(count).to_be_visible()
    assert int(count.inner_text().split()[0]) >= 40  # 24 strength sessions, the runs and the yoga classes
    _shot(page, folder, "history")

    context.close()
    assert not errors, errors
