from __future__ import annotations

from .audit import SECURITY_ACTIONS, AuditAction, AuditLog
from .body import BodyMetric, BodyMetricCategory, BodyMetricType, Unit, UnitType
from .notifications import Channel, Notification, NotificationPreference, NotificationType, Priority
from .privacy import DataExport, ExportStatus
from .profile import (
    INCOMPATIBLE_GOALS,
    PRIMARY_GOALS,
    PROFILE_FIELDS,
    ActivityLevel,
    ChangedBy,
    FitnessLevel,
    Gender,
    Goal,
    Level,
    Profile,
    ProfileVersion,
    SleepQuality,
    goals_compatible,
)
from .tokens import ApiToken, ApiTokenQuerySet
from .user import (
    AccountStatus,
    DateFormat,
    Language,
    UnitSystem,
    User,
    UserManager,
    normalize_email,
    validate_timezone,
)

__all__ = [
    "INCOMPATIBLE_GOALS",
    "PRIMARY_GOALS",
    "PROFILE_FIELDS",
    "SECURITY_ACTIONS",
    "AccountStatus",
    "ActivityLevel",
    "ApiToken",
    "ApiTokenQuerySet",
    "AuditAction",
    "AuditLog",
    "BodyMetric",
    "BodyMetricCategory",
    "BodyMetricType",
    "ChangedBy",
    "Channel",
    "DataExport",
    "DateFormat",
    "ExportStatus",
    "FitnessLevel",
    "Gender",
    "Goal",
    "Language",
    "Level",
    "Notification",
    "NotificationPreference",
    "NotificationType",
    "Priority",
    "Profile",
    "ProfileVersion",
    "SleepQuality",
    "Unit",
    "UnitSystem",
    "UnitType",
    "User",
    "UserManager",
    "goals_compatible",
    "normalize_email",
    "validate_timezone",
]
