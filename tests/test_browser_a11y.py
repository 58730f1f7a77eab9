"""Accessibility in a real browser (issue 14, points 14 and 15).

- Adding a food or a set with the keyboard keeps the keyboard where it was useful (the new diary row; the
  set form) and is said in the page's one lasting live region, #announcer.
- Today's tab order follows its reading order: the habits are a few stops in, not after every card.
- The muted text of the intake's step strip and Today's week strip is at least 4.5:1, measured on the
  computed colours.
- axe-core (bundled by axe-playwright-python) finds nothing on every page of a member's journey, signed
  out, through the intake, and signed in with data; its label-in-name rule (WCAG 2.5.3, experimental in
  axe) is switched on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.services.body import body_metric_record
from accounts.services.notifications import notify
from accounts.tests.factories import UserFactory
from coaching.models import Habit
from coaching.tests.factories import GoalFactory, HabitFactory, JournalEntryFactory, NumericHabitFactory
from nutrition.models import MealItem
from nutrition.tests.factories import MealPlanFactory
from tests.browser import intake_next, intake_step, log_in
from training.models import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)

BANANA = "Bananas, raw"
AXE = Axe()
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}


def assert_no_axe_violations(page: Page, where: str) -> None:
    page.wait_for_load_state("networkidle")
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{where} ({page.url}):\n{results.generate_report()}"


def _announced(page: Page) -> str:
    return page.locator("#announcer").inner_text()


def _active(page: Page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " name: document.activeElement.getAttribute('name')})"
    )


def _member():
    user = UserFactory(email="ada@example.com", username="ada")
    body_metric_record(
        user=user,
        metric_type="weight",
        value=Decimal("64"),
        unit="kg",
        measured_at=timezone.now() - dt.timedelta(hours=2),
    )
    MealPlanFactory(user=user)
    HabitFactory(user=user, name="Stretch")
    NumericHabitFactory(user=user, name="Water glasses")
    JournalEntryFactory(user=user, entry_date=user.local_today() - dt.timedelta(days=1))
    GoalFactory(user=user, title="Reach 60 kg", start_value=Decimal(64), target_value=Decimal(60))
    notify(user=user, type="reminder", title="Time to stretch", message="Five minutes of stretching.")
    return user


def _start(page: Page, activity: str, name: str) -> None:
    page.goto("/train/")
    page.get_by_label("Activity").select_option(label=activity)
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def test_adding_a_food_and_a_set_with_the_keyboard_keeps_focus_and_says_so(page, live_server, reference_data):
    user = _member()
    log_in(page, "ada@example.com", lands_on_today=True)

    # --- A food, with the keyboard only -------------------------------------------------------------
    page.goto("/eat/")
    page.get_by_label("Add a food to lunch").focus()
    page.keyboard.type("banan")
    results = page.locator("#results-lunch")
    add = results.get_by_role("button", name=f"Add {BANANA} to lunch", exact=True)
    expect(add).to_be_visible()
    expect(results.get_by_label(f"Quantity of {BANANA}", exact=True)).to_have_value("1")
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text(f"Added {BANANA} to lunch")
    item = MealItem.objects.get(meal__user=user)
    expect(page.locator(f"#item-{item.pk}")).to_be_focused()
    # The region stays (it is outside what was swapped) and the row is the lunch list's.
    expect(page.get_by_role("list", name="Foods in lunch").locator("li.item-row")).to_have_count(1)
    page.keyboard.press("Tab")  # on from the row: its own Edit link
    expect(page.get_by_role("link", name=f"Edit {BANANA}")).to_be_focused()

    # --- Two sets on the logger, each typed and sent with Enter ----------------------------------------
    _start(page, "Weight Training", "Legs")
    search = page.get_by_label("Find an exercise")
    search.fill("Squats")
    page.locator("#search-results").get_by_role("button", name="Add Squats", exact=True).click()
    card = page.locator("article.exercise-card").filter(has=page.get_by_role("heading", name="Squats", exact=True))
    expect(card).to_be_visible()
    for number, weight in ((1, "90"), (2, "100")):
        card.get_by_label("Reps").focus()
        page.keyboard.press("Control+a")
        page.keyboard.type("5")
        page.keyboard.press("Tab")
        page.keyboard.press("Control+a")
        page.keyboard.type(weight)
        page.keyboard.press("Enter")
        expect(page.locator("#announcer")).to_have_text(f"Added set {number} of Squats: 5 reps @ {weight} kg")
        expect(card.get_by_role("list", name="Sets of Squats").get_by_role("listitem")).to_have_count(number)
        # The form is not swapped: the keyboard stays in it, on the weight, for the next set.
        assert _active(page)["name"] == "weight", _active(page)
    assert Session.objects.get(user=user).exercises.get().sets.count() == 2


def _tab_stops_until(page: Page, selector: str, limit: int = 80) -> int:
    """Tabs from the top of <main> until the element matching `selector` has focus; the number of stops."""
    page.locator("#main").focus()
    for stop in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return stop
    raise AssertionError(f"{selector} not reached in {limit} tab stops")


def test_todays_habits_are_early_in_the_tab_order_and_in_the_reading_order(page, live_server, reference_data):
    _member()
    log_in(page, "ada@example.com", lands_on_today=True)
    stops = _tab_stops_until(page, "button.habit-toggle")
    # The week's links (at most 2 + 7) and the workout card's one link come first; then the habits. Before the
    # habits moved up they came after the sessions, energy, water and weight cards: 17 stops with this data.
    assert stops <= 11, stops
    # The visual order on a laptop matches: the habits card is on the grid's first row, after the workout.
    page.set_viewport_size({"width": 1280, "height": 900})
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.today-grid section.card')).map(
             (el) => ({id: el.id, top: Math.round(el.getBoundingClientRect().top),
                       left: Math.round(el.getBoundingClientRect().left)}))"""
    )
    ids = [box["id"] for box in boxes]
    assert ids.index("habits") == ids.index("workout") + 1, ids
    reading = sorted(boxes, key=lambda box: (box["top"], box["left"]))
    assert [box["id"] for box in reading] == ids, reading


