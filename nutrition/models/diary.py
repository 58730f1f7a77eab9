from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from accounts.models import User
from fitjourney.dates import date_range_check, datetime_range_check

from .foods import Food, Portion


class MealType(models.TextChoices):
    BREAKFAST = "breakfast", "Breakfast"
    LUNCH = "lunch", "Lunch"
    DINNER = "dinner", "Dinner"
    SNACK = "snack", "Snack"


class QuantityUnit(models.TextChoices):
    GRAM = "g", "grams"
    MILLILITRE = "ml", "millilitres"
    PORTION = "portion", "portion"


def meal_photo_path(instance: Meal, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"meals/{uuid.uuid4().hex}.{extension}"


class MealQuerySet(models.QuerySet["Meal"]):
    def for_user(self, user: User) -> MealQuerySet:
        return self.filter(user=user, deleted_at__isnull=True)


class Meal(models.Model):
    """A meal on a day of the person's diary (seed 000 meals)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="meals")
    date = models.DateField(help_text="The day in the person's time zone.")
    meal_type = models.CharField(max_length=10, choices=MealType)
    eaten_at = models.TimeField(null=True, blank=True)
    name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    photo = models.ImageField(upload_to=meal_photo_path, blank=True)
    recognition = models.JSONField(null=True, blank=True, help_text="Foods recognised on the photo (seed ai_analysis).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = MealQuerySet.as_manager()

    class Meta:
        ordering = ["date", "meal_type", "eaten_at"]
        constraints = [
            models.CheckConstraint(condition=Q(meal_type__in=MealType.values), name="nutrition_meal_type_valid"),
            # Dates stay where date arithmetic (the week around a day) cannot overflow (fitjourney.dates).
            models.CheckConstraint(condition=date_range_check("date"), name="nutrition_meal_date_range"),
        ]
        indexes = [
            # The diary: a person's meals of one day (seed 000 idx_meals_user_date).
            models.Index(
                fields=["user", "-date"], condition=Q(deleted_at__isnull=True), name="nutrition_meal_user_day"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_meal_type_display()} {self.date}"


class MealItem(models.Model):
    """A food eaten in a meal. Energy and macros are computed from the food when saved and stored here
    (seed 000 meal_food_items), so a later edit of the food never rewrites the diary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meal = models.ForeignKey(Meal, on_delete=models.CASCADE, related_name="items")
    food = models.ForeignKey(Food, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=10, choices=QuantityUnit, default=QuantityUnit.GRAM)
    portion = models.ForeignKey(Portion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    portion_label = models.CharField(max_length=140, blank=True, help_text="e.g. “1 medium”, kept as shown.")
    grams = models.DecimalField(max_digits=9, decimal_places=2)
    energy_kcal = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    protein_g = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    carbohydrate_g = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    fat_g = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    fiber_g = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0, quantity__lte=10000), name="nutrition_mealitem_quantity_range"
            ),
            models.CheckConstraint(condition=Q(grams__gt=0, grams__lte=20000), name="nutrition_mealitem_grams_range"),
            models.CheckConstraint(condition=Q(unit__in=QuantityUnit.values), name="nutrition_mealitem_unit_valid"),
            # A portion is named exactly when the quantity counts portions.
            models.CheckConstraint(
                condition=(Q(unit=QuantityUnit.PORTION) & Q(portion_label__gt=""))
                | (~Q(unit=QuantityUnit.PORTION) & Q(portion__isnull=True)),
                name="nutrition_mealitem_portion_consistent",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"nutrition_mealitem_{name}_nonnegative",
                )
                for name in ("energy_kcal", "protein_g", "carbohydrate_g", "fat_g", "fiber_g")
            ],
        ]
        indexes = [models.Index(fields=["meal", "created_at"], name="nutrition_mealitem_meal")]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} of {self.food_id}"


class FoodUsage(models.Model):
    """What one person has eaten of one food: how often, when last, and how much (the default the next
    time). One row per (person, food), written by the diary services as items are added, so the food
    search ranks "recent and frequent" and picks the person's usual portion by reading the few rows of
    the candidates instead of aggregating the whole diary. Only its person ever writes it: no hot row."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="food_usages")
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="usages")
    use_count = models.PositiveIntegerField(default=1)
    last_used_at = models.DateTimeField()
    last_quantity = models.DecimalField(max_digits=8, decimal_places=2)
    last_unit = models.CharField(max_length=10, choices=QuantityUnit, default=QuantityUnit.GRAM)
    last_portion = models.ForeignKey(Portion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            # The search joins (person, food) -> this row; the diary upserts on it.
            models.UniqueConstraint(fields=["user", "food"], name="nutrition_foodusage_unique"),
            models.CheckConstraint(condition=Q(use_count__gte=1), name="nutrition_foodusage_count_positive"),
            models.CheckConstraint(
                condition=Q(last_quantity__gt=0, last_quantity__lte=10000), name="nutrition_foodusage_quantity_range"
            ),
            models.CheckConstraint(condition=Q(last_unit__in=QuantityUnit.values), name="nutrition_foodusage_unit"),
        ]
        indexes = [
            # An empty search lists the person's foods, most recent first.
            models.Index(fields=["user", "-last_used_at"], name="nutrition_foodusage_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ate {self.food_id} {self.use_count}×"


class WaterLog(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="water_logs")
    amount_ml = models.PositiveIntegerField()
    logged_at = models.DateTimeField()
    date = models.DateField(help_text="The day in the person's time zone.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-logged_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ml__gte=1, amount_ml__lte=5000), name="nutrition_water_amount_range"
            ),
            models.CheckConstraint(
                condition=date_range_check("date") & datetime_range_check("logged_at"),
                name="nutrition_water_dates_range",
            ),
        ]
        indexes = [models.Index(fields=["user", "date"], name="nutrition_water_user_day")]

    def __str__(self) -> str:
        return f"{self.amount_ml} ml"
