from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from fitjourney.errors import NotFound
from nutrition.models import FoodUsage, Meal, MealItem, WaterLog
from nutrition.selectors import diary as selectors
from nutrition.services import diary as services
from nutrition.tests.factories import FoodFactory, MealFactory, MealItemFactory, PortionFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def banana():
    food = FoodFactory(name="Bananas", energy_kcal=89)
    PortionFactory(food=food, seq=1, amount=1, description="medium", gram_weight=118)
    return food


def _meal(user, meal_type="breakfast", date=DAY):
    return services.meal_get_or_create(user=user, date=date, meal_type=meal_type)


def test_one_medium_banana_is_118_g_and_105_kcal(user, banana):
    portion = banana.portions.get()
    item = services.item_add(user=user, meal=_meal(user), food=banana, quantity=1, unit="portion", portion=portion)
    item.refresh_from_db()
    assert item.grams == Decimal("118.00")
    assert item.energy_kcal == Decimal("105.02")
    assert item.portion_label == "medium"
    assert round(item.energy_kcal) == 105


def test_grams_scale_every_stored_nutrient(user, banana):
    item = services.item_add(user=user, meal=_meal(user), food=banana, quantity=200, unit="g")
    assert item.grams == Decimal("200.00") and item.energy_kcal == Decimal("178.00")
    assert item.protein_g == Decimal("2.18") and item.fiber_g == Decimal("5.20")


def test_millilitres_only_for_a_liquid_with_a_known_density(user):
    milk = FoodFactory(name="Milk, whole", category="Dairy and Egg Products", energy_kcal=60)
    with pytest.raises(ValidationError) as error:  # no volume portion: its density is unknown
        services.item_add(user=user, meal=_meal(user), food=milk, quantity=250, unit="ml")
    assert "unit" in error.value.message_dict
    PortionFactory(food=milk, seq=1, amount=1, description="cup", gram_weight=Decimal("244.00"))
    item = services.item_add(user=user, meal=_meal(user), food=milk, quantity=250, unit="ml")
    assert item.grams == Decimal("257.83")  # 244 g per 236.588 ml
    oil = FoodFactory(name="Oil, olive", category="Fats and Oils", energy_kcal=884)
    PortionFactory(food=oil, seq=1, amount=1, description="fl oz", gram_weight=Decimal("27.00"))
    assert services.item_add(user=user, meal=_meal(user), food=oil, quantity=10, unit="ml").grams == Decimal("9.13")
    banana = FoodFactory(name="Bananas, raw", category="Fruits and Fruit Juices", energy_kcal=89)
    PortionFactory(food=banana, seq=1, amount=1, description="cup, mashed", gram_weight=Decimal("225.00"))
    with pytest.raises(ValidationError):  # a solid is never measured in millilitres
        services.item_add(user=user, meal=_meal(user), food=banana, quantity=100, unit="ml")


def test_adding_items_keeps_the_persons_food_usage(user):
    food = FoodFactory(name="Oat bar")
    meal = _meal(user)
    services.item_add(user=user, meal=meal, food=food, quantity=40, unit="g")
    item = services.item_add(user=user, meal=meal, food=food, quantity=55, unit="g")
    usage = FoodUsage.objects.get(user=user, food=food)
    assert (usage.use_count, usage.last_quantity, usage.last_unit) == (2, Decimal("55.00"), "g")
    services.item_update(user=user, item=item, quantity=60)  # an edit changes the amount, not the count
    usage.refresh_from_db()
    assert (usage.use_count, usage.last_quantity) == (2, Decimal("60.00"))
    services.meal_copy(user=user, meal=meal, to_date=DAY - dt.timedelta(days=1))  # copies are eaten too
    usage.refresh_from_db()
    assert usage.use_count == 4
    other = UserFactory()
    services.item_add(user=other, meal=_meal(other), food=food, quantity=10, unit="g")
    assert FoodUsage.objects.get(user=other, food=food).use_count == 1  # a row per person, not shared
    assert FoodUsage.objects.get(user=user, food=food).use_count == 4


def test_unreported_nutrient_stays_none_and_totals_say_incomplete(user):
    food = FoodFactory(fiber_g=None)
    meal = _meal(user)
    services.item_add(user=user, meal=meal, food=food, quantity=100, unit="g")
    services.item_add(user=user, meal=meal, food=FoodFactory(), quantity=100, unit="g")
    item = MealItem.objects.filter(food=food).get()
    assert item.fiber_g is None
    summary = selectors.day_summary(user=user, date=DAY)
    assert summary.totals.incomplete == {"fiber_g"}
    assert summary.totals.values["fiber_g"] == Decimal("2.60")
    assert summary.totals.values["energy_kcal"] == Decimal("178.00")


