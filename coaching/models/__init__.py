from __future__ import annotations

from .habits import Frequency, Habit, HabitCategory, HabitLog, HabitTemplate, TrackingType
from .intake import FLOW_VERSION, Goal, GoalRole, GoalStatus, OnboardingState, Step
from .journal import JournalEntry, JournalMood
from .summaries import DailySummary, PendingSummary, WeeklySummary

__all__ = [
    "FLOW_VERSION",
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
