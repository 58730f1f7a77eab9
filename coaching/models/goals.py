"""Goals (seed 002 goal_type, user_goal, goal_milestone; seed 003 fitness_goals).

A goal measures one `metric` of the person's logs (body weight from body metrics, an exercise's estimated
1RM from personal records, sessions a week from training, a habit's completion, the month's distance, the
day's energy or protein from the diary) against a target, in SI units (kg, m, kcal, g, %, sessions).
Goals from the intake that set only a direction ("general fitness") have no metric: they carry the
category the profile's primary/secondary goal points at and are not measured.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Goal as GoalCategory
from accounts.models import User
from training.models import ActivityType, Exercise

from .habits import Habit

VALUE_LIMIT = Decimal(10**9)


class GoalRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    ABANDONED = "abandoned", "Abandoned"
    EXPIRED = "expired", "Expired"


class GoalKindSlug(models.TextChoices):
    """Seed 002 goal_type."""

    FREQUENCY = "frequency", "Frequency"
    PERFORMANCE = "performance", "Performance"
    HABIT = "habit", "Habit"
    TIME_BASED = "time_based", "Time based"
    BODY_COMPOSITION = "body_composition", "Body composition"


class GoalMetric(models.TextChoices):
    BODY_WEIGHT = "body_weight", "Body weight"
    BODY_FAT = "body_fat", "Body fat"
    EXERCISE_E1RM = "exercise_e1rm", "Estimated 1RM of an exercise"
    EXERCISE_MAX_WEIGHT = "exercise_max_weight", "Heaviest weight of an exercise"
    SESSIONS_PER_WEEK = "sessions_per_week", "Sessions a week"
    HABIT_COMPLETION = "habit_completion", "Habit completion (last 4 weeks)"
    DISTANCE_MONTH = "distance_month", "Distance this month"
    ENERGY_DAY = "energy_day", "Energy eaten a day"
    PROTEIN_DAY = "protein_day", "Protein eaten a day"


class Direction(models.TextChoices):
    UP = "up", "Increase to"
    DOWN = "down", "Decrease to"


@dataclass(frozen=True)
class MetricSpec:
    kind: str
    unit: str  # SI unit the values are stored in
    subject: str | None  # "exercise", "habit", "activity_type" (optional) or None
    step: Decimal  # milestones are rounded to this ("people's numbers")
    lowest: Decimal
    highest: Decimal
    # A rate ("a week", "a day") is reached again each period; a level (a weight, a lift) is reached once.
    is_rate: bool = False


METRICS: dict[str, MetricSpec] = {
    GoalMetric.BODY_WEIGHT: MetricSpec(GoalKindSlug.BODY_COMPOSITION, "kg", None, Decimal(1), Decimal(0), Decimal(500)),
    GoalMetric.BODY_FAT: MetricSpec(GoalKindSlug.BODY_COMPOSITION, "%", None, Decimal(1), Decimal(3), Decimal(60)),
    GoalMetric.EXERCISE_E1RM: MetricSpec(
        GoalKindSlug.PERFORMANCE, "kg", "exercise", Decimal("2.5"), Decimal(0), Decimal(1000)
    ),
    GoalMetric.EXERCISE_MAX_WEIGHT: MetricSpec(
        GoalKindSlug.PERFORMANCE, "kg", "exercise", Decimal("2.5"), Decimal(0), Decimal(1000)
    ),
    GoalMetric.SESSIONS_PER_WEEK: MetricSpec(
        GoalKindSlug.FREQUENCY, "sessions", "activity_type", Decimal(1), Decimal(0), Decimal(21), is_rate=True
    ),
    GoalMetric.HABIT_COMPLETION: MetricSpec(
        GoalKindSlug.HABIT, "%", "habit", Decimal(5), Decimal(0), Decimal(100), is_rate=True
    ),
    GoalMetric.DISTANCE_MONTH: MetricSpec(
        GoalKindSlug.TIME_BASED, "m", "activity_type", Decimal(1000), Decimal(0), Decimal(10_000_000), is_rate=True
    ),
    GoalMetric.ENERGY_DAY: MetricSpec(
        GoalKindSlug.HABIT, "kcal", None, Decimal(50), Decimal(500), Decimal(10_000), is_rate=True
    ),
    GoalMetric.PROTEIN_DAY: MetricSpec(
        GoalKindSlug.HABIT, "g", None, Decimal(5), Decimal(0), Decimal(1000), is_rate=True
    ),
}
# The category an intake-style goal of a kind is filed under (the profile's goal list, seed 003).
KIND_CATEGORY = {
    GoalKindSlug.FREQUENCY: GoalCategory.GENERAL_FITNESS,
    GoalKindSlug.PERFORMANCE: GoalCategory.STRENGTH,
    GoalKindSlug.HABIT: GoalCategory.GENERAL_FITNESS,
    GoalKindSlug.TIME_BASED: GoalCategory.ENDURANCE,
    GoalKindSlug.BODY_COMPOSITION: GoalCategory.FAT_LOSS,
}
CATEGORY_KIND = {
    GoalCategory.FAT_LOSS: GoalKindSlug.BODY_COMPOSITION,
    GoalCategory.MUSCLE_GAIN: GoalKindSlug.BODY_COMPOSITION,
    GoalCategory.GENERAL_FITNESS: GoalKindSlug.FREQUENCY,
    GoalCategory.STRENGTH: GoalKindSlug.PERFORMANCE,
    GoalCategory.ENDURANCE: GoalKindSlug.TIME_BASED,
    GoalCategory.FLEXIBILITY: GoalKindSlug.HABIT,
}


class GoalKind(models.Model):
    """Reference data: the kinds of goal (seed 002 goal_type), with the metric and unit a new goal of the
    kind starts from. Loaded by coaching/reference.py."""

    slug = models.CharField(max_length=20, primary_key=True, choices=GoalKindSlug)
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    icon_name = models.CharField(max_length=50, blank=True)
    default_metric = models.CharField(max_length=30, choices=GoalMetric)
    default_unit = models.CharField(max_length=10)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(slug__in=GoalKindSlug.values), name="coaching_goalkind_slug_valid"),
            models.CheckConstraint(
                condition=Q(default_metric__in=GoalMetric.values), name="coaching_goalkind_metric_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GoalQuerySet(models.QuerySet["Goal"]):
    def for_user(self, user: User) -> GoalQuerySet:
        return self.filter(user=user)

    def active(self) -> GoalQuerySet:
        return self.filter(status=GoalStatus.ACTIVE)


class Goal(models.Model):
    """A goal: a metric of the person's logs, a target (SI) and a date, with milestones on the way."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="goals")
    # The profile's primary and secondary goal come from the intake; goals set on the goals page have none.
    role = models.CharField(max_length=10, choices=GoalRole, blank=True, default="")
    category = models.CharField(max_length=20, choices=GoalCategory, default=GoalCategory.GENERAL_FITNESS)
    kind = models.CharField(max_length=20, choices=GoalKindSlug, default=GoalKindSlug.FREQUENCY)
    metric = models.CharField(max_length=30, choices=GoalMetric, blank=True, help_text="Blank: not measured.")
    title = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=4, choices=Direction, blank=True)
    target_value = models.DecimalField(max_digits=13, decimal_places=3, null=True, blank=True)
    unit = models.CharField(max_length=10, blank=True, help_text="The SI unit of the values (kg, m, kcal, g, %).")
    start_value = models.DecimalField(max_digits=13, decimal_places=3, null=True, blank=True)
    current_value = models.DecimalField(
        max_digits=13, decimal_places=3, null=True, blank=True, help_text="Cache of the last evaluation."
    )
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, null=True, blank=True, related_name="goals")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, null=True, blank=True, related_name="goals")
    start_date = models.DateField(default=timezone.localdate)
    target_date = models.DateField(null=True, blank=True)
    frequency_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(21)]
    )
    # The intake's answers (seed 003 fitness_goals), kept as given.
    target_weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    target_body_fat_pct = models.DecimalField(
        "target body fat (%)",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(50)],
    )
    target_muscle_gain_kg = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    target_timeline_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(260)]
    )
    priority = models.PositiveSmallIntegerField(default=1, help_text="Lower is more important.")
    status = models.CharField(max_length=10, choices=GoalStatus, default=GoalStatus.ACTIVE)
    explanation = models.TextField(blank=True, max_length=2000, help_text="Why the person chose it.")
    achieved_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=[*GoalRole.values, ""]), name="coaching_goal_role_valid"),
            models.CheckConstraint(condition=Q(category__in=GoalCategory.values), name="coaching_goal_category_valid"),
            models.CheckConstraint(condition=Q(status__in=GoalStatus.values), name="coaching_goal_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=GoalKindSlug.values), name="coaching_goal_kind_valid"),
            models.CheckConstraint(condition=Q(metric__in=[*GoalMetric.values, ""]), name="coaching_goal_metric_valid"),
            models.CheckConstraint(
                condition=Q(direction__in=[*Direction.values, ""]), name="coaching_goal_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_weight_kg__isnull=True) | Q(target_weight_kg__gt=0, target_weight_kg__lt=500),
                name="coaching_goal_target_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(target_body_fat_pct__isnull=True)
                | Q(target_body_fat_pct__gte=3, target_body_fat_pct__lte=50),
                name="coaching_goal_body_fat_range",
            ),
            models.CheckConstraint(
                condition=Q(target_muscle_gain_kg__isnull=True) | Q(target_muscle_gain_kg__gt=0),
                name="coaching_goal_muscle_gain_positive",
            ),
            models.CheckConstraint(
                condition=Q(target_timeline_weeks__isnull=True)
                | Q(target_timeline_weeks__gte=1, target_timeline_weeks__lte=260),
                name="coaching_goal_timeline_range",
            ),
            models.CheckConstraint(condition=Q(priority__gte=1), name="coaching_goal_priority_positive"),
            models.CheckConstraint(
                condition=~Q(status=GoalStatus.ACHIEVED) | Q(achieved_at__isnull=False),
                name="coaching_goal_achieved_dated",
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True) | Q(target_date__gt=F("start_date")),
                name="coaching_goal_target_after_start",
                violation_error_message="The target date must be after the start date.",
            ),
            # A measured goal has a target in a unit and a direction; an unmeasured one has none.
            models.CheckConstraint(
                condition=Q(metric="", target_value__isnull=True)
                | (~Q(metric="") & Q(target_value__isnull=False) & ~Q(unit="") & ~Q(direction="")),
                name="coaching_goal_measured_has_target",
            ),
            models.CheckConstraint(
                condition=(Q(target_value__isnull=True) | Q(target_value__gte=0, target_value__lt=VALUE_LIMIT))
                & (Q(start_value__isnull=True) | Q(start_value__gte=0, start_value__lt=VALUE_LIMIT)),
                name="coaching_goal_values_range",
            ),
            models.CheckConstraint(
                condition=~Q(metric__in=[GoalMetric.EXERCISE_E1RM, GoalMetric.EXERCISE_MAX_WEIGHT])
                | Q(exercise__isnull=False),
                name="coaching_goal_lift_has_exercise",
            ),
            models.CheckConstraint(
                condition=~Q(metric=GoalMetric.HABIT_COMPLETION) | Q(habit__isnull=False),
                name="coaching_goal_habit_metric_has_habit",
            ),
            models.CheckConstraint(
                condition=Q(frequency_per_week__isnull=True) | Q(frequency_per_week__gte=1, frequency_per_week__lte=21),
                name="coaching_goal_frequency_range",
            ),
            # One active goal per role: the profile's primary and secondary goal.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(status=GoalStatus.ACTIVE) & ~Q(role=""),
                name="coaching_goal_one_active_per_role",
            ),
            # One active goal per measure and subject: two active "bench press 1RM" goals would fight over
            # the same milestones. NULL subjects compare equal (NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["user", "metric", "exercise", "habit", "activity_type"],
                condition=Q(status=GoalStatus.ACTIVE) & ~Q(metric=""),
                nulls_distinct=False,
                name="coaching_goal_one_active_per_subject",
                violation_error_message="There is already an active goal for this.",
            ),
        ]
        indexes = [
            # Coach context, Today and the goals page: the person's active goals by priority.
            models.Index(
                fields=["user", "priority"], condition=Q(status=GoalStatus.ACTIVE), name="coaching_goal_active"
            ),
            # goals_expire: active goals whose target date has passed.
            models.Index(
                fields=["target_date"], condition=Q(status=GoalStatus.ACTIVE), name="coaching_goal_active_due"
            ),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        if self.role:
            return f"{self.get_role_display()} goal {self.get_category_display()} of {self.user_id}"
        return f"{self.get_metric_display() or self.get_category_display()} goal of {self.user_id}"

    @property
    def spec(self) -> MetricSpec | None:
        return METRICS.get(self.metric)

    @property
    def is_measured(self) -> bool:
        return bool(self.metric) and self.target_value is not None


class GoalMilestone(models.Model):
    """A step on the way to a goal's target (seed 002 goal_milestone), achieved when the measure reaches it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    value = models.DecimalField(max_digits=13, decimal_places=3)
    percent = models.PositiveSmallIntegerField(help_text="How far along the way from start to target.")
    target_date = models.DateField(null=True, blank=True)
    achieved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["goal", "percent"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "value"], name="coaching_goalmilestone_unique_value"),
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100), name="coaching_goalmilestone_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lt=VALUE_LIMIT), name="coaching_goalmilestone_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% of {self.goal_id}: {self.value}"


__all__ = [
    "CATEGORY_KIND",
    "KIND_CATEGORY",
    "METRICS",
    "Direction",
    "Goal",
    "GoalKind",
    "GoalKindSlug",
    "GoalMetric",
    "GoalMilestone",
    "GoalRole",
    "GoalStatus",
    "MetricSpec",
]
