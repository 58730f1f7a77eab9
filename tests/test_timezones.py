"""Time zones as people choose them (issue 14, point 12): common zones first, only geographic ones, each
with its offset; the intake pre-selects the browser's zone; the step indicator keeps to two rows on a
laptop."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from fitjourney.timezones import label, timezone_choices
from tests.browser import log_in


def _names(choices) -> list[str]:
    return [name for _, zones in choices for name, _ in zones]


def test_common_zones_come_first_and_non_geographic_names_are_not_offered():
    choices = timezone_choices()
    group, zones = choices[0]
    assert group == "Common" and [name for name, _ in zones][:2] == ["UTC", "Europe/London"]
    names = _names(choices)
    for hidden in ("Factory", "localtime", "Etc/GMT+5", "EST5EDT", "US/Eastern", "GMT", "posixrules", "CET"):
        assert hidden not in names
    assert {"Europe/Berlin", "America/Argentina/Buenos_Aires", "Pacific/Kiritimati"} <= set(names)
    assert [group for group, _ in choices][1:4] == ["Africa", "America", "Antarctica"]


def test_labels_carry_the_offset_and_a_legacy_zone_stays_choosable():
    winter = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    assert label("Europe/Berlin", at=winter) == "Europe/Berlin (UTC+01:00)"
    assert label("America/St_Johns", at=winter) == "America/St Johns (UTC−03:30)"
    assert label("Asia/Kolkata", at=winter) == "Asia/Kolkata (UTC+05:30)"
    kept = timezone_choices(current="US/Eastern")
    assert kept[0] == ("Your current zone", [("US/Eastern", "US/Eastern")])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_intake_starts_at_the_browsers_zone_and_its_steps_keep_to_two_rows(browser, live_server):
    UserFactory(email="zoe@example.com", intake_completed_at=None)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1366, "height": 768}, timezone_id="America/Chicago"
    )
    page = context.new_page()
    try:
        log_in(page, "zoe@example.com")
        expect(page).to_have_url(re.compile(r"/intake/0/$"))
        expect(page.get_by_label("Time zone")).to_have_value("America/Chicago")
        rows = page.evaluate(
            """() => {
              const items = Array.from(document.querySelectorAll('.intake-steps li'));
              return new Set(items.map((li) => Math.round(li.getBoundingClientRect().top))).size;
            }"""
        )
        assert rows <= 2
    finally:
        context.close()
