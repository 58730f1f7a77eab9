from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries, assert_num_queries
from nutrition.models import Food, MealItem, WaterLog
from nutrition.services import diary as services
from nutrition.tests.factories import FoodFactory, MealFactory, MealItemFactory, MealPlanFactory, PortionFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _plan(user):
    return MealPlanFactory(user=user)


def test_eat_is_todays_diary(member):
    response = _client(member).get("/eat/")
    assert response.status_code == 200
    assert response.context["date"] == member.local_today()
    assert "Set your targets" in response.content.decode() and "/eat/plan/" in response.content.decode()


def test_date_picker_goes_to_the_day(member):
    response = _client(member).get("/eat/?date=2026-03-10")
    assert response.status_code == 302 and response.url == "/eat/day/2026-03-10/"


def test_adding_one_medium_banana_shows_105_kcal(member):
    banana = FoodFactory(name="Bananas", energy_kcal=89)
    portion = PortionFactory(food=banana, description="medium", gram_weight=118)
    client = _client(member)
    search = client.get(f"/eat/day/{DAY}/breakfast/search/?q=banan", **HTMX)
    assert "Bananas" in search.content.decode() and "medium (118 g)" in search.content.decode()
    response = client.post(
        f"/eat/day/{DAY}/breakfast/add/", {"food": banana.pk, "quantity": "1", "unit": f"portion:{portion.pk}"}, **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "105 kcal" in body and "1 medium (118 g)" in body


def test_an_added_food_is_announced_and_its_row_takes_focus(member):
    """The diary region is swapped, so the view names the new row for app.js to focus and sends what
    happened for the page's lasting live region (HX-Trigger "announce")."""
    banana = FoodFactory(name="Bananas, raw", energy_kcal=89)
    client = _client(member)
    response = client.post(f"/eat/day/{DAY}/lunch/add/", {"food": banana.pk, "quantity": "120", "unit": "g"}, **HTMX)
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"announce": {"message": "Added Bananas, raw to lunch"}}
    item = MealItem.objects.get()
    body = response.content.decode()
    assert f'id="item-{item.pk}" tabindex="-1" data-focus-after-swap' in body
    assert body.count("data-focus-after-swap") == 1
    # A refused item announces nothing.
    response = client.post(f"/eat/day/{DAY}/lunch/add/", {"food": banana.pk, "quantity": "6000", "unit": "g"}, **HTMX)
    assert response.status_code == 400 and "HX-Trigger" not in response


def test_search_results_name_the_food_in_every_control(member):
    FoodFactory(name="Bananas, raw", energy_kcal=89)
    body = _client(member).get(f"/eat/day/{DAY}/lunch/search/?q=banan", **HTMX).content.decode()
    assert 'aria-label="Add Bananas, raw to lunch">Add</button>' in body
    assert ">Quantity of Bananas, raw</label>" in body and ">Unit of Bananas, raw</label>" in body


def test_meal_search_defaults_to_the_natural_portion_then_the_persons_last_one(member):
    banana = Food.objects.get(ndb_no="09040")
    client = _client(member)
    url = f"/eat/day/{DAY}/breakfast/search/?q=banan"
    with assert_max_queries(3):  # session, user, the search (portions and the usage inside)
        search = client.get(url, **HTMX)
    first = search.context["search_results"][0]
    medium = banana.portions.get(description__startswith="medium")
    assert first["food"] == banana
    assert first["initial"] == {"quantity": 1, "unit": f"portion:{medium.pk}"}  # not "cup, mashed"
    assert f'<option value="portion:{medium.pk}" selected>1 medium (118 g)</option>' in search.content.decode()
    choices = dict(first["choices"])
    assert choices[f"portion:{medium.pk}"] == "1 medium (118 g)" and "ml" not in choices  # a solid
    assert "Shoshone Bannock" not in search.content.decode()
    large = banana.portions.get(description__startswith="large")
    client.post(f"/eat/day/{DAY}/lunch/add/", {"food": banana.pk, "quantity": "2", "unit": f"portion:{large.pk}"})
    first = client.get(url, **HTMX).context["search_results"][0]
    assert first["food"] == banana and first["initial"] == {"quantity": 2, "unit": f"portion:{large.pk}"}
    milk = client.get(f"/eat/day/{DAY}/breakfast/search/?q=milk", **HTMX).context["search_results"][0]
    assert "ml" in dict(milk["choices"])  # a liquid with a cup portion


