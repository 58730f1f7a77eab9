from __future__ import annotations

import pytest
from django.urls import reverse

from fitjourney.testing.access import assert_access
from nutrition.models import Food
from nutrition.tests.factories import FoodFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:nutrition_food_changelist")


def test_food_admin_access(client, personas):
    assert_access(
        client,
        personas,
        lambda c: c.get(CHANGELIST, {"q": "banana"}),
        {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200},
    )


def test_staff_see_system_and_peoples_foods_with_portions(client, personas):
    FoodFactory(owner=personas.owner, name="Owner's flapjack")
    client.force_login(personas.staff)
    html = client.get(CHANGELIST, {"owner_kind": "people"}).content.decode()
    assert "Owner&#x27;s flapjack" in html and "Bananas, raw" not in html
    html = client.get(CHANGELIST, {"q": "bananas raw", "is_system__exact": "1"}).content.decode()
    assert "Bananas, raw" in html
    banana = Food.objects.get(ndb_no="09040")
    html = client.get(reverse("admin:nutrition_food_change", args=[banana.pk])).content.decode()
    assert "cup, mashed" in html


def test_staff_verify_foods_in_bulk(client, personas):
    foods = [FoodFactory(owner=personas.owner) for _ in range(3)]
    untouched = FoodFactory(owner=personas.owner)
    client.force_login(personas.staff)
    response = client.post(
        CHANGELIST, {"action": "verify", "_selected_action": [str(f.pk) for f in foods]}, follow=True
    )
    assert response.status_code == 200 and "Verified 3 foods." in response.content.decode()
    assert set(Food.objects.filter(owner=personas.owner, is_verified=True)) == set(foods)
    untouched.refresh_from_db()
    assert not untouched.is_verified
