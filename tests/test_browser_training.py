"""Training in a real browser: a strength session with a superset, a warm-up, RPE and rest (the rest timer
runs), finished with calories, records and volume; a run with distance and heart rate; the streak; the
session found in history by a word of its notes; the progress charts drawn."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from tests.browser import log_in
from training.models import Session, SessionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE_WORD = "thunderclap"


def _start(page, activity: str, name: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Train").click()
    expect(page.get_by_role("heading", name="Train", exact=True)).to_be_visible()
    page.get_by_label("Activity").select_option(label=activity)
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _save_details(page, user, *, started_minutes_ago: int, **fields):
    """The Details form of the logger: the session started earlier than it was opened, plus any fields."""
    section = page.locator("#session-fields")
    section.get_by_text("Name, mood, rating, heart rate, notes").click()
    started = timezone.localtime(timezone.now() - dt.timedelta(minutes=started_minutes_ago), user.zone)
    section.get_by_label("Started").fill(started.strftime("%Y-%m-%dT%H:%M"))
    for label, value in fields.items():
        section.get_by_label(label).fill(value)
    section.get_by_role("button", name="Save details").click()
    expect(page.locator("#session-fields").get_by_role("status")).to_have_text("Details saved.")


def _add_exercise(page, name: str):
    search = page.get_by_label("Find an exercise")
    search.fill(name)
    page.locator("#search-results").get_by_role("button", name=f"Add {name}", exact=True).click()
    expect(page.get_by_role("heading", name=name, exact=True, level=3)).to_be_visible()
    search.fill("")


def _card(page, name: str):
    return page.locator("article.exercise-card").filter(has=page.get_by_role("heading", name=name, exact=True))


def _add_set(page, exercise: str, *, reps, weight, rpe=None, rest=None, warmup=False):
    card = _card(page, exercise)
    form = card.locator("form.set-form")
    sets = card.get_by_role("list", name=f"Sets of {exercise}")
    count = sets.get_by_role("listitem").count()
    form.get_by_label("Reps").fill(str(reps))
    form.get_by_label("Weight (kg)").fill(str(weight))
    more = form.locator("details.more-fields")
    if more.get_attribute("open") is None:
        more.locator("summary").click()
    form.get_by_label("RPE").fill("" if rpe is None else str(rpe))
    form.get_by_label("Rest (s)").fill("" if rest is None else str(rest))
    form.get_by_label("Warm-up").set_checked(warmup)
    form.get_by_role("button", name="Add set").click()
    expect(sets.get_by_role("listitem")).to_have_count(count + 1)
    return sets.get_by_role("listitem").last


def test_log_strength_and_a_run_see_records_streak_history_and_charts(page, live_server, reference_data):
    user = UserFactory(email="sam@example.com", username="sam")
    body_metric_record(
        user=user,
        metric_type="weight",
        value=Decimal("80"),
        unit="kg",
        measured_at=timezone.now() - dt.timedelta(hours=3),
    )
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    log_in(page, "sam@example.com", lands_on_today=True)

    # --- A strength session from the Train page -------------------------------------------------------
    _start(page, "Weight Training", "Push and legs")
    _save_details(page, user, started_minutes_ago=70, Notes=f"Heavy day, felt like a {NOTE_WORD}.")

    timer = page.locator("#rest-timer")
    expect(timer).to_be_hidden()  # no rest before the first set
    for name in ("Bench Press", "Squats", "Deadlift"):
        _add_exercise(page, name)

    # Bench press and squats alternate: a superset.
    page.get_by_label("Select Bench Press for a superset").check()
    page.get_by_label("Select Squats for a superset").check()
    page.get_by_role("button", name="Group selected as a superset").click()
    superset = page.get_by_role("group", name="Superset A")
    expect(superset.get_by_role("heading", level=3)).to_have_text(["Bench Press", "Squats"])

    warmup = _add_set(page, "Bench Press", reps=10, weight=40, rest=60, warmup=True)
    expect(warmup).to_contain_text("10 reps @ 40 kg")
    expect(warmup).to_contain_text("Warm-up")
    # The rest timer starts after a set is added.
    expect(timer).to_be_visible()
    expect(timer.locator(".rest-remaining")).to_have_text(re.compile(r"^[01]:\d\d$"))
    timer.get_by_role("button", name="Skip rest").click()
    expect(timer).to_be_hidden()

    work = _add_set(page, "Bench Press", reps=8, weight=60, rpe=7, rest=120)
    expect(work).to_contain_text("8 reps @ 60 kg")
    expect(work).to_contain_text("RPE 7")
    expect(work).not_to_contain_text("Warm-up")
    expect(timer).to_be_visible()
    expect(timer.locator(".rest-remaining")).to_have_text(re.compile(r"^(2:00|1:5\d)$"))
    _add_set(page, "Squats", reps=5, weight=100, rpe=8, rest=120)
    _add_set(page, "Deadlift", reps=3, weight=140, rpe=9, rest=180)
    # The warm-up is not counted in the volume: 8 × 60 only.
    expect(_card(page, "Bench Press").locator(".exercise-summary")).to_have_text("2 sets · 480 kg")

    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished. Well done!")).to_be_visible()
    summary = page.get_by_role("list", name="Summary")
    expect(summary.get_by_test_id("session-calories")).to_have_text(re.compile(r"^[1-9]\d* kcal$"))
    expect(summary.get_by_test_id("session-volume")).to_have_text("1,400 kg")  # 480 + 500 + 420
    expect(summary.get_by_test_id("session-duration")).to_have_text(re.compile(r"1 h 1\d min"))
    expect(summary.get_by_text("New personal record")).to_be_visible()
    # First-ever values are records; the warm-up is not.
    expect(page.get_by_role("list", name="Sets of Deadlift").locator(".badge.pr")).to_have_text("PR")
    bench_sets = page.get_by_role("list", name="Sets of Bench Press").get_by_role("listitem")
    expect(bench_sets.first.locator(".badge.pr")).to_have_count(0)
    expect(bench_sets.last.locator(".badge.pr")).to_have_text("PR")
    expect(page.get_by_role("group", name="Superset A")).to_be_visible()
    strength = Session.objects.get(user=user, name="Push and legs")
    assert strength.status == SessionStatus.FINISHED and strength.is_personal_record

    # --- A run: logged as a time and a distance, without the strength chrome ------------------------
    _start(page, "Running", "Evening run")
    _save_details(page, user, started_minutes_ago=32, **{"Average heart rate": "148", "Maximum heart rate": "176"})
    for chrome in ("Add an exercise", "Log your sets as you go", "Volume"):
        expect(page.get_by_text(chrome)).to_have_count(0)
    expect(page.get_by_label("Progress photo")).to_have_count(0)
    metrics = page.locator("#metrics")
    expect(metrics.get_by_role("heading", name="Time and details")).to_be_visible()
    metrics.get_by_label("Time (h:mm:ss)").fill("28:00")
    metrics.get_by_label("Distance (km)").fill("5")
    metrics.get_by_role("button", name="Save").click()
    expect(page.locator("#metrics").get_by_role("status")).to_have_text("Saved.")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished. Well done!")).to_be_visible()
    summary = page.get_by_role("list", name="Summary")
    expect(summary.get_by_test_id("session-duration")).to_have_text("28 min")
    expect(summary.get_by_test_id("session-distance")).to_have_text("5 km")
    expect(summary.get_by_test_id("session-pace")).to_have_text("5:36 /km")
    expect(summary.get_by_test_id("session-calories")).to_have_text(re.compile(r"^[1-9]\d* kcal$"))
    expect(page.locator("#metrics .metrics-list")).to_contain_text("5 km")
    run = Session.objects.get(user=user, name="Evening run")
    assert run.status == SessionStatus.FINISHED
    assert (run.avg_heart_rate, run.max_heart_rate) == (148, 176)

    # --- The streak, on the Train page --------------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Train").click()
    expect(page.get_by_test_id("streak-current")).to_have_text("1 day")
    streaks = page.request.get("/api/v1/streaks/")
    overall = next(row for row in streaks.json() if row["activity_type"] is None)
    assert overall["last_active_date"] == run.local_date.isoformat()

    # --- History: the strength session found by a word of its notes -----------------------------------
    page.get_by_role("navigation", name="Training").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    results = page.locator("#history-results")
    expect(results).to_contain_text("2 sessions")
    search = page.get_by_role("searchbox", name="Search")
    search.fill(NOTE_WORD)
    search.press("Enter")
    expect(results).to_contain_text("1 session")
    expect(results.get_by_role("link", name="Push and legs")).to_be_visible()
    expect(results.get_by_role("link", name="Evening run")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"q={NOTE_WORD}"))

    # --- Progress: the charts are drawn -----------------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Progress", exact=True)).to_be_visible()
    for heading in ("Weight trend", "Weekly volume", "Weekly active minutes", "Estimated 1RM"):
        card = page.locator("section.chart-card").filter(has=page.get_by_role("heading", name=heading))
        expect(card.get_by_role("heading", name=heading, level=2)).to_be_visible()
        expect(card.locator("figure.chart svg")).to_have_count(1)
    expect(page.locator("section.chart-card figure.chart svg rect").first).to_be_attached()
    expect(page.locator("section.chart-card figure.chart svg polyline").first).to_be_attached()
    assert not script_errors, script_errors
