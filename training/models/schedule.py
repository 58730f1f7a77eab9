"""The person's weekly workout plan (seed 003 workout_schedules): which days, when and how long."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import User
from fitjourney.dates import date_range_check

WEEKDAY_FIELDS = (
    "monday_workout",
    "tuesday_workout",
    "wednesday_workout",
    "thursday_workout",
    "friday_workout",
    "saturday_workout",
    "sunday_workout",
)
DURATION_MIN, DURATION_MAX = 15, 180


class RestDayPreference(models.TextChoices):
    FIXED = "fixed", "Fixed: rest on the days I did not pick"
    FLEXIBLE = "flexible", "Flexible: I may swap a workout day for a rest day"
    AUTO = "auto", "Automatic: suggest rest when I need it"


class WorkoutSchedule(models.Model):
    """One row per person. One boolean per weekday keeps "is today a workout day?" a column read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="workout_schedule")
    monday_workout = models.BooleanField(default=False)
    tuesday_workout = models.BooleanField(default=False)
    wednesday_workout = models.BooleanField(default=False)
    thursday_workout = models.BooleanField(default=False)
    friday_workout = models.BooleanField(default=False)
    saturday_workout = models.BooleanField(default=False)
    sunday_workout = models.BooleanField(default=False)
    preferred_time = models.TimeField(null=True, blank=True, help_text="Local time in the person's time zone.")
    preferred_duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(DURATION_MIN), MaxValueValidator(DURATION_MAX)]
    )
    reminder_enabled = models.BooleanField(default=True)
    # Minutes relative to the preferred time: -30 is half an hour before.
    reminder_offset_minutes = models.SmallIntegerField(
        default=-30, validators=[MinValueValidator(-720), MaxValueValidator(0)]
    )
    rest_day_preference = models.CharField(max_length=10, choices=RestDayPreference, blank=True)
    is_locked = models.BooleanField(default=True)
    # The local date of the last reminder, so a reminder goes out once per workout day.
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(preferred_duration_minutes__isnull=True)
                | Q(preferred_duration_minutes__gte=DURATION_MIN, preferred_duration_minutes__lte=DURATION_MAX),
                name="training_schedule_duration_range",
                violation_error_message="A workout may last 15 to 180 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(monday_workout=True)
                | Q(tuesday_workout=True)
                | Q(wednesday_workout=True)
                | Q(thursday_workout=True)
                | Q(friday_workout=True)
                | Q(saturday_workout=True)
                | Q(sunday_workout=True),
                name="training_schedule_at_least_one_day",
                violation_error_message="Pick at least one workout day.",
            ),
            models.CheckConstraint(
                condition=Q(reminder_offset_minutes__gte=-720, reminder_offset_minutes__lte=0),
                name="training_schedule_reminder_offset_range",
            ),
            models.CheckConstraint(
                condition=Q(rest_day_preference__in=[*RestDayPreference.values, ""]),
                name="training_schedule_rest_day_valid",
            ),
            models.CheckConstraint(
                condition=Q(last_reminded_on__isnull=True) | date_range_check("last_reminded_on"),
                name="training_schedule_last_reminded_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Workout schedule of {self.user_id}"

    @property
    def weekdays(self) -> list[int]:
        """The workout days as ISO weekday numbers (1 = Monday)."""
        return [index + 1 for index, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name)]

    def is_workout_day(self, day: dt.date) -> bool:
        return bool(getattr(self, WEEKDAY_FIELDS[day.isoweekday() - 1]))
