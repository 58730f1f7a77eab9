from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from fitjourney.dates import date_range_check, datetime_range_check

from .user import User


class UnitType(models.TextChoices):
    WEIGHT = "weight", "Weight"
    LENGTH = "length", "Length and distance"
    TIME = "time", "Time"
    COUNT = "count", "Count"
    SPEED = "speed", "Speed"
    ENERGY = "energy", "Energy"
    PERCENTAGE = "percentage", "Percentage"
    FREQUENCY = "frequency", "Frequency (heart rate, cadence)"
    VOLUME = "volume", "Volume"


class Unit(models.Model):
    """A unit of measure (seed 002 unit). Values are stored in the base unit of their type (SI);
    `factor` converts: base = value × factor."""

    code = models.SlugField(max_length=20, primary_key=True)
    name = models.CharField(max_length=40, unique=True)
    symbol = models.CharField(max_length=10)
    type = models.CharField(max_length=20, choices=UnitType)
    factor = models.DecimalField(max_digits=18, decimal_places=9)
    is_base = models.BooleanField(default=False)

    class Meta:
        ordering = ["type", "factor"]
        constraints = [
            models.CheckConstraint(condition=Q(factor__gt=0), name="accounts_unit_factor_positive"),
            models.CheckConstraint(condition=Q(type__in=UnitType.values), name="accounts_unit_type_valid"),
            # One base unit per type.
            models.UniqueConstraint(fields=["type"], condition=Q(is_base=True), name="accounts_unit_one_base"),
        ]
        indexes = [models.Index(fields=["type"], name="accounts_unit_type")]

    def __str__(self) -> str:
        return self.symbol


class BodyMetricCategory(models.TextChoices):
    WEIGHT = "weight", "Weight"
    COMPOSITION = "composition", "Body composition"
    MEASUREMENT = "measurement", "Circumference"


class BodyMetricType(models.Model):
    """Weight, body fat, muscle mass, water, bone mass and circumferences (seeds 000, 002, 004).
    A new kind of measurement is a row, not a schema change."""

    code = models.SlugField(max_length=30, primary_key=True)
    name = models.CharField(max_length=50, unique=True)
    category = models.CharField(max_length=20, choices=BodyMetricCategory)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, help_text="The base unit values are stored in.")
    min_value = models.DecimalField(max_digits=10, decimal_places=4)
    max_value = models.DecimalField(max_digits=10, decimal_places=4)
    description = models.TextField(blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__lt=models.F("max_value")), name="accounts_bodymetrictype_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BodyMetric(models.Model):
    """One measurement of one kind at one moment, in the kind's base unit (kg, %, m)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="body_metrics")
    metric_type = models.ForeignKey(BodyMetricType, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=10, decimal_places=4)
    measured_at = models.DateTimeField()
    local_date = models.DateField(help_text="The day in the person's time zone.")
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="A trainer, or empty."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-measured_at"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="accounts_bodymetric_value_nonnegative"),
            # Seed 000 weight_logs: 0 < weight < 500 kg, one weight entry per person per day.
            models.CheckConstraint(
                condition=~Q(metric_type="weight") | Q(value__gt=0, value__lt=500),
                name="accounts_bodymetric_weight_range",
                violation_error_message="Weight must be between 0 and 500 kg.",
            ),
            models.CheckConstraint(
                condition=~Q(metric_type__in=["body_fat", "body_water"]) | Q(value__lte=100),
                name="accounts_bodymetric_percentage_range",
            ),
            models.UniqueConstraint(
                fields=["user", "local_date"],
                condition=Q(metric_type="weight"),
                name="accounts_bodymetric_one_weight_per_day",
                violation_error_message="There is already a weight for that day.",
            ),
            models.CheckConstraint(
                condition=date_range_check("local_date") & datetime_range_check("measured_at"),
                name="accounts_bodymetric_dates_range",
            ),
        ]
        indexes = [
            # Seed 002 idx_body_metrics: a person's series of one kind, newest first (charts, latest weight).
            models.Index(fields=["user", "metric_type", "-measured_at"], name="accounts_bodymetric_series"),
        ]

    def __str__(self) -> str:
        return f"{self.metric_type_id} {self.value} ({self.local_date})"