def test_add_without_javascript_redirects(member):
    food = FoodFactory()
    response = _client(member).post(f"/eat/day/{DAY}/lunch/add/", {"food": food.pk, "quantity": "150", "unit": "g"})
    assert response.status_code == 302 and response.url.endswith("#meal-lunch")
    assert MealItem.objects.get().grams == 150


def test_bad_quantity_is_a_clear_error_and_nothing_saved(member):
    food = FoodFactory()
    response = _client(member).post(
        f"/eat/day/{DAY}/lunch/add/", {"food": food.pk, "quantity": "6000", "unit": "g"}, **HTMX
    )
    assert response.status_code == 400 and "at most 5000 g" in response.content.decode()
    assert not MealItem.objects.exists()


def test_private_food_of_another_person_is_refused(member):
    from accounts.tests.factories import UserFactory

    food = FoodFactory(owner=UserFactory())
    response = _client(member).post(
        f"/eat/day/{DAY}/lunch/add/", {"food": food.pk, "quantity": "10", "unit": "g"}, **HTMX
    )
    assert response.status_code == 400 and not MealItem.objects.exists()


def test_conflict_is_shown_with_add_anyway(member, monkeypatch):
    monkeypatch.setattr(services.preferences, "food_conflicts", lambda *, user, food: ["Contains peanuts — allergy."])
    food = FoodFactory(name="Peanut butter")
    client = _client(member)
    data = {"food": food.pk, "quantity": "30", "unit": "g"}
    response = client.post(f"/eat/day/{DAY}/snack/add/", data, **HTMX)
    body = response.content.decode()
    assert "Contains peanuts — allergy." in body and "Add anyway" in body
    assert response["HX-Retarget"] == "#results-snack"
    assert not MealItem.objects.exists()
    response = client.post(f"/eat/day/{DAY}/snack/add/", {**data, "acknowledge_conflicts": "on"}, **HTMX)
    assert response.status_code == 200 and MealItem.objects.count() == 1


def test_item_edit_and_delete_inline(member):
    item = MealItemFactory(meal=MealFactory(user=member, date=DAY))
    client = _client(member)
    assert "Save" in client.get(f"/eat/item/{item.pk}/edit/", **HTMX).content.decode()
    response = client.post(f"/eat/item/{item.pk}/edit/", {"quantity": "50", "unit": "g"}, **HTMX)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.grams == 50 and item.energy_kcal == 44.5
    response = client.post(f"/eat/item/{item.pk}/delete/", **HTMX)
    assert response.status_code == 200 and not MealItem.objects.exists()


def test_totals_against_plan_with_progress_bars(member):
    _plan(member)
    MealItemFactory(meal=MealFactory(user=member, date=DAY))
    body = _client(member).get(f"/eat/day/{DAY}/").content.decode()
    assert "89 / 2000 kcal" in body and "<progress" in body and "Set your targets" not in body


def test_water_buttons_and_custom_amount(member):
    client = _client(member)
    client.post(f"/eat/day/{DAY}/water/", {"amount_ml": "500"}, **HTMX)
    response = client.post(f"/eat/day/{DAY}/water/", {"amount_ml": "120"}, **HTMX)
    assert "620 ml" in response.content.decode() and "of 2000 ml" in response.content.decode()
    response = client.post(f"/eat/day/{DAY}/water/", {"amount_ml": "9000"}, **HTMX)
    assert response.status_code == 400 and WaterLog.objects.count() == 2
    log = WaterLog.objects.first()
    assert client.post(f"/eat/water/{log.pk}/delete/", **HTMX).status_code == 200
    assert WaterLog.objects.count() == 1


def test_copy_meal_to_tomorrow_and_copy_day(member):
    meal = MealFactory(user=member, date=DAY)
    MealItemFactory(meal=meal)
    client = _client(member)
    tomorrow = DAY + dt.timedelta(days=1)
    assert client.post(f"/eat/meal/{meal.pk}/copy/", {"to_date": tomorrow}).status_code == 302
    assert MealItem.objects.filter(meal__date=tomorrow).count() == 1
    client.post(f"/eat/day/{DAY + dt.timedelta(days=5)}/copy/", {"from_date": DAY})
    assert MealItem.objects.filter(meal__date=DAY + dt.timedelta(days=5)).count() == 1


