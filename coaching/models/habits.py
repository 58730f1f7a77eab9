"""Habits (seed 000 habit_templates, user_habits, habit_logs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from accounts.models import User
from fitjourney.dates import date_range_check, datetime_range_check

if TYPE_CHECKING:
    from ..selectors.habits import HabitStats, StripDay


class HabitCategory(models.TextChoices):
    HYDRATION = "hydration", "Hydration"
    SLEEP = "sleep", "Sleep"
    ACTIVITY = "activity", "Activity"
    NUTRITION = "nutrition", "Nutrition"
    MINDFULNESS = "mindfulness", "Mindfulness"
    CUSTOM = "custom", "Other"


class TrackingType(models.TextChoices):
    BOOLEAN = "boolean", "Done or not"
    NUMERIC = "numeric", "A number"
    DURATION = "duration", "A duration"


class Frequency(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Once a week"
    CUSTOM = "custom", "On chosen weekdays"


MAX_VALUE = 999999


class HabitTemplate(models.Model):
    """A ready-made habit to start from. System templates are reference data (coaching/reference.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=HabitCategory, default=HabitCategory.CUSTOM)
    tracking_type = models.CharField(max_length=10, choices=TrackingType)
    unit = models.CharField(max_length=20, blank=True)
    default_target = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.DAILY)
    icon_name = models.CharField(max_length=50, blank=True)
    is_system = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="habit_templates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tracking_type__in=TrackingType.values), name="coaching_habittemplate_tracking_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=HabitCategory.values), name="coaching_habittemplate_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="coaching_habittemplate_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(default_target__isnull=True) | Q(default_target__gt=0),
                name="coaching_habittemplate_target_positive",
            ),
            # A system template belongs to nobody; a person's own template to its author.
            models.CheckConstraint(
                condition=Q(is_system=True, created_by__isnull=True) | Q(is_system=False, created_by__isnull=False),
                name="coaching_habittemplate_owner",
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_system=True), name="coaching_habittemplate_system_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HabitQuerySet(models.QuerySet["Habit"]):
    def for_user(self, user: User) -> HabitQuerySet:
        return self.filter(user=user)

    def active_on(self, day: dt.date) -> HabitQuerySet:
        """Habits the person is keeping on `day` (active, started, not ended)."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), is_active=True, start_date__lte=day)


_HabitManagerBase = models.Manager.from_queryset(HabitQuerySet)


class HabitManager(_HabitManagerBase["Habit"]):
    """Hides deleted habits (their logs stay for history and summaries until the person is erased)."""

    def get_queryset(self) -> HabitQuerySet:
        return HabitQuerySet(self.model, using=self._db).filter(deleted_at__isnull=True)


class Habit(models.Model):
    """A habit the person keeps: done-or-not, a number or a duration, with a target and a schedule."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="habits")
    template = models.ForeignKey(HabitTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="habits")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=2000)
    category = models.CharField(max_length=20, choices=HabitCategory, default=HabitCategory.CUSTOM)
    tracking_type = models.CharField(max_length=10, choices=TrackingType)
    unit = models.CharField(max_length=20, blank=True)
    target_value = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0.01)]
    )
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.DAILY)
    # ISO weekdays (1 = Monday) for custom habits.
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(7)]),
        default=list,
        blank=True,
    )
    reminder_time = models.TimeField(null=True, blank=True, help_text="Local time in the person's time zone.")
    # The local date of the last reminder, so one goes out per day at most.
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(default=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = HabitManager()
    all_objects = HabitQuerySet.as_manager()

    # Not columns: what coaching.selectors.habits attaches for the pages and the API (the day's check-in,
    # stats, the last days as a strip, why it is not due) and, on the habits page, a refused check-in.
    log: HabitLog | None
    stats: HabitStats
    strip: list[StripDay]
    due_today: bool
    rest_note: str
    schedule_label: str
    recent_logs: dict[dt.date, HabitLog]
    error: str | None
    submitted_value: str | None

    class Meta:
        ordering = ["created_at"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(tracking_type__in=TrackingType.values), name="coaching_habit_tracking_valid"
            ),
            models.CheckConstraint(
                condition=Q(category__in=HabitCategory.values), name="coaching_habit_category_valid"
            ),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="coaching_habit_frequency_valid"),
            # A number or a duration needs a target to count as done; done-or-not has none.
            models.CheckConstraint(
                condition=(Q(tracking_type=TrackingType.BOOLEAN) & Q(target_value__isnull=True))
                | (~Q(tracking_type=TrackingType.BOOLEAN) & Q(target_value__gt=0, target_value__lte=MAX_VALUE)),
                name="coaching_habit_target_matches_type",
                violation_error_message="A number or duration habit needs a target above 0; a done-or-not habit none.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(frequency=Frequency.CUSTOM) & ~Q(weekdays=[]) & Q(weekdays__contained_by=[1, 2, 3, 4, 5, 6, 7])
                )
                | (~Q(frequency=Frequency.CUSTOM) & Q(weekdays=[])),
                name="coaching_habit_weekdays_match_frequency",
                violation_error_message="Choose the weekdays for a habit on chosen weekdays (and only then).",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="coaching_habit_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=date_range_check("start_date") & (Q(end_date__isnull=True) | date_range_check("end_date")),
                name="coaching_habit_dates_range",
            ),
        ]
        indexes = [
            # Seed 000 idx_user_habits_user: the person's current habits (Today, check-in, reminders).
            models.Index(
                fields=["user"], condition=Q(is_active=True, deleted_at__isnull=True), name="coaching_habit_active"
            ),
            # Reminders: habits with a reminder time, scanned every few minutes.
            models.Index(
                fields=["reminder_time"],
                condition=Q(is_active=True, deleted_at__isnull=True, reminder_time__isnull=False),
                name="coaching_habit_reminders",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_due_on(self, day: dt.date) -> bool:
        """Whether the habit counts on `day` (weekly habits count on the day they are done)."""
        if not self.is_active or day < self.start_date or (self.end_date and day > self.end_date):
            return False
        if self.frequency == Frequency.CUSTOM:
            return day.isoweekday() in self.weekdays
        return self.frequency == Frequency.DAILY


class HabitLog(models.Model):
    """One check-in of a habit on a local date. A second check-in the same day updates this one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="logs")
    log_date = models.DateField()
    logged_at = models.DateTimeField()
    completed = models.BooleanField(default=False)
    value = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: set by coaching.services.habits' check-ins, whether that check-in created the day's log.
    was_created: bool

    class Meta:
        ordering = ["-log_date"]
        constraints = [
            models.UniqueConstraint(fields=["habit", "log_date"], name="coaching_habitlog_one_per_day"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=MAX_VALUE),
                name="coaching_habitlog_value_range",
            ),
            models.CheckConstraint(
                condition=date_range_check("log_date") & datetime_range_check("logged_at"),
                name="coaching_habitlog_dates_range",
            ),
        ]
        indexes = [
            # Seed 000 idx_habit_logs_user_habit_date is the unique constraint's index (habit, log_date);
            # the history and streaks read it backwards. Summaries group logs by date across habits:
            models.Index(fields=["log_date"], condition=Q(completed=True), name="coaching_habitlog_done_date"),
        ]

    def __str__(self) -> str:
        return f"{self.habit_id} on {self.log_date}"
