"""The logger takes the shape of the activity (issue 14, "Done when"): a 5 km run in 28:00 logged by a metric
person and a 3.1 mi run by an imperial person show distance, pace and calories in their units with none of
the strength chrome; a painting session is logged but is not a workout on Today."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from coaching.services.summaries import summaries_refresh_pending
from tests.browser import log_in
from training.models import Session, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRENGTH_CHROME = ("Add an exercise", "Log your sets as you go", "Volume", "Find an exercise")


def _person(email: str, *, unit_system: str, kg: str):
    user = UserFactory.create(email=email, username=email.split("@")[0], unit_system=unit_system)
    body_metric_record(
        user=user,
        metric_type="weight",
        value=Decimal(kg),
        unit="kg",
        measured_at=timezone.now() - dt.timedelta(hours=2),
    )
    return user


def _start(page: Page, activity: str, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Train").click()
    page.get_by_label("Activity").select_option(label=activity)
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _log_time(page: Page, *, time: str, distance: str | None = None, unit: str | None = None) -> None:
    metrics = page.locator("#metrics")
    expect(metrics.get_by_role("heading", name="Time and details")).to_be_visible()
    metrics.get_by_label("Time (h:mm:ss)").fill(time)
    if distance is not None:
        metrics.get_by_label(f"Distance ({unit})").fill(distance)
    metrics.get_by_role("button", name="Save").click()
    expect(metrics.get_by_role("status")).to_have_text("Saved.")


def _no_strength_chrome(page: Page) -> None:
    for chrome in STRENGTH_CHROME:
        expect(page.get_by_text(chrome, exact=True)).to_have_count(0)
    expect(page.get_by_label("Progress photo")).to_have_count(0)
    expect(page.get_by_label("Form check video")).to_have_count(0)
    expect(page.locator("form.set-form")).to_have_count(0)


def _finish(page: Page) -> None:
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished. Well done!")).to_be_visible()


def _run_summary(page: Page, *, duration: str, distance: str, pace: str, calories: str, code: str) -> None:
    """The finished run's summary, in the person's units, with the Compendium code its MET came from."""
    summary = page.get_by_role("list", name="Summary")
    expect(summary.get_by_test_id("session-duration")).to_have_text(duration)
    expect(summary.get_by_test_id("session-distance")).to_have_text(distance)
    expect(summary.get_by_test_id("session-pace")).to_have_text(pace)
    expect(summary.get_by_test_id("session-calories")).to_have_text(calories)
    expect(page.get_by_text(f"Compendium {code}")).to_be_visible()
    _no_strength_chrome(page)


def test_a_metric_run_a_painting_session_and_today(page, live_server, reference_data):
    user = _person("mia@example.com", unit_system="metric", kg="70")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "mia@example.com", lands_on_today=True)

    _start(page, "Running", "Morning 5k")
    _no_strength_chrome(page)
    _log_time(page, time="28:00", distance="5", unit="km")
    _finish(page)
    # 10.7 km/h: Compendium 2024 code 12060 (running 10.8 km/h, 10.5 MET), 10.5 × 70 kg × 28/60 h.
    _run_summary(page, duration="28 min", distance="5 km", pace="5:36 /km", calories="343 kcal", code="12060")

    _start(page, "Painting", "Watercolour")
    _no_strength_chrome(page)
    _log_time(page, time="45:00")
    _finish(page)
    summary = page.get_by_role("list", name="Summary")
    expect(summary.get_by_test_id("session-duration")).to_have_text("45 min")
    expect(summary.get_by_test_id("session-calories")).to_have_count(0)  # not a physical activity

    # The worker's debounced refresh, run now: the test settings run tasks eagerly, so the second finish
    # inside the debounce window joins a refresh that has already run (tests/test_summaries_worker.py
    # covers the real worker).
    summaries_refresh_pending(user_id=user.pk)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.get_by_test_id("sessions-count")).to_have_text("1 workout, 1 other activity")
    expect(page.get_by_test_id("active-minutes")).to_have_text("28 min")
    expect(page.get_by_test_id("calories-burned")).to_have_text("343 kcal")
    painting = Session.objects.get(user=user, name="Watercolour")
    assert painting.status == SessionStatus.FINISHED and painting.calories_kcal is None
    assert not errors, errors


def test_an_imperial_run_in_miles(page, live_server, reference_data):
    user = _person("ike@example.com", unit_system="imperial", kg="80")
    log_in(page, "ike@example.com", lands_on_today=True)

    _start(page, "Running", "Lunch run")
    _no_strength_chrome(page)
    _log_time(page, time="27:00", distance="3.1", unit="mi")
    _finish(page)
    # 3.1 mi = 4,989 m in 27:00 is 11.1 km/h: Compendium 2024 code 12070 (running 11.3 km/h, 11.0 MET),
    # 11.0 × 80 kg × 27/60 h = 396 kcal.
    _run_summary(page, duration="27 min", distance="3.1 mi", pace="8:43 /mi", calories="396 kcal", code="12070")
    run = Session.objects.get(user=user, name="Lunch run")
    assert (run.met, run.met_code) == (Decimal("11.0"), "12070")