CONTRAST = """(el) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = el, opacity = 1, background = null;
  for (; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    opacity *= Number(style.opacity);
    const bg = style.backgroundColor;
    if (!background && bg && !bg.startsWith("rgba(0, 0, 0, 0)") && bg !== "transparent") background = rgb(bg);
  }
  background = background || [255, 255, 255];
  // The text's colour as painted: blended with what is behind it by the opacity of it and its parents.
  const text = rgb(getComputedStyle(el).color).map((v, i) => v * opacity + background[i] * (1 - opacity));
  const [a, b] = [luminance(text), luminance(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_muted_step_and_week_strip_text_is_at_least_4_5_to_1(page, live_server, reference_data):
    UserFactory(email="ines@example.com", username="ines", intake_completed_at=None)
    log_in(page, "ines@example.com")
    intake_step(page, "Welcome", 1)
    locked = page.locator(".intake-steps .locked").first
    expect(locked).to_be_visible()
    assert locked.evaluate(CONTRAST) >= 4.5, locked.evaluate(CONTRAST)

    UserFactory(email="ada@example.com", username="ada")
    page.get_by_role("button", name="Log out").click()
    log_in(page, "ada@example.com", lands_on_today=True)
    future = page.locator(".today-week .future")
    if future.count() == 0:  # a Sunday: no day of this week is still to come, so one is drawn as the page would
        page.locator(".today-week").evaluate(
            '(ol) => ol.insertAdjacentHTML(\'beforeend\', \'<li><span class="future"><span class="wd">Mon</span>'
            "<strong>9</strong></span></li>')"
        )
    for index in range(future.count()):
        for part in (".wd", "strong"):
            ratio = future.nth(index).locator(part).evaluate(CONTRAST)
            assert ratio >= 4.5, (index, part, ratio)


def _walk_intake(page: Page) -> None:
    """A new person's intake, axe run on every step (and on a step showing its errors)."""
    intake_step(page, "Welcome", 1)
    assert_no_axe_violations(page, "intake: welcome")
    page.get_by_label("Metric").check()
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    intake_next(page)
    intake_step(page, "Fitness level", 2)
    assert_no_axe_violations(page, "intake: fitness level")
    page.get_by_label("Beginner — new to fitness or returning after a long break").check()
    page.get_by_label("Moderately active (3–5 days a week)").check()
    intake_next(page)
    intake_step(page, "Goals", 3)
    assert_no_axe_violations(page, "intake: goals")
    intake_next(page)  # nothing chosen: the step shows its errors
    intake_step(page, "Goals", 3)
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_no_axe_violations(page, "intake: goals with errors")
    page.get_by_label("Fat loss").check()
    page.get_by_label("Target weight").fill("70")
    page.get_by_label("In how many weeks?").fill("16")
    intake_next(page)
    intake_step(page, "Body stats", 4)
    assert_no_axe_violations(page, "intake: body stats")
    page.get_by_label("Birth date").fill("1991-03-14")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Height (cm)").fill("170")
    page.get_by_label("Weight").fill("76")
    intake_next(page)
    intake_step(page, "Constraints", 5)
    assert_no_axe_violations(page, "intake: constraints")
    page.get_by_role("radio", name="Home").check()
    page.get_by_label("Longest workout you have time for (minutes)").fill("45")
    intake_next(page)
    for number, name in ((6, "Dietary preferences"), (7, "Meal plan"), (8, "Meal schedule")):
        intake_step(page, name, number)
        assert_no_axe_violations(page, f"intake: {name.lower()}")
        intake_next(page)
    intake_step(page, "Workout schedule", 9)
    assert_no_axe_violations(page, "intake: workout schedule")
    page.get_by_label("Monday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Preferred time").fill("18:00")
    intake_next(page)
    intake_step(page, "Hydration", 10)
    assert_no_axe_violations(page, "intake: hydration")
    page.get_by_label("Daily target (ml)").fill("2500")
    intake_next(page)
    intake_step(page, "Lifestyle", 11)
    assert_no_axe_violations(page, "intake: lifestyle")
    page.locator("fieldset", has_text="Your energy lately").get_by_label("Medium").check()
    page.locator("fieldset", has_text="Your stress lately").get_by_label("Low").check()
    page.locator("fieldset", has_text="How well you sleep").get_by_label("Good").check()
    intake_next(page)
    intake_step(page, "Review and confirm", 12)
    assert_no_axe_violations(page, "intake: review")


