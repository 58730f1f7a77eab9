"""The intake (seed 003 onboarding_states); the goals it sets live in goals.py."""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

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
