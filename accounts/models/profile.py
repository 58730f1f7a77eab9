from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from .user import User


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class ActivityLevel(models.TextChoices):
    SEDENTARY = "sedentary", "Sedentary (little or no exercise)"
    LIGHTLY_ACTIVE = "lightly_active", "Lightly active (1–3 days a week)"
    MODERATELY_ACTIVE = "moderately_active", "Moderately active (3–5 days a week)"
    VERY_ACTIVE = "very_active", "Very active (6–7 days a week)"
    EXTREMELY_ACTIVE = "extremely_active", "Extremely active (physical job or twice a day)"


class FitnessLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner — new to fitness or returning after a long break"
    INTERMEDIATE = "intermediate", "Intermediate — consistent training for 6+ months"
    ADVANCED = "advanced", "Advanced — years of training experience"


class Goal(models.TextChoices):
    FAT_LOSS = "fat_loss", "Fat loss"
    MUSCLE_GAIN = "muscle_gain", "Muscle gain"
    GENERAL_FITNESS = "general_fitness", "General fitness"
    STRENGTH = "strength", "Strength"
    ENDURANCE = "endurance", "Endurance"
    FLEXIBILITY = "flexibility", "Flexibility and mobility"


# Seed 003: a primary goal is one of these three.
PRIMARY_GOALS = (Goal.FAT_LOSS, Goal.MUSCLE_GAIN, Goal.GENERAL_FITNESS)
# Seed 003 "goal compatibility": losing fat and gaining muscle pull energy intake in opposite directions.
INCOMPATIBLE_GOALS = frozenset({(Goal.FAT_LOSS, Goal.MUSCLE_GAIN), (Goal.MUSCLE_GAIN, Goal.FAT_LOSS)})


def goals_compatible(primary: str, secondary: str) -> bool:
    return not secondary or (secondary != primary and (primary, secondary) not in INCOMPATIBLE_GOALS)


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class SleepQuality(models.TextChoices):
    POOR = "poor", "Poor"
    FAIR = "fair", "Fair"
    GOOD = "good", "Good"
    EXCELLENT = "excellent", "Excellent"


class ChangedBy(models.TextChoices):
    USER = "user", "The person"
    ADMIN = "admin", "Staff"
    SYSTEM = "system", "System"