def test_meal_details_saved(member):
    meal = MealFactory(user=member, date=DAY)
    _client(member).post(f"/eat/meal/{meal.pk}/details/", {"eaten_at": "08:15", "name": "Oats", "notes": "good"})
    meal.refresh_from_db()
    assert meal.name == "Oats" and meal.eaten_at == dt.time(8, 15)


def test_get_never_writes(member):
    meal = MealFactory(user=member, date=DAY)
    item = MealItemFactory(meal=meal)
    client = _client(member)
    for url in (f"/eat/item/{item.pk}/delete/", f"/eat/day/{DAY}/water/", f"/eat/meal/{meal.pk}/copy/"):
        assert client.get(url).status_code == 405


def _many_items(user, count):
    for meal_type in ("breakfast", "lunch", "dinner", "snack"):
        meal = MealFactory(user=user, date=DAY, meal_type=meal_type, photo="meals/x.jpg")
        for _ in range(count):
            MealItemFactory(meal=meal, food=FoodFactory())
    WaterLog.objects.create(user=user, amount_ml=250, date=DAY, logged_at="2026-03-10T10:00:00Z")


@pytest.mark.parametrize("count", [1, 15])
def test_day_page_query_count_is_pinned(member, count):
    _plan(member)
    _many_items(member, count)
    client = _client(member)
    client.get(f"/eat/day/{DAY}/")  # warm up (session, content types)
    with assert_num_queries(6):
        response = client.get(f"/eat/day/{DAY}/")
    assert response.status_code == 200
    assert response.content.decode().count('class="item-row"') == 4 * count


def test_day_page_stays_under_eight_queries_with_many_items(member):
    _many_items(member, 40)
    client = _client(member)
    with assert_max_queries(8):
        assert client.get(f"/eat/day/{DAY}/").status_code == 200


# Access matrix ---------------------------------------------------------------------------------------


def test_every_page_for_every_persona(personas):
    owner = personas.owner
    meal = MealFactory(user=owner, date=DAY)
    item = MealItemFactory(meal=meal)
    log = WaterLog.objects.create(user=owner, amount_ml=250, date=DAY, logged_at="2026-03-10T10:00:00Z")
    client = Client()
    mine = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get("/eat/"), mine)
    assert_access(client, personas, lambda c: c.get(f"/eat/day/{DAY}/"), mine)
    assert_access(client, personas, lambda c: c.get(f"/eat/day/{DAY}/breakfast/search/?q=x", **HTMX), mine)
    theirs = {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.get(f"/eat/item/{item.pk}/edit/", **HTMX), theirs)
    redirect_owner = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.post(f"/eat/meal/{meal.pk}/details/", {"name": "x"}), redirect_owner)
    assert_access(
        client, personas, lambda c: c.post(f"/eat/meal/{meal.pk}/copy/", {"to_date": "2026-03-11"}), redirect_owner
    )
    assert_access(client, personas, lambda c: c.post(f"/eat/meal/{meal.pk}/photo/", {}), redirect_owner)
    delete = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.post(f"/eat/water/{log.pk}/delete/"), delete)
    assert_access(client, personas, lambda c: c.post(f"/eat/item/{item.pk}/delete/"), delete)
    assert_access(client, personas, lambda c: c.post(f"/eat/item/{uuid.uuid4()}/delete/"), {**delete, "owner": 404})
    # Writes to a day always go to the caller's own diary.
    own = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, lambda c: c.post(f"/eat/day/{DAY}/water/", {"amount_ml": "100"}), own)
    assert WaterLog.objects.filter(user=owner).count() == 1  # deleted one, added one
    assert MealItem.objects.filter(meal__user=owner, meal__date=DAY).count() == 0


def test_bad_dates_and_meal_types_are_404(member):
    client = _client(member)
    assert client.get("/eat/day/2026-13-40/").status_code == 404
    assert client.get(f"/eat/day/{DAY}/brunch/search/?q=x", **HTMX).status_code == 404
