"""Seed 000's system habit templates and seed 002's goal kinds, loaded idempotently with the other
reference data."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fitjourney.hooks import reference
from fitjourney.hooks.reference import Progress

from .models import Frequency, GoalKind, GoalKindSlug, GoalMetric, HabitCategory, HabitTemplate, TrackingType

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


# Seed 002 goal_type, with the measure a new goal of the kind starts from.
GOAL_KINDS = [
    (GoalKindSlug.FREQUENCY, "Frequency", "Train a number of times a week.", "calendar", GoalMetric.SESSIONS_PER_WEEK),
    (
        GoalKindSlug.PERFORMANCE,
        "Performance",
        "Lift heavier: an exercise's 1RM or best weight.",
        "trophy",
        GoalMetric.EXERCISE_E1RM,
    ),
    (GoalKindSlug.HABIT, "Habit", "Keep a habit, or eat to a daily target.", "check", GoalMetric.HABIT_COMPLETION),
    (GoalKindSlug.TIME_BASED, "Time based", "Cover a distance within the month.", "clock", GoalMetric.DISTANCE_MONTH),
    (
        GoalKindSlug.BODY_COMPOSITION,
        "Body composition",
        "Reach a body weight or body fat.",
        "scale",
        GoalMetric.BODY_WEIGHT,
    ),
]


@transaction.atomic
def goal_kinds_load(progress: Progress | None = None) -> str:
    from .models import METRICS

    created = 0
    for order, (slug, name, description, icon, metric) in enumerate(GOAL_KINDS, start=1):
        _, was_created = GoalKind.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "icon_name": icon,
                "default_metric": metric,
                "default_unit": METRICS[metric].unit,
                "display_order": order,
            },
        )
        created += was_created
        if progress:
            progress(order, len(GOAL_KINDS), "goal kinds")
    return f"goal kinds: {len(GOAL_KINDS)} ({created} new)"


def gym_demo_load(*, accounts: dict) -> str:
    from .services.gym_demo import gym_demo_ensure

    return gym_demo_ensure(accounts=accounts)


def member_demo_load(*, accounts: dict) -> str:
    from .services.member_demo import member_demo_ensure

    return member_demo_ensure(member=accounts["member"])


def register() -> None:
    reference.register_loader("coaching.habit_templates", habit_templates_load, order=40)
    reference.register_loader("coaching.goal_kinds", goal_kinds_load, order=41)
    # The member's history first: the gym's sessions for the member then have a body weight to count
    # calories with, and keep the member's own weigh-ins.
    reference.register_demo_loader("coaching.member", member_demo_load, order=40)
    reference.register_demo_loader("coaching.gym", gym_demo_load, order=50)
