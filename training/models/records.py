from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from accounts.models import User
from fitjourney.dates import date_range_check, datetime_range_check

from .library import ActivityType, Exercise
from .sessions import Session, Set


class RecordType(models.TextChoices):
    ONE_RM = "one_rm", "Estimated 1RM (Epley)"
    MAX_WEIGHT = "max_weight", "Heaviest weight"
    MAX_REPS = "max_reps", "Most reps"
    MAX_VOLUME = "max_volume", "Most volume in a session"
    LONGEST_DISTANCE = "longest_distance", "Longest distance"
    BEST_PACE = "best_pace", "Best pace"


# The unit of each record type's stored value.
RECORD_VALUE_UNITS = {
    RecordType.ONE_RM: "kg",
    RecordType.MAX_WEIGHT: "kg",
    RecordType.MAX_REPS: "reps",
    RecordType.MAX_VOLUME: "kg",
    RecordType.LONGEST_DISTANCE: "m",
    RecordType.BEST_PACE: "s/km",
}


class PersonalRecord(models.Model):
    """The person's best per exercise and record type (seed 002 personal_record), with the previous
    best and the set that made it. Values in SI: kg, reps, kg, m, seconds per km."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="personal_records")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="personal_records")
    record_type = models.CharField(max_length=20, choices=RecordType)
    # The largest values the rules allow: a pace of a week's set over 0.01 m or of a day's run over a
    # 0.001 m distance metric (< 10^11 s/km), a distance metric (< 10^11 m), an exercise's volume
    # (2 × 10^9 kg). numeric(16,2) holds < 10^14.
    value = models.DecimalField(max_digits=16, decimal_places=2)
    previous_value = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="personal_records")
    set = models.ForeignKey(Set, on_delete=models.SET_NULL, null=True, blank=True, related_name="personal_records")
    achieved_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-achieved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exercise", "record_type"], name="training_personalrecord_one_per_type"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="training_personalrecord_value_nonnegative"),
            models.CheckConstraint(
                condition=Q(record_type__in=RecordType.values), name="training_personalrecord_type_valid"
            ),
            models.CheckConstraint(
                condition=datetime_range_check("achieved_at"), name="training_personalrecord_achieved_at_range"
            ),
        ]
        indexes = [models.Index(fields=["user", "-achieved_at"], name="training_pr_recent")]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.value}"


class Streak(models.Model):
    """Consecutive active days in the person's local dates: overall (no type) and per activity type."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="streaks")
    activity_type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    current_length = models.PositiveIntegerField(default=0)
    longest_length = models.PositiveIntegerField(default=0)
    current_start = models.DateField(null=True, blank=True)
    last_active_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "activity_type"], name="training_streak_one_per_type", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(longest_length__gte=models.F("current_length")), name="training_streak_longest_covers"
            ),
            models.CheckConstraint(
                condition=Q(current_start__isnull=True) | date_range_check("current_start"),
                name="training_streak_current_start_range",
            ),
            models.CheckConstraint(
                condition=Q(last_active_date__isnull=True) | date_range_check("last_active_date"),
                name="training_streak_last_active_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.current_length} days"


class IdempotencyKey(models.Model):
    """A remembered API response, so a retried POST with the same Idempotency-Key creates nothing new."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="training_idempotencykey_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="training_idempotency_created")]

    def __str__(self) -> str:
        return self.key