def _choice_or_blank(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": [*choices.values, ""]})


def avatar_path(instance: Profile, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"avatars/{instance.user_id}/{uuid.uuid4().hex}.{extension}"


class Profile(models.Model):
    """The person's current profile (seeds 001 and 003). Every change makes a ProfileVersion."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")

    birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender, blank=True)
    height_m = models.DecimalField(
        "height (m)",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(2.75)],
    )
    bio = models.TextField(blank=True, validators=[MaxLengthValidator(1000)])
    location = models.CharField(max_length=255, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)
    activity_level = models.CharField(max_length=20, choices=ActivityLevel, blank=True)
    fitness_level = models.CharField(max_length=20, choices=FitnessLevel, blank=True)
    primary_goal = models.CharField(max_length=20, choices=[(g.value, g.label) for g in PRIMARY_GOALS], blank=True)
    secondary_goal = models.CharField(max_length=20, choices=Goal, blank=True)
    energy_level = models.CharField(max_length=10, choices=Level, blank=True)
    stress_level = models.CharField(max_length=10, choices=Level, blank=True)
    sleep_quality = models.CharField(max_length=10, choices=SleepQuality, blank=True)
    preferences = models.JSONField(default=dict, blank=True)

    version = models.PositiveIntegerField(default=1)
    is_locked = models.BooleanField(default=False, help_text="A locked profile changes only with a reason.")
    locked_at = models.DateTimeField(null=True, blank=True)
    last_modified_by = models.CharField(max_length=10, choices=ChangedBy, default=ChangedBy.USER)
    modification_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_choice_or_blank("gender", Gender), name="accounts_profile_gender_valid"),
            models.CheckConstraint(
                condition=_choice_or_blank("activity_level", ActivityLevel), name="accounts_profile_activity_valid"
            ),
            models.CheckConstraint(
                condition=_choice_or_blank("fitness_level", FitnessLevel), name="accounts_profile_fitness_valid"
            ),
            models.CheckConstraint(
                condition=Q(primary_goal__in=[*[g.value for g in PRIMARY_GOALS], ""]),
                name="accounts_profile_primary_goal_valid",
            ),
            models.CheckConstraint(
                condition=_choice_or_blank("secondary_goal", Goal), name="accounts_profile_secondary_goal_valid"
            ),
            models.CheckConstraint(
                condition=Q(secondary_goal="") | (~Q(secondary_goal=F("primary_goal")) & ~Q(primary_goal="")),
                name="accounts_profile_secondary_differs",
                violation_error_message="The secondary goal must differ from the primary goal.",
            ),
            models.CheckConstraint(
                condition=~(
                    Q(primary_goal=Goal.FAT_LOSS, secondary_goal=Goal.MUSCLE_GAIN)
                    | Q(primary_goal=Goal.MUSCLE_GAIN, secondary_goal=Goal.FAT_LOSS)
                ),
                name="accounts_profile_goals_compatible",
                violation_error_message="Fat loss and muscle gain cannot be paired: choose one as the primary goal.",
            ),
            models.CheckConstraint(
                condition=_choice_or_blank("energy_level", Level), name="accounts_profile_energy_valid"
            ),
            models.CheckConstraint(
                condition=_choice_or_blank("stress_level", Level), name="accounts_profile_stress_valid"
            ),
            models.CheckConstraint(
                condition=_choice_or_blank("sleep_quality", SleepQuality), name="accounts_profile_sleep_valid"
            ),
            models.CheckConstraint(
                condition=Q(height_m__isnull=True) | Q(height_m__gt=0, height_m__lt=3),
                name="accounts_profile_height_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte="1900-01-01"),
                name="accounts_profile_birth_date_range",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="accounts_profile_version_positive"),
            models.CheckConstraint(
                condition=Q(is_locked=False) | Q(locked_at__isnull=False), name="accounts_profile_locked_has_time"
            ),
            models.CheckConstraint(
                condition=Q(last_modified_by__in=ChangedBy.values), name="accounts_profile_modified_by_valid"
            ),
        ]
        indexes = [
            # Seed 003 idx_user_profiles_goals: who pursues which goals (coaching, recommendations).
            models.Index(fields=["primary_goal", "secondary_goal"], name="accounts_profile_goals"),
            models.Index(fields=["-updated_at"], name="accounts_profile_updated"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user_id} (v{self.version})"


class ProfileVersion(models.Model):
    """An immutable snapshot of a profile after a change (seed 003 user_profile_versions).

    valid_from/valid_until make "the profile as it was on a date" one indexed lookup. Rows are never
    updated except to close them (valid_until) and, on erasure, to redact them; a trigger enforces it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="profile_versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_fields = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    change_reason = models.TextField(blank=True)
    changed_by = models.CharField(max_length=10, choices=ChangedBy)
    # Who made the change, kept as a plain reference: versions are immutable, so deleting a staff
    # account must not rewrite them (no database FK, no SET NULL cascade).
    changed_by_user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, null=True, blank=True, related_name="+", db_constraint=False
    )
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="accounts_profileversion_unique_version"),
            # At most one current version per person.
            models.UniqueConstraint(
                fields=["user"], condition=Q(valid_until__isnull=True), name="accounts_profileversion_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="accounts_profileversion_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(changed_by__in=ChangedBy.values), name="accounts_profileversion_changed_by_valid"
            ),
        ]
        indexes = [
            # The history page: a person's versions, newest first.
            models.Index(fields=["user", "-version"], name="accounts_profver_user_version"),
            # "As it was on <date>": valid_from <= t < valid_until for one person.
            models.Index(fields=["user", "valid_from"], name="accounts_profver_user_from"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} of {self.user_id}"
