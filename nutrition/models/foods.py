from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from accounts.models import User

# Nutrients stored per 100 g of the edible portion (USDA SR28's basis). None means "not reported".
NUTRIENTS = (
    "energy_kcal",
    "protein_g",
    "carbohydrate_g",
    "fat_g",
    "fiber_g",
    "sugars_g",
    "sodium_mg",
    "saturated_fat_g",
    "cholesterol_mg",
    "potassium_mg",
)


class FoodQuerySet(models.QuerySet["Food"]):
    def visible_to(self, user: User | AnonymousUser | None) -> FoodQuerySet:
        """System foods and the person's own (user-created foods are private)."""
        visible = Q(owner__isnull=True)
        if user is not None and user.is_authenticated:
            visible |= Q(owner=user)
        return self.filter(visible, deleted_at__isnull=True)


def _nutrient(max_digits=8) -> models.DecimalField:
    return models.DecimalField(max_digits=max_digits, decimal_places=3, null=True, blank=True)


def food_image_path(instance: Food, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"foods/{uuid.uuid4().hex}.{extension}"


class Food(models.Model):
    """A food (seed 000 food_items): nutrients per 100 g, a default serving, household portions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ndb_no = models.CharField("USDA NDB number", max_length=10, null=True, blank=True, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True)
    brand = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=60, blank=True, help_text="The USDA food group, or the person's.")
    serving_size = models.DecimalField(max_digits=8, decimal_places=2, default=100)
    serving_unit = models.CharField(max_length=20, default="g")
    energy_kcal = _nutrient()
    protein_g = _nutrient()
    carbohydrate_g = _nutrient()
    fat_g = _nutrient()
    fiber_g = _nutrient()
    sugars_g = _nutrient()
    sodium_mg = _nutrient(10)
    saturated_fat_g = _nutrient()
    cholesterol_mg = _nutrient(10)
    potassium_mg = _nutrient(10)
    vitamins = models.JSONField(default=dict, blank=True)
    minerals = models.JSONField(default=dict, blank=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    is_system = models.BooleanField(default=False)
    is_verified = models.BooleanField(default=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="foods")
    image = models.ImageField(upload_to=food_image_path, blank=True)
    usage_count = models.PositiveIntegerField(default=0)
    commonness = models.FloatField(
        default=0,
        help_text="How likely this is the form a person means (cooked rice, whole egg: above 0; flour, baby "
        "food, yolk: below), from the name and food group at import (nutrition.ranking); people's foods: 0.",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("name", "brand", "category", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = FoodQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"nutrition_food_{name}_nonnegative",
                )
                for name in NUTRIENTS
            ],
            # Nothing has more than pure fat's 902 kcal (USDA's Atwater factor 9.02) or 100 g of a
            # macronutrient in 100 g.
            models.CheckConstraint(
                condition=Q(energy_kcal__isnull=True) | Q(energy_kcal__lte=902), name="nutrition_food_energy_max"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": 100}),
                    name=f"nutrition_food_{name}_max_100g",
                )
                for name in ("protein_g", "carbohydrate_g", "fat_g", "fiber_g", "sugars_g", "saturated_fat_g")
            ],
            models.CheckConstraint(condition=Q(serving_size__gt=0), name="nutrition_food_serving_positive"),
            models.CheckConstraint(
                condition=Q(commonness__gte=-5, commonness__lte=5), name="nutrition_food_commonness_range"
            ),
            models.CheckConstraint(
                condition=Q(is_system=False) | Q(owner__isnull=True), name="nutrition_food_system_has_no_owner"
            ),
        ]
        indexes = [
            # Search as you type: full text over name/brand/category, trigram similarity on the name.
            GinIndex(fields=["search_vector"], name="nutrition_food_search"),
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="nutrition_food_name_trgm"),
            models.Index(fields=["category"], name="nutrition_food_category"),
            GinIndex(fields=["tags"], name="nutrition_food_tags"),
            models.Index(fields=["owner"], condition=Q(owner__isnull=False), name="nutrition_food_owner"),
        ]

    def __str__(self) -> str:
        return self.name


class Portion(models.Model):
    """A household measure of a food: "1 medium banana" = 118 g (USDA SR28 WEIGHT)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="portions")
    seq = models.PositiveSmallIntegerField(default=1)
    amount = models.DecimalField(max_digits=8, decimal_places=3)
    description = models.CharField(max_length=120)
    gram_weight = models.DecimalField(max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["food", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["food", "seq"], name="nutrition_portion_unique_seq"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="nutrition_portion_amount_positive"),
            models.CheckConstraint(condition=Q(gram_weight__gt=0), name="nutrition_portion_grams_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount.normalize()} {self.description} ({self.gram_weight.normalize()} g)"


class FoodRecognitionCache(models.Model):
    """Results of recognising the foods on a photo, keyed by the SHA-256 of the image (seed 000)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    image_hash = models.CharField(max_length=64, unique=True)
    detected_foods = models.JSONField()
    total_estimated_kcal = models.PositiveIntegerField(null=True, blank=True)
    model_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.image_hash
