from __future__ import annotations

import uuid

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, IntegerRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Cast, Extract

from accounts.models import User


class DietType(models.TextChoices):
    OMNIVORE = "omnivore", "Omnivore"
    VEGETARIAN = "vegetarian", "Vegetarian"
    VEGAN = "vegan", "Vegan"
    PESCATARIAN = "pescatarian", "Pescatarian"
    KETO = "keto", "Keto"
    PALEO = "paleo", "Paleo"
    MEDITERRANEAN = "mediterranean", "Mediterranean"
    OTHER = "other", "Other"


class SkillLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class PrepWillingness(models.TextChoices):
    NONE = "none", "None"
    MINIMAL = "minimal", "Minimal"
    MODERATE = "moderate", "Moderate"
    EXTENSIVE = "extensive", "Extensive"


def _words() -> ArrayField:
    return ArrayField(models.CharField(max_length=60), default=list, blank=True)


class DietaryPreferences(models.Model):
    """Seed 003 dietary_preferences: what a person eats and must not eat."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="dietary_preferences")
    diet_type = models.CharField(max_length=20, choices=DietType, default=DietType.OMNIVORE)
    diet_type_other = models.CharField(max_length=100, blank=True)
    allergies = _words()
    intolerances = _words()
    dislikes = _words()
    religious_restrictions = _words()
    preferred_cuisines = _words()
    cooking_skill = models.CharField(max_length=20, choices=SkillLevel, blank=True)
    meal_prep_willingness = models.CharField(max_length=20, choices=PrepWillingness, blank=True)
    max_prep_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    budget_per_day = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "dietary preferences"
        constraints = [
            models.CheckConstraint(condition=Q(diet_type__in=DietType.values), name="nutrition_diet_type_valid"),
            models.CheckConstraint(
                condition=~Q(diet_type=DietType.OTHER) | ~Q(diet_type_other=""), name="nutrition_diet_other_named"
            ),
            models.CheckConstraint(
                condition=Q(cooking_skill__in=[*SkillLevel.values, ""]), name="nutrition_diet_cooking_skill_valid"
            ),
            models.CheckConstraint(
                condition=Q(meal_prep_willingness__in=[*PrepWillingness.values, ""]), name="nutrition_diet_prep_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_prep_minutes__isnull=True) | Q(max_prep_minutes__gte=5, max_prep_minutes__lte=600),
                name="nutrition_diet_prep_minutes_range",
            ),
            models.CheckConstraint(
                condition=Q(budget_per_day__isnull=True) | Q(budget_per_day__gte=0),
                name="nutrition_diet_budget_nonnegative",
            ),
        ]
        indexes = [models.Index(fields=["diet_type"], name="nutrition_diet_type")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.diet_type}"


class MealPlan(models.Model):
    """Seed 003 meal_plans: daily energy and macro targets computed from the profile, lockable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="meal_plan")
    meals_per_day = models.PositiveSmallIntegerField(default=3)
    energy_target_kcal = models.PositiveIntegerField()
    energy_min_kcal = models.PositiveIntegerField()
    energy_max_kcal = models.PositiveIntegerField()
    protein_g = models.DecimalField(max_digits=6, decimal_places=2)
    carbohydrate_g = models.DecimalField(max_digits=6, decimal_places=2)
    fat_g = models.DecimalField(max_digits=6, decimal_places=2)
    fiber_g = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    protein_pct = models.DecimalField(max_digits=5, decimal_places=2)
    carbohydrate_pct = models.DecimalField(max_digits=5, decimal_places=2)
    fat_pct = models.DecimalField(max_digits=5, decimal_places=2)
    rationale = models.TextField(blank=True)
    inputs = models.JSONField(default=dict, blank=True, help_text="What the targets were computed from.")
    weight_at_calculation_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    is_locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    last_recalculated_at = models.DateTimeField(null=True, blank=True)
    recalculation_reason = models.TextField(blank=True)
    recalculated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(meals_per_day__gte=2, meals_per_day__lte=8), name="nutrition_mealplan_meals_per_day"
            ),
            models.CheckConstraint(
                condition=Q(energy_target_kcal__gte=1000, energy_target_kcal__lte=5000)
                & Q(energy_min_kcal__lt=F("energy_target_kcal"))
                & Q(energy_target_kcal__lt=F("energy_max_kcal")),
                name="nutrition_mealplan_energy_range",
                violation_error_message="The target must be 1,000–5,000 kcal, between the minimum and the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(protein_g__gt=0, carbohydrate_g__gt=0, fat_g__gt=0),
                name="nutrition_mealplan_macros_positive",
            ),
            models.CheckConstraint(
                condition=Q(protein_pct__gte=0, carbohydrate_pct__gte=0, fat_pct__gte=0)
                & Q(protein_pct=100 - F("carbohydrate_pct") - F("fat_pct")),
                name="nutrition_mealplan_percentages_sum_100",
                violation_error_message="The macro percentages must add up to 100.",
            ),
            models.CheckConstraint(
                condition=Q(is_locked=False) | Q(locked_at__isnull=False), name="nutrition_mealplan_locked_has_time"
            ),
        ]
        indexes = [models.Index(fields=["-updated_at"], name="nutrition_mealplan_updated")]

    def __str__(self) -> str:
        return f"{self.energy_target_kcal} kcal plan of {self.user_id}"