def test_a_portion_the_food_does_not_have_is_refused(user, banana):
    with pytest.raises(ValidationError) as exc:
        services.portion_by_name(food=banana, name="slice")
    assert "Bananas has no 'slice' portion." in exc.value.messages
    other = PortionFactory(description="slice", gram_weight=30)
    with pytest.raises(ValidationError) as exc:
        services.item_add(user=user, meal=_meal(user), food=banana, quantity=1, unit="portion", portion=other)
    assert "portion" in exc.value.message_dict
    assert not MealItem.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "unit", "field"),
    [
        (0, "g", "quantity"),
        (-5, "g", "quantity"),
        (5001, "g", "quantity"),
        (5001, "ml", "quantity"),
        (51, "portion", "quantity"),
        ("abc", "g", "quantity"),
        (100, "cup", "unit"),
    ],
)
def test_bad_quantities_are_refused_and_nothing_saved(user, banana, quantity, unit, field):
    portion = banana.portions.get()
    with pytest.raises(ValidationError) as exc:
        services.item_add(user=user, meal=_meal(user), food=banana, quantity=quantity, unit=unit, portion=portion)
    assert field in exc.value.message_dict
    assert not MealItem.objects.exists()


def test_someone_elses_private_food_is_a_field_error(user):
    private = FoodFactory(owner=UserFactory())
    with pytest.raises(ValidationError) as exc:
        services.item_add(user=user, meal=_meal(user), food=private, quantity=100)
    assert exc.value.message_dict == {"food": ["Food not found."]}


def test_someone_elses_meal_is_not_found(user, banana):
    meal = MealFactory()
    with pytest.raises(NotFound):
        services.item_add(user=user, meal=meal, food=banana, quantity=100)


def test_conflicts_block_until_acknowledged(user, banana, monkeypatch):
    monkeypatch.setattr(
        services.preferences, "food_conflicts", lambda *, user, food: ["Contains banana — you listed an allergy."]
    )
    meal = _meal(user)
    with pytest.raises(services.ConflictWarning) as exc:
        services.item_add(user=user, meal=meal, food=banana, quantity=100)
    assert exc.value.messages == ["Contains banana — you listed an allergy."]
    assert not MealItem.objects.exists()
    services.item_add(user=user, meal=meal, food=banana, quantity=100, acknowledge_conflicts=True)
    assert MealItem.objects.count() == 1


def test_meal_get_or_create_reuses_the_days_meal(user):
    assert _meal(user) == _meal(user)
    assert _meal(user, "lunch") != _meal(user)
    with pytest.raises(ValidationError):
        _meal(user, "brunch")


def test_item_update_recomputes_and_delete_removes(user, banana):
    item = services.item_add(user=user, meal=_meal(user), food=banana, quantity=100)
    item = services.item_update(user=user, item=item, quantity=50)
    assert item.energy_kcal == Decimal("44.50")
    item = services.item_update(user=user, item=item, quantity=2, unit="portion", portion=banana.portions.get())
    assert item.grams == Decimal("236.00")
    with pytest.raises(NotFound):
        services.item_delete(user=UserFactory(), item=item)
    services.item_delete(user=user, item=item)
    assert not MealItem.objects.exists()


def test_copies_keep_stored_values_when_the_food_changes(user, banana):
    meal = _meal(user)
    services.item_add(user=user, meal=meal, food=banana, quantity=100)
    banana.energy_kcal = 500
    banana.save()
    target = services.meal_copy(user=user, meal=meal, to_date=DAY + dt.timedelta(days=1))
    assert [i.energy_kcal for i in target.items.all()] == [Decimal("89.00")]
    services.meal_update(user=user, meal=target, name="Again")
    services.day_copy(user=user, from_date=DAY, to_date=DAY + dt.timedelta(days=2))
    copied = MealItem.objects.filter(meal__date=DAY + dt.timedelta(days=2)).get()
    assert copied.energy_kcal == Decimal("89.00") and copied.grams == Decimal("100.00")


def test_meal_copy_to_another_meal_type(user, banana):
    meal = _meal(user)
    services.item_add(user=user, meal=meal, food=banana, quantity=100)
    target = services.meal_copy(user=user, meal=meal, to_date=DAY, to_meal_type="snack")
    assert target.meal_type == "snack" and target.items.count() == 1
    with pytest.raises(ValidationError):
        services.meal_copy(user=user, meal=meal, to_date=DAY)


def test_day_copy_refuses_an_empty_day_or_the_same_day(user):
    with pytest.raises(ValidationError):
        services.day_copy(user=user, from_date=DAY, to_date=DAY)
    with pytest.raises(ValidationError):
        services.day_copy(user=user, from_date=DAY - dt.timedelta(days=1), to_date=DAY)
    assert not Meal.objects.exists()


def test_water_range_and_delete(user):
    log = services.water_log_add(user=user, amount_ml=250)
    assert log.date == user.local_today()
    for bad in (0, 5001, "x"):
        with pytest.raises(ValidationError):
            services.water_log_add(user=user, amount_ml=bad)
    with pytest.raises(NotFound):
        services.water_log_delete(user=UserFactory(), water_log=log)
    services.water_log_delete(user=user, water_log=log)
    assert not WaterLog.objects.exists()


def test_meal_delete_hides_it(user):
    meal = _meal(user)
    MealItemFactory(meal=meal)
    services.meal_delete(user=user, meal=meal)
    assert selectors.meals_for_day(user=user, date=DAY) == []
