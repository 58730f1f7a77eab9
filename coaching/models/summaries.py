"""Daily and weekly summaries (seed 000 7.1 and 7.2): stored, refreshed by Celery, repaired nightly.

They are a cache of their sources (sessions, meals, water, weight, habit logs, journal): every value can
be recomputed from them (coaching/services/summaries.py), and the nightly task does exactly that.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q

from accounts.models import User
from fitjourney.dates import date_range_check


class DailySummary(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="daily_summaries")
    date = models.DateField(help_text="The person's local date.")
    # Training: finished sessions that day. Workouts, active minutes and calories burned count physical
    # activities only (ActivityType.is_physical); painting, chess, meditation… are other activities.
    workouts = models.PositiveIntegerField(default=0)
    other_activities = models.PositiveIntegerField(default=0, help_text="Finished non-physical sessions.")
    active_minutes = models.PositiveIntegerField(default=0)
    calories_burned = models.PositiveIntegerField(default=0)
    # Nutrition.
    meals = models.PositiveIntegerField(default=0)
    calories_eaten = models.PositiveIntegerField(default=0)
    protein_g = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    carbohydrate_g = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    fat_g = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    net_calories = models.GeneratedField(
        expression=F("calories_eaten") - F("calories_burned"), output_field=models.IntegerField(), db_persist=True
    )
    water_ml = models.PositiveIntegerField(default=0)
    # The last weight recorded that day, if any.
    weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    habits_completed = models.PositiveSmallIntegerField(default=0)
    habits_total = models.PositiveSmallIntegerField(default=0)
    has_journal_entry = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "daily summaries"
        constraints = [
            # Seed 000 UNIQUE(user_id, summary_date); its index also serves "a person's days, newest first".
            models.UniqueConstraint(fields=["user", "date"], name="coaching_daily_one_per_day"),
            models.CheckConstraint(
                condition=Q(protein_g__gte=0, carbohydrate_g__gte=0, fat_g__gte=0), name="coaching_daily_macros_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(habits_completed__lte=F("habits_total")), name="coaching_daily_habits_within_total"
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gt=0), name="coaching_daily_weight_positive"
            ),
            # Dates stay where date arithmetic (the week around a day) cannot overflow.
            models.CheckConstraint(condition=date_range_check("date"), name="coaching_daily_date_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.date}"


class WeeklySummary(models.Model):
    """A Monday-to-Sunday week of the person's local dates."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="weekly_summaries")
    week_start = models.DateField()
    week_end = models.DateField()
    workouts = models.PositiveIntegerField(default=0)
    other_activities = models.PositiveIntegerField(default=0)
    active_minutes = models.PositiveIntegerField(default=0)
    calories_burned = models.PositiveIntegerField(default=0)
    calories_eaten = models.PositiveIntegerField(default=0)
    # Averages over the days with food logged (a day with nothing logged is not a day of fasting).
    avg_calories_eaten = models.PositiveIntegerField(default=0)
    avg_protein_g = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    avg_carbohydrate_g = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    avg_fat_g = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    avg_water_ml = models.PositiveIntegerField(default=0)
    start_weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    end_weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    weight_change_kg = models.GeneratedField(
        expression=F("end_weight_kg") - F("start_weight_kg"),
        output_field=models.DecimalField(max_digits=6, decimal_places=2),
        db_persist=True,
    )
    workout_days = models.PositiveSmallIntegerField(default=0)
    journal_days = models.PositiveSmallIntegerField(default=0)
    habits_completed = models.PositiveIntegerField(default=0)
    habits_total = models.PositiveIntegerField(default=0)
    habit_completion_rate = models.DecimalField(
        "habit completion (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    ai_weekly_summary = models.TextField(blank=True)
    refreshed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name_plural = "weekly summaries"
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="coaching_weekly_one_per_week"),
            # Weeks run Monday to Sunday.
            models.CheckConstraint(condition=Q(week_start__iso_week_day=1), name="coaching_weekly_starts_monday"),
            models.CheckConstraint(
                condition=Q(week_end=F("week_start") + models.Value(6)), name="coaching_weekly_seven_days"
            ),
            models.CheckConstraint(
                condition=Q(workout_days__lte=7, journal_days__lte=7), name="coaching_weekly_days_in_week"
            ),
            models.CheckConstraint(
                condition=Q(habit_completion_rate__isnull=True)
                | Q(habit_completion_rate__gte=0, habit_completion_rate__lte=100),
                name="coaching_weekly_habit_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(habits_completed__lte=F("habits_total")), name="coaching_weekly_habits_within_total"
            ),
            models.CheckConstraint(condition=date_range_check("week_start"), name="coaching_weekly_date_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} week of {self.week_start}"


class PendingSummary(models.Model):
    """A day whose summary must be recomputed because one of its sources changed.

    Written in the same transaction as the change (so a rolled-back change leaves nothing), consumed by
    the debounced refresh task; the periodic sweep picks up any whose task was lost.

    Markers are append-only: a change inserts a row and never waits for or locks another (concurrent writes
    of one person used to deadlock on an upsert of the same day); the same day may be marked several times,
    and a refresh deletes exactly the rows it took. A day whose refresh fails is marked failed, with the
    error, and retried later by the sweep without holding anybody else's refresh up.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    queued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed refreshes of this marker.")
    failed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=date_range_check("date"), name="coaching_pending_date_range"),
        ]
        indexes = [
            # The sweep: markers older than the debounce window, oldest first.
            models.Index(fields=["queued_at"], name="coaching_pending_queued"),
            # One person's refresh, and "is this day waiting for a refresh?" on Today.
            models.Index(fields=["user", "date"], name="coaching_pending_user_date"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.date}"