def test_axe_finds_nothing_on_every_page_of_the_journeys(page, live_server, reference_data):
    # --- Signed out -----------------------------------------------------------------------------------
    page.goto("/accounts/login/")
    assert_no_axe_violations(page, "log in")
    page.goto("/accounts/signup/")
    assert_no_axe_violations(page, "sign up")

    # --- A new person's intake ----------------------------------------------------------------------------
    UserFactory(email="ines@example.com", username="ines", intake_completed_at=None)
    log_in(page, "ines@example.com")
    _walk_intake(page)
    page.get_by_role("button", name="Log out").click()

    # --- A member with data ----------------------------------------------------------------------------
    user = _member()
    log_in(page, "ada@example.com", lands_on_today=True)

    # Eat: a meal with an item, then another meal's search results open.
    page.goto("/eat/")
    page.get_by_label("Add a food to breakfast").fill("banan")
    page.locator("#results-breakfast").get_by_role("button", name=f"Add {BANANA} to breakfast", exact=True).click()
    expect(page.locator("#announcer")).to_have_text(f"Added {BANANA} to breakfast")
    page.get_by_label("Add a food to lunch").fill("banan")
    expect(page.locator("#results-lunch form.search-result").first).to_be_visible()
    assert_no_axe_violations(page, "eat: a day with a meal and search results open")
    page.goto("/eat/plan/")
    assert_no_axe_violations(page, "eat: plan")

    # Train: a strength session being logged, a finished run, the history.
    _start(page, "Weight Training", "Legs")
    page.get_by_label("Find an exercise").fill("Squats")
    page.locator("#search-results").get_by_role("button", name="Add Squats", exact=True).click()
    card = page.locator("article.exercise-card").filter(has=page.get_by_role("heading", name="Squats", exact=True))
    card.get_by_label("Reps").fill("5")
    card.get_by_label("Weight (kg)").fill("100")
    card.get_by_role("button", name="Add set").click()
    expect(page.locator("#announcer")).to_have_text("Added set 1 of Squats: 5 reps @ 100 kg")
    page.get_by_label("Find an exercise").fill("Bench")
    expect(page.locator("#search-results form.search-result").first).to_be_visible()
    assert_no_axe_violations(page, "train: the strength logger")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished")).to_be_visible()
    assert_no_axe_violations(page, "train: a finished strength session")
    _start(page, "Running", "Evening run")
    assert_no_axe_violations(page, "train: a run being logged")
    metrics = page.locator("#metrics")
    metrics.get_by_label("Time (h:mm:ss)").fill("28:00")
    metrics.get_by_label("Distance (km)").fill("5")
    metrics.get_by_role("button", name="Save").click()
    expect(page.locator("#metrics").get_by_role("status")).to_have_text("Saved.")
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished")).to_be_visible()
    assert_no_axe_violations(page, "train: a finished run")
    for path, where in (("/train/", "train"), ("/train/history/", "train: history")):
        page.goto(path)
        assert_no_axe_violations(page, where)

    # The habits, to tick and ticked (on Today); the rest of the member's pages.
    page.goto("/habits/")
    expect(page.get_by_role("button", name="Mark done: Stretch", exact=True)).to_have_attribute("aria-pressed", "false")
    assert_no_axe_violations(page, "habits, none done")
    page.goto("/today/")
    page.get_by_role("button", name="Stretch").click()
    expect(page.get_by_role("button", name="Stretch")).to_have_attribute("aria-pressed", "true")
    assert_no_axe_violations(page, "today")
    page.goto("/habits/")
    expect(page.get_by_role("button", name="Done: Stretch", exact=True)).to_have_attribute("aria-pressed", "true")
    assert_no_axe_violations(page, "habits")
    page.goto("/settings/notifications/")
    expect(page.get_by_role("button", name="Mark read: Time to stretch", exact=True)).to_be_visible()
    assert_no_axe_violations(page, "notifications")
    stretch = Habit.objects.get(user=user, name="Stretch")
    yesterday = user.local_today() - dt.timedelta(days=1)
    for path, where in (
        (f"/habits/{stretch.pk}/", "a habit"),
        ("/habits/new/", "a new habit"),
        ("/progress/", "progress"),
        ("/review/", "review"),
        ("/journal/", "journal"),
        (f"/journal/{yesterday.isoformat()}/", "a journal day"),
        ("/checkins/", "check-ins"),
        ("/coach/", "coach"),
        ("/coach/goals/", "goals"),
        ("/eat/foods/", "eat: the food database"),
        ("/eat/preferences/", "eat: preferences"),
        ("/train/exercises/", "train: exercises"),
        ("/train/templates/", "train: templates"),
        ("/train/programs/", "train: programs"),
        ("/settings/body/", "settings: body"),
        ("/settings/", "settings"),
        ("/settings/profile/", "settings: profile"),
        ("/settings/privacy/", "settings: privacy"),
        ("/settings/notifications/preferences/", "settings: notification preferences"),
    ):
        page.goto(path)
        assert_no_axe_violations(page, where)
    assert Session.objects.filter(user=user, status="finished").count() == 2