def _minutes(field: str):
    """Seconds since midnight of a TIME column (immutable, so usable in an exclusion constraint)."""
    return Cast(Extract(F(field), "epoch"), models.IntegerField())


class MealSchedule(models.Model):
    """Seed 003 meal_schedules: when each meal is eaten, its window and its reminder."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="meal_schedules")
    meal_plan = models.ForeignKey(MealPlan, on_delete=models.CASCADE, related_name="schedules")
    meal_number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=50)
    scheduled_time = models.TimeField()
    earliest_time = models.TimeField()
    latest_time = models.TimeField()
    notification_offset_minutes = models.SmallIntegerField(default=-15)
    is_active = models.BooleanField(default=True)
    last_reminded_on = models.DateField(null=True, blank=True, help_text="So a reminder goes out once a day.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meal_number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "meal_number"], name="nutrition_mealschedule_unique_number"),
            models.CheckConstraint(
                condition=Q(meal_number__gte=1, meal_number__lte=8), name="nutrition_mealschedule_number"
            ),
            models.CheckConstraint(
                condition=Q(notification_offset_minutes__gte=-120, notification_offset_minutes__lte=0),
                name="nutrition_mealschedule_offset_range",
            ),
            models.CheckConstraint(
                condition=Q(earliest_time__lte=F("scheduled_time"), scheduled_time__lte=F("latest_time"))
                & Q(earliest_time__lt=F("latest_time")),
                name="nutrition_mealschedule_window_order",
                violation_error_message="The meal time must lie inside its eating window.",
            ),
            # Seed 003 "no overlapping meal times": two active windows of one person never overlap.
            ExclusionConstraint(
                name="nutrition_mealschedule_no_overlap",
                expressions=[
                    ("user", RangeOperators.EQUAL),
                    (
                        Func(
                            _minutes("earliest_time"),
                            _minutes("latest_time"),
                            function="int4range",
                            output_field=IntegerRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(is_active=True),
                violation_error_message="This eating window overlaps another meal's.",
            ),
        ]
        indexes = [models.Index(fields=["user", "scheduled_time"], name="nutrition_mealschedule_time")]

    def __str__(self) -> str:
        return f"{self.meal_number}. {self.name} at {self.scheduled_time}"


class ReminderTone(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MOTIVATIONAL = "motivational", "Motivational"
    MINIMAL = "minimal", "Minimal"


class HydrationPreferences(models.Model):
    """Seed 003 hydration_preferences."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="hydration_preferences")
    daily_target_ml = models.PositiveIntegerField(default=2000)
    reminder_enabled = models.BooleanField(default=True)
    reminder_every_minutes = models.PositiveSmallIntegerField(default=60)
    reminder_start = models.TimeField(default="08:00")
    reminder_end = models.TimeField(default="22:00")
    tone = models.CharField(max_length=20, choices=ReminderTone, default=ReminderTone.GENTLE)
    remind_with_meals = models.BooleanField(default=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "hydration preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_target_ml__gte=500, daily_target_ml__lte=10000),
                name="nutrition_hydration_target_range",
            ),
            models.CheckConstraint(
                condition=Q(reminder_every_minutes__gte=15, reminder_every_minutes__lte=480),
                name="nutrition_hydration_frequency_range",
            ),
            models.CheckConstraint(
                condition=Q(reminder_start__lt=F("reminder_end")), name="nutrition_hydration_window_order"
            ),
            models.CheckConstraint(condition=Q(tone__in=ReminderTone.values), name="nutrition_hydration_tone_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.daily_target_ml} ml a day"
