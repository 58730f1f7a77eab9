"""The intake (seed 003 onboarding_states) and the goals it sets (seed 003 fitness_goals)."""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Goal as GoalCategory
from accounts.models import User

FIRST_STEP, LAST_STEP = 0, 11
FLOW_VERSION = "1.0"


class Step(models.IntegerChoices):
    WELCOME = 0, "Welcome"
    FITNESS_LEVEL = 1, "Fitness level"
    GOALS = 2, "Goals"
    BODY = 3, "Body stats"
    CONSTRAINTS = 4, "Constraints"
    DIET = 5, "Dietary preferences"
    MEAL_PLAN = 6, "Meal plan"
    MEAL_SCHEDULE = 7, "Meal schedule"
    WORKOUT_SCHEDULE = 8, "Workout schedule"
    HYDRATION = 9, "Hydration"
    LIFESTYLE = 10, "Lifestyle"
    REVIEW = 11, "Review and confirm"


class OnboardingState(models.Model):
    """Where a person is in the intake and what they answered so far.

    `step_data` keeps each step's validated answers ("step_3": {...}) until the review confirms them
    into the profile, nutrition and training. `step_seconds` ("3": 41.5) is the time spent on each
    step, for the admin's funnel.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="onboarding_state")
    current_step = models.PositiveSmallIntegerField(choices=Step, default=Step.WELCOME)
    completed_steps = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    step_data = models.JSONField(default=dict, blank=True)
    step_seconds = models.JSONField(default=dict, blank=True)
    flow_version = models.CharField(max_length=10, default=FLOW_VERSION)
    started_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    session_id = models.CharField(max_length=255, blank=True)
    device_type = models.CharField(max_length=50, blank=True)
    user_agent = models.TextField(blank=True, max_length=1000)
    reset_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(current_step__gte=FIRST_STEP, current_step__lte=LAST_STEP),
                name="coaching_onboarding_step_range",
            ),
            # Every completed step is a real step (array containment: completed_steps <@ {0..11}).
            models.CheckConstraint(
                condition=Q(completed_steps__contained_by=list(range(FIRST_STEP, LAST_STEP + 1))),
                name="coaching_onboarding_completed_steps_valid",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=models.F("started_at")),
                name="coaching_onboarding_completed_after_start",
            ),
        ]
        indexes = [
            # The admin's funnel and "who stopped where": incomplete intakes by last activity / start.
            models.Index(fields=["last_activity_at"], condition=Q(completed_at__isnull=True), name="coaching_onb_idle"),
            models.Index(
                fields=["completed_at", "-started_at"],
                condition=Q(completed_at__isnull=True),
                name="coaching_onb_incomplete",
            ),
            models.Index(fields=["started_at"], name="coaching_onb_started"),
        ]

    def __str__(self) -> str:
        return f"Intake of {self.user_id} at step {self.current_step}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class GoalRole(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    PAUSED = "paused", "Paused"
    ABANDONED = "abandoned", "Abandoned"


class Goal(models.Model):
    """A fitness goal with optional numeric targets (seed 003 fitness_goals)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="goals")
    role = models.CharField(max_length=10, choices=GoalRole)
    category = models.CharField(max_length=20, choices=GoalCategory)
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
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=GoalRole.values), name="coaching_goal_role_valid"),
            models.CheckConstraint(condition=Q(category__in=GoalCategory.values), name="coaching_goal_category_valid"),
            models.CheckConstraint(condition=Q(status__in=GoalStatus.values), name="coaching_goal_status_valid"),
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
                condition=~Q(status=GoalStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="coaching_goal_completed_dated",
            ),
            # One active goal per role: the profile's primary and secondary goal.
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(status=GoalStatus.ACTIVE), name="coaching_goal_one_active_per_role"
            ),
        ]
        indexes = [
            # Coach context: the person's active goals by priority.
            models.Index(
                fields=["user", "priority"], condition=Q(status=GoalStatus.ACTIVE), name="coaching_goal_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} goal {self.get_category_display()} of {self.user_id}"
