from __future__ import annotations

from .library import ActivityCategory, ActivityType, Exercise, InputType, Level, MetricTemplate, Visibility
from .records import IdempotencyKey, PersonalRecord, RecordType, Streak
from .sessions import (
    MediaType,
    Mood,
    Session,
    SessionExercise,
    SessionMedia,
    SessionMetric,
    SessionStatus,
    Set,
)

__all__ = [
    "ActivityCategory",
    "ActivityType",
    "Exercise",
    "IdempotencyKey",
    "InputType",
    "Level",
    "MediaType",
    "MetricTemplate",
    "Mood",
    "PersonalRecord",
    "RecordType",
    "Session",
    "SessionExercise",
    "SessionMedia",
    "SessionMetric",
    "SessionStatus",
    "Set",
    "Streak",
    "Visibility",
]
