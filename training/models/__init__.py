from __future__ import annotations

from .library import (
    DISTANCE_METRIC,
    ActivityCategory,
    ActivityType,
    Exercise,
    InputType,
    Level,
    MetricTemplate,
    Visibility,
)
from .records import RECORD_VALUE_UNITS, IdempotencyKey, PersonalRecord, RecordType, Streak
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
    "DISTANCE_METRIC",
    "RECORD_VALUE_UNITS",
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
