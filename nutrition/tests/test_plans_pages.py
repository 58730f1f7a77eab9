"""The plan and preferences pages: access for every persona, forms, errors and pinned query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries
from nutrition.models import DietaryPreferences, HydrationPreferences, MealPlan, MealSchedule
from nutrition.services import plans as services

from .plans_helpers import complete_profile

pytestmark = pytest.mark.django_db

EVERYONE_OWN = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}


@pytest.mark.parametrize("name", ["nutrition:plan", "nutrition:preferences"])
def test_pages_show_each_person_their_own(client, personas, name):
    assert_access(client, personas, lambda c: c.get(reverse(name)), EVERYONE_OWN)


@pytest.mark.parametrize(
    "name",
    [
        "nutrition:plan-calculate",
        "nutrition:plan-adjust",
        "nutrition:plan-lock",
        "nutrition:plan-unlock",
        "nutrition:plan-recalculate",
        "nutrition:plan-schedule",
        "nutrition:preferences-hydration",
    ],
)
def test_post_only_endpoints(client, personas, name):
    # A GET never writes: 405 for members, the login redirect for anonymous.
    expected = {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405}
    assert_access(client, personas, lambda c: c.get(reverse(name)), expected)


def test_writes_only_touch_the_callers_own_plan(client, personas):
    for user in (personas.owner, personas.other_member, personas.trainer, personas.staff):
        complete_profile(user)

    def post(c):
        return c.post(reverse("nutrition:plan-calculate"), {"meals_per_day": 4})

    expected = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, post, expected)
    assert MealPlan.objects.count() == 4  # each for themselves, none for anybody else
    assert set(MealPlan.objects.values_list("meals_per_day", flat=True)) == {4}


def test_missing_profile_data_is_explained(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("nutrition:plan-calculate"), {"meals_per_day": 3})
    assert response.status_code == 400
    assert "birth date" in response.content.decode() and "/settings/body/" in response.content.decode()


@pytest.fixture
def planned(client):
    user = complete_profile(UserFactory())
    services.meal_plan_calculate(user=user)
    client.force_login(user)
    return user


def test_the_plan_page_shows_targets_and_rationale(client, planned):
    page = client.get(reverse("nutrition:plan")).content.decode()
    plan = MealPlan.objects.get(user=planned)
    assert f"{plan.energy_target_kcal} kcal" in page
    assert "Mifflin-St Jeor" in page
    assert f"{plan.protein_pct} %" in page
    assert 'name="meals-0-name"' in page and 'value="Breakfast"' in page  # the suggested schedule


def test_adjusting_shows_errors(client, planned):
    response = client.post(
        reverse("nutrition:plan-adjust"),
        {"meals_per_day": 3, "energy_target_kcal": 2200, "energy_min_kcal": 2000, "energy_max_kcal": 2400,
         "protein_g": 300, "carbohydrate_g": 250, "fat_g": 70},
    )  # fmt: skip
    assert response.status_code == 400
    assert "±50 kcal" in response.content.decode()
    response = client.post(
        reverse("nutrition:plan-adjust"),
        {"meals_per_day": 3, "energy_target_kcal": 2200, "energy_min_kcal": 2000, "energy_max_kcal": 2400,
         "protein_g": 150, "carbohydrate_g": 250, "fat_g": 70},
    )  # fmt: skip
    assert response.status_code == 302
    assert MealPlan.objects.get(user=planned).energy_target_kcal == 2200


def test_lock_unlock_and_recalculate(client, planned):
    client.post(reverse("nutrition:plan-lock"))
    assert MealPlan.objects.get(user=planned).is_locked
    page = client.get(reverse("nutrition:plan")).content.decode()
    assert "Unlock" in page and 'action="/eat/plan/adjust/"' not in page
    assert client.post(reverse("nutrition:plan-recalculate"), {"reason": ""}).status_code == 400
    assert client.post(reverse("nutrition:plan-recalculate"), {"reason": "New weight"}).status_code == 302
    assert MealPlan.objects.get(user=planned).recalculation_reason == "New weight"
    client.post(reverse("nutrition:plan-unlock"))
    assert not MealPlan.objects.get(user=planned).is_locked


def test_recalculation_is_offered_after_a_weight_change(client, planned):
    assert "Recalculating is suggested" not in client.get(reverse("nutrition:plan")).content.decode()
    body_metric_record(user=planned, metric_type="weight", value=Decimal(77))
    assert "Recalculating is suggested" in client.get(reverse("nutrition:plan")).content.decode()


def _schedule_post(rows):
    data = {"meals-TOTAL_FORMS": len(rows), "meals-INITIAL_FORMS": 0, "meals-MIN_NUM_FORMS": 0,
            "meals-MAX_NUM_FORMS": 8}  # fmt: skip
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"meals-{i}-{key}"] = value
    return data


def test_the_schedule_table_saves_and_explains_overlaps(client, planned):
    breakfast = {"meal_number": 1, "name": "Breakfast", "scheduled_time": "08:00", "earliest_time": "07:00",
                 "latest_time": "10:00", "notification_offset_minutes": -15, "is_active": "on"}  # fmt: skip
    brunch = {"meal_number": 2, "name": "Brunch", "scheduled_time": "10:00", "earliest_time": "09:30",
              "latest_time": "11:00", "notification_offset_minutes": -15, "is_active": "on"}  # fmt: skip
    response = client.post(reverse("nutrition:plan-schedule"), _schedule_post([breakfast, brunch]))
    assert response.status_code == 400
    assert "overlaps Breakfast" in response.content.decode()
    brunch["earliest_time"] = "10:00"
    brunch["scheduled_time"] = "10:30"
    assert client.post(reverse("nutrition:plan-schedule"), _schedule_post([breakfast, brunch])).status_code == 302
    assert list(MealSchedule.objects.filter(user=planned).values_list("name", flat=True)) == ["Breakfast", "Brunch"]


def test_the_preferences_page_saves_diet_and_hydration(client, planned):
    response = client.post(
        reverse("nutrition:preferences"),
        {"diet_type": "vegetarian", "allergies": "peanuts, sesame", "preferred_cuisines": "Italian"},
    )
    assert response.status_code == 302
    prefs = DietaryPreferences.objects.get(user=planned)
    assert prefs.allergies == ["peanuts", "sesame"] and prefs.preferred_cuisines == ["italian"]
    assert "peanuts, sesame" in client.get(reverse("nutrition:preferences")).content.decode()
    response = client.post(
        reverse("nutrition:preferences-hydration"),
        {"daily_target_ml": 100, "reminder_every_minutes": 60, "reminder_start": "08:00", "reminder_end": "22:00",
         "tone": "gentle"},
    )  # fmt: skip
    assert response.status_code == 400
    response = client.post(
        reverse("nutrition:preferences-hydration"),
        {"daily_target_ml": 2500, "reminder_every_minutes": 30, "reminder_start": "07:00", "reminder_end": "21:00",
         "tone": "motivational", "reminder_enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    hydration = HydrationPreferences.objects.get(user=planned)
    assert (hydration.daily_target_ml, hydration.reminder_start) == (2500, dt.time(7))


def test_plan_page_query_count(client, planned):
    services.meal_schedule_set(user=planned, meals=services.meal_schedule_suggestion(meals_per_day=5))
    client.get(reverse("nutrition:plan"))  # warm up (session, caches)
    # session, user, plan, schedule, latest weight
    with assert_num_queries(5):
        assert client.get(reverse("nutrition:plan")).status_code == 200


def test_preferences_page_query_count(client, planned):
    client.get(reverse("nutrition:preferences"))
    # session, user, dietary preferences, hydration preferences
    with assert_num_queries(4):
        assert client.get(reverse("nutrition:preferences")).status_code == 200


def test_every_meal_schedule_input_names_itself(client, planned):
    """axe found 16 unlabelled inputs in the schedule table (issue 14, point 15): each carries its name and row."""
    import re

    page = client.get(reverse("nutrition:plan")).content.decode()
    inputs = re.findall(r"<input[^>]*name=\"meals-\d+-[a-zA-Z_]+\"[^>]*>", page)
    visible = [tag for tag in inputs if 'type="hidden"' not in tag]
    assert len(visible) >= 16
    assert all("aria-label=" in tag for tag in visible), [t for t in visible if "aria-label=" not in t][:3]
    assert 'aria-label="Time, meal 2"' in page and 'aria-label="Remove, meal 1"' in page
