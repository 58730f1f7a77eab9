"""Nutrition in a real browser: a new person fills their profile, computes their targets, lists a peanut
allergy, logs a banana for breakfast (105 kcal), copies breakfast to the next day, drinks 500 ml of water
with one tap, and is warned about peanut butter before anything is saved (then adds it anyway)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from nutrition.models import Meal, MealItem, MealPlan
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)  # as the page's actions (tests/conftest.py)

BANANA = "Bananas, raw"
BANANA_MEDIUM = "1 medium (118 g)"  # the count kept, the size's detail dropped
PEANUT_BUTTER = "Peanut butter, smooth style, with salt"


def _fill_profile(page):
    page.goto("/settings/profile/")
    form = page.get_by_test_id("profile-form")
    form.get_by_label("Birth date").fill("1990-01-01")
    form.get_by_label("Gender").select_option(label="Female")
    form.get_by_label("Height (cm)").fill("168")
    form.get_by_label("Activity level").select_option(label="Moderately active (3–5 days a week)")
    form.get_by_label("Primary goal").select_option(label="General fitness")
    form.get_by_role("button", name="Save profile").click()
    expect(page.get_by_test_id("profile-notice")).to_contain_text("Your profile is saved")


def _search_results(page, meal: str, q: str):
    page.get_by_label(f"Add a food to {meal}").fill(q)
    results = page.locator(f"#results-{meal}")
    expect(results.locator("form.search-result").first).to_be_visible()
    return results


def _result(page, results, name: str):
    return results.locator("form.search-result").filter(has=page.get_by_text(name, exact=True))


def _items(page, meal: str):
    return page.get_by_role("list", name=f"Foods in {meal}").locator("li.item-row")


def test_targets_allergy_diary_copy_water_and_conflict(page, live_server, reference_data):
    user = UserFactory(email="nora@example.com", username="nora")
    body_metric_record(
        user=user,
        metric_type="weight",
        value=Decimal("64"),
        unit="kg",
        measured_at=timezone.now() - dt.timedelta(hours=2),
    )
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    log_in(page, "nora@example.com", lands_on_today=True)
    _fill_profile(page)

    # --- Targets ------------------------------------------------------------------------------------
    page.goto("/eat/plan/")
    expect(page.get_by_role("heading", name="Meal plan", level=1)).to_be_visible()
    page.get_by_label("Meals a day").fill("3")
    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page.get_by_text("Your targets are computed.")).to_be_visible()
    plan = MealPlan.objects.get(user=user)
    targets = page.locator("#targets")
    expect(targets.get_by_role("heading", name="Your targets")).to_be_visible()
    expect(targets.get_by_role("definition").first).to_contain_text(f"{plan.energy_target_kcal} kcal")
    assert 1000 <= plan.energy_target_kcal <= 5000

    # --- A peanut allergy ---------------------------------------------------------------------------
    page.goto("/eat/preferences/")
    page.get_by_label("Allergies").fill("peanut")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your dietary preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Allergies")).to_have_value("peanut")

    # --- Breakfast: 1 medium banana -----------------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Eat").click()
    today = user.local_today()
    tomorrow = today + dt.timedelta(days=1)
    expect(page.get_by_role("heading", name=re.compile(today.strftime("%B"))).first).to_be_visible()
    # The day is measured against the plan's target.
    expect(page.get_by_test_id("day-totals")).to_contain_text(f"/ {plan.energy_target_kcal} kcal")

    results = _search_results(page, "breakfast", "banan")
    banana = _result(page, results, BANANA)
    expect(banana).to_have_count(1)
    expect(banana.get_by_label("Quantity")).to_have_value("1")
    banana.get_by_label("Unit").select_option(label=BANANA_MEDIUM)
    banana.get_by_role("button", name="Add").click()
    breakfast = _items(page, "breakfast")
    expect(breakfast).to_have_count(1)
    expect(breakfast.first.locator(".item-name")).to_have_text(BANANA)
    expect(breakfast.first.locator(".item-qty")).to_contain_text("(118 g)")
    expect(breakfast.first.locator(".item-kcal")).to_have_text("105 kcal")
    expect(page.locator("#meal-breakfast").get_by_test_id("meal-totals")).to_contain_text("Energy 105 kcal")
    expect(page.get_by_test_id("day-totals")).to_contain_text(f"105 / {plan.energy_target_kcal} kcal")

    # --- Copy breakfast to the next day ---------------------------------------------------------------
    page.locator("#meal-breakfast").get_by_role("button", name="Copy to tomorrow").click()
    expect(page.get_by_text(f"Copied to breakfast on {tomorrow.isoformat()}.")).to_be_visible()
    page.get_by_role("navigation", name="Days").get_by_role("link", name="Next day →").click()
    expect(page).to_have_url(re.compile(rf"/eat/day/{tomorrow.isoformat()}/"))
    copied = _items(page, "breakfast")
    expect(copied).to_have_count(1)
    expect(copied.first.locator(".item-name")).to_have_text(BANANA)
    expect(copied.first.locator(".item-kcal")).to_have_text("105 kcal")
    assert MealItem.objects.filter(meal__user=user, meal__date=tomorrow, food__name=BANANA).count() == 1
    page.get_by_role("navigation", name="Days").get_by_role("link", name="← Previous day").click()
    expect(page).to_have_url(re.compile(rf"/eat/day/{today.isoformat()}/"))

    # --- Water, one tap -------------------------------------------------------------------------------
    water = page.get_by_test_id("water-total")
    expect(water).to_contain_text("0 ml of")
    page.get_by_role("button", name="+500 ml").click()
    expect(water).to_contain_text("500 ml of")
    expect(water.locator("strong")).to_have_text("500 ml")

    # --- Peanut butter: warned before anything is saved -----------------------------------------------
    items_before = MealItem.objects.filter(meal__user=user).count()
    meals_before = Meal.objects.filter(user=user).count()
    results = _search_results(page, "lunch", "peanut butter smooth")
    peanut_butter = _result(page, results, PEANUT_BUTTER)
    expect(peanut_butter).to_have_count(1)
    peanut_butter.get_by_label("Quantity").fill("30")
    peanut_butter.get_by_label("Unit").select_option(label="g")
    peanut_butter.get_by_role("button", name="Add").click()
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_have_attribute("role", "alert")
    expect(conflict).to_contain_text(f"Check before adding {PEANUT_BUTTER}")
    expect(conflict).to_contain_text("peanut allergy")
    assert MealItem.objects.filter(meal__user=user).count() == items_before
    assert Meal.objects.filter(user=user).count() == meals_before
    assert not MealItem.objects.filter(meal__user=user, food__name=PEANUT_BUTTER).exists()
    expect(_items(page, "lunch")).to_have_count(0)

    # Still possible, knowingly.
    conflict.get_by_role("button", name="Add anyway").click()
    lunch = _items(page, "lunch")
    expect(lunch).to_have_count(1)
    expect(lunch.first.locator(".item-name")).to_have_text(PEANUT_BUTTER)
    expect(page.get_by_test_id("conflict")).to_have_count(0)
    assert MealItem.objects.get(meal__user=user, food__name=PEANUT_BUTTER).grams == Decimal("30.00")

    assert script_errors == []
