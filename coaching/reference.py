"""Seed 000's system habit templates, loaded idempotently with the other reference data."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fitjourney.hooks import reference
from fitjourney.hooks.reference import Progress

from .models import Frequency, HabitCategory, HabitTemplate, TrackingType

SYSTEM_HABITS = [
    ("Drink Water", "Track daily water intake", HabitCategory.HYDRATION, TrackingType.NUMERIC, "glasses", 8, "glass"),
    ("Sleep", "Track hours of sleep", HabitCategory.SLEEP, TrackingType.DURATION, "hours", 7, "moon"),
    ("Steps", "Track daily steps", HabitCategory.ACTIVITY, TrackingType.NUMERIC, "steps", 8000, "shoe"),
    (
        "Meditation",
        "Daily meditation practice",
        HabitCategory.MINDFULNESS,
        TrackingType.DURATION,
        "minutes",
        10,
        "lotus",
    ),
    ("Vegetables", "Servings of vegetables", HabitCategory.NUTRITION, TrackingType.NUMERIC, "servings", 5, "leaf"),
]


@transaction.atomic
def habit_templates_load(progress: Progress | None = None) -> str:
    created = 0
    for done, (name, description, category, tracking, unit, target, icon) in enumerate(SYSTEM_HABITS, start=1):
        _, was_created = HabitTemplate.objects.update_or_create(
            name=name,
            is_system=True,
            defaults={
                "description": description,
                "category": category,
                "tracking_type": tracking,
                "unit": unit,
                "default_target": Decimal(target),
                "frequency": Frequency.DAILY,
                "icon_name": icon,
            },
        )
        created += was_created
        if progress:
            progress(done, len(SYSTEM_HABITS), "habit templates")
    return f"habit templates: {len(SYSTEM_HABITS)} system templates ({created} new)"


def register() -> None:
    reference.register_loader("coaching.habit_templates", habit_templates_load, order=40)
