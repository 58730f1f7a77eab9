from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from nutrition.models import Food, Meal, MealItem, MealPlan, MealType, Portion


class FoodFactory(DjangoModelFactory):
    """A food with nutrients per 100 g (a system food unless `owner` is given)."""

    class Meta:
        model = Food

    name = factory.Sequence(lambda n: f"Test food {n}")
    category = "Fruits and Fruit Juices"
    energy_kcal = 89
    protein_g = 1.09
    carbohydrate_g = 22.84
    fat_g = 0.33
    fiber_g = 2.6
    is_system = factory.LazyAttribute(lambda o: o.owner is None)
    owner = None


class PortionFactory(DjangoModelFactory):
    class Meta:
        model = Portion

    food = factory.SubFactory(FoodFactory)
    seq = factory.Sequence(lambda n: n + 1)
    amount = 1
    description = "medium"
    gram_weight = 118


class MealFactory(DjangoModelFactory):
    class Meta:
        model = Meal

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(dt.date.today)
    meal_type = MealType.BREAKFAST


class MealItemFactory(DjangoModelFactory):
    """100 g of a food, with the stored values computed as the diary service would."""

    class Meta:
        model = MealItem

    meal = factory.SubFactory(MealFactory)
    food = factory.SubFactory(FoodFactory)
    quantity = 100
    unit = "g"
    grams = 100
    energy_kcal = factory.LazyAttribute(lambda o: o.food.energy_kcal)
    protein_g = factory.LazyAttribute(lambda o: o.food.protein_g)
    carbohydrate_g = factory.LazyAttribute(lambda o: o.food.carbohydrate_g)
    fat_g = factory.LazyAttribute(lambda o: o.food.fat_g)
    fiber_g = factory.LazyAttribute(lambda o: o.food.fiber_g)


class MealPlanFactory(DjangoModelFactory):
    """A plan of 2,000 kcal (1,800–2,200): 120 g protein, 220 g carbohydrate, 70 g fat, 30 g fibre."""

    class Meta:
        model = MealPlan

    user = factory.SubFactory(UserFactory)
    energy_target_kcal = 2000
    energy_min_kcal = 1800
    energy_max_kcal = 2200
    protein_g = 120
    carbohydrate_g = 220
    fat_g = 70
    fiber_g = 30
    protein_pct = 25
    carbohydrate_pct = 45
    fat_pct = 30
