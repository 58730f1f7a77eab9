from __future__ import annotations

import pytest
from django.urls import reverse

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import Food
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("nutrition:foods")
CREATE = reverse("nutrition:food-create")
MEMBERS = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
VALID = {"name": "Oat bar", "basis": "100g", "energy_kcal": "380", "protein_g": "8", "carbohydrate_g": "60",
         "fat_g": "12"}  # fmt: skip


def test_access_matrix(client, personas):
    private = FoodFactory(owner=personas.owner, name="Owner's oat bar")
    banana = Food.objects.get(ndb_no="09040")
    assert_access(client, personas, lambda c: c.get(SEARCH, {"q": "banana"}), MEMBERS)
    assert_access(client, personas, lambda c: c.get(reverse("nutrition:food-detail", args=[banana.pk])), MEMBERS)
    assert_access(
        client,
        personas,
        lambda c: c.get(reverse("nutrition:food-detail", args=[private.pk])),
        {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(client, personas, lambda c: c.get(CREATE), MEMBERS)
    refused = {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405}
    assert_access(client, personas, lambda c: c.post(SEARCH), refused)


def test_search_page_shows_macros_per_100g_and_portions_without_javascript(client, member):
    client.force_login(member)
    html = client.get(SEARCH, {"q": "banan"}).content.decode()
    assert "Bananas, raw" in html and "89 kcal" in html and "protein 1.1 g" in html
    assert "1 cup, mashed = 225 g" in html and 'name="q" value="banan"' in html
    assert "<html" in html.lower()


def test_htmx_gets_only_the_results_partial_in_at_most_three_queries(client, member):
    client.force_login(member)
    client.get(SEARCH)  # warm the session
    with assert_max_queries(3):
        response = client.get(SEARCH, {"q": "chiken brest"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="food-results")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html.lower()
    assert 'id="food-results"' in html and "Chicken, broilers or fryers, breast" in html


def test_detail_shows_every_nutrient_and_not_reported(client, member):
    food = Food.objects.filter(ndb_no__isnull=False, fiber_g__isnull=True).first()
    client.force_login(member)
    html = client.get(reverse("nutrition:food-detail", args=[food.pk])).content.decode()
    assert "not reported" in html and "Fiber (g)" in html and "Potassium (mg)" in html
    banana = Food.objects.get(ndb_no="09040")
    html = client.get(reverse("nutrition:food-detail", args=[banana.pk])).content.decode()
    assert "cup, mashed" in html and "225 g" in html and "200 kcal" in html  # 225 g × 89 kcal / 100


def test_adding_a_food_per_serving_converts_and_keeps_it_private(client, member):
    client.force_login(member)
    data = {**VALID, "basis": "serving", "serving_grams": "40", "energy_kcal": "152", "protein_g": "3.2",
            "carbohydrate_g": "24", "fat_g": "4.8"}  # fmt: skip
    response = client.post(CREATE, data)
    food = Food.objects.get(owner=member)
    assert response.status_code == 302 and response.url == reverse("nutrition:food-detail", args=[food.pk])
    assert (
        food.energy_kcal == 380
        and food.fat_g == 12
        and food.carbohydrate_g == 60
        and food.fiber_g is None
        and not food.is_system
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"energy_kcal": "-5"}, "greater than or equal to 0"),
        ({"energy_kcal": "abc"}, "Enter a number."),
        ({"basis": "serving"}, "Give the serving weight"),
        ({"energy_kcal": "1000"}, "Energy can be at most 902 kcal per 100 g."),
        ({"protein_g": "60", "fat_g": "50"}, "together cannot weigh more than the food itself"),
    ],
)
def test_bad_input_shows_clear_errors_and_saves_nothing(client, member, overrides, message):
    client.force_login(member)
    response = client.post(CREATE, {**VALID, **overrides})
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "nothing was saved" in html
    assert not Food.objects.filter(owner=member).exists()
