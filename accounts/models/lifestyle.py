"""What limits a person's training (seed 003 physical_constraints) and how they feel over time
(seed 003 lifestyle_baselines). Both live in accounts because training, nutrition and coaching read them."""

from __future__ import annotations

import uuid

from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fitjourney.dates import datetime_range_check

from .profile import Level, SleepQuality
from .user import User


class ConstraintType(models.TextChoices):
    INJURY = "injury", "Injury"
    LIMITATION = "limitation", "Limitation"
    EQUIPMENT = "equipment", "Equipment available"
    LOCATION = "location_preference", "Where I train"
    TIME = "time_constraint", "Time available"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class WorkoutLocation(models.TextChoices):
    HOME = "home", "Home"
    GYM = "gym", "Gym"
    OUTDOOR = "outdoor", "Outdoor"
    HYBRID = "hybrid", "A mix"


class Equipment(models.TextChoices):
    """Seed 003 ref_equipment_types. The codes match the exercise library's `equipment` values
    (free-exercise-db), so "exercises I can do with what I have" is one lookup."""

    BODY_ONLY = "body only", "Body weight only"
    DUMBBELL = "dumbbell", "Dumbbells"
    BARBELL = "barbell", "Barbell"
    KETTLEBELLS = "kettlebells", "Kettlebells"
    BANDS = "bands", "Resistance bands"
    CABLE = "cable", "Cable machine"
    MACHINE = "machine", "Weight machines"
    EZ_BAR = "e-z curl bar", "E-Z curl bar"
    MEDICINE_BALL = "medicine ball", "Medicine ball"
    EXERCISE_BALL = "exercise ball", "Exercise ball"
    FOAM_ROLL = "foam roll", "Foam roller"
    OTHER = "other", "Other (bench, pull-up bar…)"


class BodyArea(models.TextChoices):
    """Where an injury or limitation is (seed 003 constraint_category for injuries)."""

    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    ELBOW = "elbow", "Elbow"
    WRIST = "wrist", "Wrist or hand"
    UPPER_BACK = "upper_back", "Upper back"
    LOWER_BACK = "back", "Lower back"
    HIP = "hip", "Hip"
    KNEE = "knee", "Knee"
    ANKLE = "ankle", "Ankle or foot"
    HEART = "heart", "Heart or circulation"
    BREATHING = "breathing", "Breathing"
    OTHER = "other", "Other"


MAX_DURATION_MIN, MAX_DURATION_MAX = 15, 180


class PhysicalConstraintQuerySet(models.QuerySet):
    def active(self) -> PhysicalConstraintQuerySet:
        return self.filter(is_active=True)


class PhysicalConstraint(models.Model):
    """One constraint: an injury or limitation (area, severity), the equipment at hand, where the person
    trains, or how long a workout may take. Temporary ones are resolved, not deleted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="physical_constraints")
    constraint_type = models.CharField(max_length=30, choices=ConstraintType)
    category = models.CharField(max_length=100, blank=True, help_text="Body area for injuries and limitations.")
    description = models.TextField(blank=True, max_length=2000)
    severity = models.CharField(max_length=10, choices=Severity, blank=True)
    workout_location = models.CharField(max_length=10, choices=WorkoutLocation, blank=True)
    available_equipment = models.JSONField(default=list, blank=True)
    max_workout_duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(MAX_DURATION_MIN), MaxValueValidator(MAX_DURATION_MAX)]
    )
    available_time_slots = models.JSONField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PhysicalConstraintQuerySet.as_manager()

    class Meta:
        ordering = ["constraint_type", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(constraint_type__in=ConstraintType.values), name="accounts_constraint_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=[*Severity.values, ""]), name="accounts_constraint_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(workout_location__in=[*WorkoutLocation.values, ""]),
                name="accounts_constraint_location_valid",
            ),
            models.CheckConstraint(
                condition=Q(max_workout_duration_minutes__isnull=True)
                | Q(
                    max_workout_duration_minutes__gte=MAX_DURATION_MIN,
                    max_workout_duration_minutes__lte=MAX_DURATION_MAX,
                ),
                name="accounts_constraint_max_duration_range",
                violation_error_message="A workout may last 15 to 180 minutes.",
            ),
            # Each kind carries its own detail: a location row names the place, a time row the minutes.
            models.CheckConstraint(
                condition=~Q(constraint_type=ConstraintType.LOCATION) | ~Q(workout_location=""),
                name="accounts_constraint_location_given",
            ),
            models.CheckConstraint(
                condition=~Q(constraint_type=ConstraintType.TIME) | Q(max_workout_duration_minutes__isnull=False),
                name="accounts_constraint_time_given",
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(resolved_at__isnull=False), name="accounts_constraint_resolved_dated"
            ),
        ]
        indexes = [
            # The person's active constraints (coach context, exercise suggestions).
            models.Index(fields=["user"], condition=Q(is_active=True), name="accounts_constraint_active"),
            models.Index(fields=["user", "constraint_type"], name="accounts_constraint_user_type"),
            # "Who can do this exercise with what they have": equipment containment (@>) queries.
            GinIndex(
                fields=["available_equipment"],
                condition=Q(constraint_type=ConstraintType.EQUIPMENT),
                name="accounts_constraint_equipment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_constraint_type_display()} of {self.user_id}"


class DataSource(models.TextChoices):
    USER = "user_input", "The person"
    WEARABLE = "wearable", "A wearable"
    SYSTEM = "system", "System"


class LifestyleBaseline(models.Model):
    """A lifestyle check-in: energy, stress and sleep at a moment. A time series for trends."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lifestyle_baselines")
    energy_level = models.CharField(max_length=10, choices=Level)
    stress_level = models.CharField(max_length=10, choices=Level)
    sleep_quality = models.CharField(max_length=10, choices=SleepQuality)
    sleep_hours = models.DecimalField(
        "sleep last night (hours)",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    notes = models.TextField(blank=True, max_length=2000)
    recorded_at = models.DateTimeField(default=timezone.now)
    data_source = models.CharField(max_length=20, choices=DataSource, default=DataSource.USER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(energy_level__in=Level.values), name="accounts_lifestyle_energy_valid"),
            models.CheckConstraint(condition=Q(stress_level__in=Level.values), name="accounts_lifestyle_stress_valid"),
            models.CheckConstraint(
                condition=Q(sleep_quality__in=SleepQuality.values), name="accounts_lifestyle_sleep_valid"
            ),
            models.CheckConstraint(
                condition=Q(sleep_hours__isnull=True) | Q(sleep_hours__gte=0, sleep_hours__lte=24),
                name="accounts_lifestyle_sleep_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(data_source__in=DataSource.values), name="accounts_lifestyle_source_valid"
            ),
            models.CheckConstraint(
                condition=datetime_range_check("recorded_at"), name="accounts_lifestyle_recorded_range"
            ),
        ]
        indexes = [
            # Recent check-ins and trends, newest first. (Seed 003's "last 30 days" partial index cannot be
            # built: its predicate uses CURRENT_TIMESTAMP, which PostgreSQL refuses in an index; this index
            # serves the same range scans.)
            models.Index(fields=["user", "-recorded_at"], name="accounts_lifestyle_user_time"),
        ]

    def __str__(self) -> str:
        return f"Check-in of {self.user_id} at {self.recorded_at:%Y-%m-%d %H:%M}"
