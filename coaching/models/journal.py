"""The daily journal (seed 000 journal_entries)."""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import User
from fitjourney import scales
from fitjourney.dates import date_range_check

# The platform's one mood scale (sessions use it too).
JournalMood = scales.Mood


class JournalEntryManager(models.Manager["JournalEntry"]):
    def get_queryset(self) -> models.QuerySet[JournalEntry]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class JournalEntry(models.Model):
    """One entry per person per local date: how the day went, mood, energy and stress, tags."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="journal_entries")
    entry_date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    content = models.TextField(blank=True, max_length=20000)
    mood = models.CharField(max_length=10, choices=JournalMood, blank=True)
    energy_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    stress_level = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    ai_summary = models.TextField(blank=True)
    ai_recommendations = models.JSONField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", "content", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = JournalEntryManager()
    all_objects = models.Manager()  # noqa: DJ012  (managers after the fields; ruff reads the second as a field)

    # Not a column: set by coaching.services.journal.journal_entry_save, whether that save created the entry.
    was_created: bool

    class Meta:
        ordering = ["-entry_date"]
        base_manager_name = "all_objects"
        verbose_name_plural = "journal entries"
        constraints = [
            # One entry per day; a deleted entry no longer holds the day.
            models.UniqueConstraint(
                fields=["user", "entry_date"], condition=Q(deleted_at__isnull=True), name="coaching_journal_one_per_day"
            ),
            models.CheckConstraint(condition=Q(mood__in=[*JournalMood.values, ""]), name="coaching_journal_mood_valid"),
            models.CheckConstraint(
                condition=Q(energy_level__isnull=True) | Q(energy_level__gte=1, energy_level__lte=10),
                name="coaching_journal_energy_range",
            ),
            models.CheckConstraint(
                condition=Q(stress_level__isnull=True) | Q(stress_level__gte=1, stress_level__lte=10),
                name="coaching_journal_stress_range",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=False) | ~Q(title="") | ~Q(content="") | ~Q(mood=""),
                name="coaching_journal_not_empty",
                violation_error_message="Write something, or choose a mood.",
            ),
            models.CheckConstraint(condition=date_range_check("entry_date"), name="coaching_journal_date_range"),
        ]
        indexes = [
            # Seed 000: the person's entries newest first, and entries by tag (array containment).
            models.Index(
                fields=["user", "-entry_date"], condition=Q(deleted_at__isnull=True), name="coaching_journal_user_date"
            ),
            GinIndex(fields=["tags"], name="coaching_journal_tags"),
            # Searching the person's entries by words.
            GinIndex(fields=["search_vector"], name="coaching_journal_search"),
        ]

    def __str__(self) -> str:
        return self.title or f"Journal {self.entry_date}"
