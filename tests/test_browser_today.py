"""The first day, in a real browser with a real Celery worker: a new person goes through the intake,
leaves at step 5 and comes back there, confirms, sees Today with their targets, ticks a habit, logs water
and a meal, writes in the journal, and sees the daily summary the worker refreshed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from playwright.sync_api import expect

from accounts.models import BodyMetric, LifestyleBaseline, PhysicalConstraint
from accounts.tests.factories import UserFactory
from coaching.models import DailySummary, Goal, HabitLog, JournalEntry, OnboardingState
from fitjourney.celery import app
from nutrition.models import MealItem, MealPlan, MealSchedule, WaterLog
from tests.browser import intake_next, intake_step, log_in, wait_for
from training.models import WorkoutSchedule

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)

BANANA = "Bananas, raw"
BANANA_MEDIUM = "1 medium (118 g)"  # the count kept, the size's detail dropped


def test_intake_resume_today_habit_water_meal_journal_and_the_summary(
    page, live_server, reference_data, celery_worker_process, monkeypatch
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # summaries refresh in the real worker
    user = UserFactory(email="ines@example.com", username="ines", intake_completed_at=None)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    # --- The intake leads; steps 0–4 ------------------------------------------------------------------
    log_in(page, "ines@example.com")
    expect(page).to_have_url(re.compile(r"/intake/0/$"))
    intake_step(page, "Welcome", 1)
    page.get_by_label("Metric").check()
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    intake_next(page)

    intake_step(page, "Fitness level", 2)
    page.get_by_label("Beginner — new to fitness or returning after a long break").check()
    page.get_by_label("Moderately active (3–5 days a week)").check()
    intake_next(page)

    intake_step(page, "Goals", 3)
    page.get_by_label("Fat loss").check()
    # An incompatible pair is refused on the step, and nothing of it is kept.
    page.get_by_label("A second goal (optional)").select_option("muscle_gain")
    intake_next(page)
    intake_step(page, "Goals", 3)
    expect(page.get_by_role("alert").first).to_be_visible()
    assert "step_2" not in OnboardingState.objects.get(user=user).step_data
    page.get_by_label("A second goal (optional)").select_option("strength")
    page.get_by_label("Target weight").fill("70")
    page.get_by_label("In how many weeks?").fill("16")
    intake_next(page)

    intake_step(page, "Body stats", 4)
    page.get_by_label("Birth date").fill("1991-03-14")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Height (cm)").fill("170")
    page.get_by_label("Weight").fill("76")
    intake_next(page)

    intake_step(page, "Constraints", 5)
    page.get_by_role("radio", name="Home").check()
    page.get_by_label("Dumbbells").check()
    page.get_by_label("Longest workout you have time for (minutes)").fill("45")
    page.get_by_label("Where").first.select_option("knee")
    page.get_by_label("How severe").first.select_option("mild")
    intake_next(page)

    # --- Step 5 shows; the person leaves and comes back later -------------------------------------------
    intake_step(page, "Dietary preferences", 6)
    page.get_by_role("button", name="Log out").click()
    log_in(page, "ines@example.com")
    page.goto("/today/")
    expect(page).to_have_url(re.compile(r"/intake/5/$"))
    intake_step(page, "Dietary preferences", 6)
    state = OnboardingState.objects.get(user=user)
    assert state.current_step == 5 and sorted(state.completed_steps) == [0, 1, 2, 3, 4]
    # Back works, with the answers kept.
    page.get_by_role("link", name="Back").click()
    intake_step(page, "Constraints", 5)
    expect(page.get_by_label("Longest workout you have time for (minutes)")).to_have_value("45")
    intake_next(page)

    # --- Steps 5–10 ---------------------------------------------------------------------------------------
    intake_step(page, "Dietary preferences", 6)
    intake_next(page)
    intake_step(page, "Meal plan", 7)
    target = int(page.get_by_label("Daily energy target (kcal)").input_value())
    assert 1000 <= target <= 5000
    intake_next(page)
    intake_step(page, "Meal schedule", 8)
    intake_next(page)
    intake_step(page, "Workout schedule", 9)
    # No workout day is refused.
    intake_next(page)
    intake_step(page, "Workout schedule", 9)
    expect(page.get_by_role("alert").first).to_be_visible()
    page.get_by_label("Monday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Preferred time").fill("18:00")
    intake_next(page)
    intake_step(page, "Hydration", 10)
    page.get_by_label("Daily target (ml)").fill("2500")
    intake_next(page)
    intake_step(page, "Lifestyle", 11)
    page.locator("fieldset", has_text="Your energy lately").get_by_label("Medium").check()
    page.locator("fieldset", has_text="Your stress lately").get_by_label("Low").check()
    page.locator("fieldset", has_text="How well you sleep").get_by_label("Good").check()
    page.get_by_label("Hours of sleep last night (optional)").fill("7.5")
    intake_next(page)

    # --- Review and confirm ---------------------------------------------------------------------------
    intake_step(page, "Review and confirm", 12)
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    user.refresh_from_db()
    assert user.intake_completed_at is not None
    assert user.profile.is_locked and user.profile.primary_goal == "fat_loss"
    assert user.profile.version >= 2
    assert Goal.objects.filter(user=user, status="active").count() == 2
    assert BodyMetric.objects.filter(user=user, metric_type_id="weight").get().value == Decimal("76")
    assert PhysicalConstraint.objects.filter(user=user, constraint_type="injury", category="knee").exists()
    plan = MealPlan.objects.get(user=user)
    assert plan.is_locked and plan.energy_target_kcal == target
    assert MealSchedule.objects.filter(user=user).count() >= 2
    assert WorkoutSchedule.objects.get(user=user).weekdays == [1, 4]
    assert LifestyleBaseline.objects.filter(user=user).count() == 1

    # --- Today shows the targets ------------------------------------------------------------------------
    expect(page.locator("#energy")).to_contain_text(f"Your target is {plan.energy_target_kcal} kcal.")

    # --- A habit to tick ----------------------------------------------------------------------------------
    page.goto("/habits/new/")
    page.get_by_label("Name").fill("Stretch")
    page.get_by_label("Done or not").check()
    page.get_by_role("button", name="Add habit").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    toggle = page.locator("button.habit-toggle").first
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.locator("button.habit-toggle").first).to_have_attribute("aria-pressed", "true")

    # --- Water, one tap --------------------------------------------------------------------------------
    page.locator("#water-add-250").click()
    expect(page.get_by_test_id("water-total")).to_contain_text("250")

    # --- A meal -----------------------------------------------------------------------------------------------
    today = user.local_today()
    page.goto(f"/eat/day/{today.isoformat()}/")
    page.get_by_label("Add a food to breakfast").fill("banan")
    results = page.locator("#results-breakfast")
    banana = results.locator("form.search-result").filter(has=page.get_by_text(BANANA, exact=True))
    expect(banana).to_have_count(1)
    banana.get_by_label("Unit").select_option(label=BANANA_MEDIUM)
    banana.get_by_role("button", name="Add").click()
    expect(page.get_by_role("list", name="Foods in breakfast").locator("li.item-row")).to_have_count(1)

    # --- The journal --------------------------------------------------------------------------------------
    page.goto(f"/journal/{today.isoformat()}/")
    page.get_by_label("Title").fill("First day")
    page.get_by_role("textbox", name="How was the day?").fill("Did the whole intake and a stretch.")
    page.get_by_label("Mood").select_option("good")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text(re.compile(r"Your entry for .* is saved\."))).to_be_visible()

    # --- The worker refreshes the summary; it equals its sources -------------------------------------------
    def fresh():
        row = DailySummary.objects.filter(user=user, date=today).first()
        return row is not None and row.calories_eaten == 105 and row.has_journal_entry and row.habits_completed == 1

    wait_for(fresh, what="the worker did not refresh the summary in time")
    row = DailySummary.objects.get(user=user, date=today)
    items = MealItem.objects.filter(meal__user=user, meal__date=today).aggregate(kcal=Sum("energy_kcal"))
    assert row.calories_eaten == round(items["kcal"]) == 105
    assert row.meals == 1
    assert row.water_ml == WaterLog.objects.filter(user=user, date=today).aggregate(ml=Sum("amount_ml"))["ml"] == 250
    assert (row.habits_completed, row.habits_total) == (1, HabitLog.objects.filter(habit__user=user).count())
    assert row.has_journal_entry and JournalEntry.objects.filter(user=user, entry_date=today).exists()
    assert row.weight_kg == Decimal("76.00")

    # Today shows the refreshed summary.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_test_id("calories-eaten")).to_contain_text(f"105 kcal eaten of {plan.energy_target_kcal} kcal")
    expect(page.get_by_test_id("water-total")).to_contain_text("250")
    expect(page.get_by_test_id("journal-written")).to_be_visible()
    expect(page.get_by_test_id("updating")).to_have_count(0)
    assert script_errors == []
