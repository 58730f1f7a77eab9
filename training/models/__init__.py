from __future__ import annotations

from .library import ActivityCategory, ActivityType, Exercise, InputType, Level, MetricTemplate, Visibility
from .records import IdempotencyKey, PersonalRecord, RecordType, Streak
from .schedule import WEEKDAY_FIELDS, RestDayPreference, WorkoutSchedule
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
    "WEEKDAY_FIELDS",
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
    "RestDayPreference",
    "Session",
    "SessionExercise",
    "SessionMedia",
    "SessionMetric",
    "SessionStatus",
    "Set",
    "Streak",
    "Visibility",
    "WorkoutSchedule",
]
