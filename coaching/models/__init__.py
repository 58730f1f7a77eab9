from __future__ import annotations

from .goals import (
    CATEGORY_KIND,
    KIND_CATEGORY,
    METRICS,
    Direction,
    Goal,
    GoalKind,
    GoalKindSlug,
    GoalMetric,
    GoalMilestone,
    GoalRole,
    GoalStatus,
    MetricSpec,
)
from .habits import Frequency, Habit, HabitCategory, HabitLog, HabitTemplate, TrackingType
from .intake import FLOW_VERSION, OnboardingState, Step
from .journal import JournalEntry, JournalMood
from .summaries import DailySummary, PendingSummary, WeeklySummary

__all__ = [
    "CATEGORY_KIND",
    "FLOW_VERSION",
    "KIND_CATEGORY",
    "METRICS",
    "Direction",
    "GoalKind",
    "GoalKindSlug",
    "GoalMetric",
    "GoalMilestone",
    "MetricSpec",
    "DailySummary",
    "Frequency",
    "Goal",
    "GoalRole",
    "GoalStatus",
    "Habit",
    "HabitCategory",
    "HabitLog",
    "HabitTemplate",
    "JournalEntry",
    "JournalMood",
    "OnboardingState",
    "PendingSummary",
    "Step",
    "TrackingType",
    "WeeklySummary",
]
