"""What accounts' pages show, shaped for the person: profile values (labels, their units, their date
format, choice labels), the profile's history, and body measurements in their units.

Profile values work on snapshots (JSON values) so the current profile, its history and "as it was on"
read alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict

from django.utils.dateformat import format as format_date
from django.utils.text import Truncator

from fitjourney import units
from fitjourney.units import height_display

from .models import (
    ActivityLevel,
    BodyMetric,
    ChangedBy,
    FitnessLevel,
    Gender,
    Goal,
    Level,
    Profile,
    ProfileVersion,
    SleepQuality,
    UnitType,
    User,
)
from .services.profiles import PROFILE_FIELDS

LABELS = {
    "birth_date": "Birth date",
    "gender": "Gender",
    "height_m": "Height",
    "bio": "About you",
    "location": "Location",
    "avatar": "Photo",
    "activity_level": "Activity level",
    "fitness_level": "Fitness level",
    "primary_goal": "Primary goal",
    "secondary_goal": "Secondary goal",
    "energy_level": "Energy",
    "stress_level": "Stress",
    "sleep_quality": "Sleep quality",
    "preferences": "Preferences",
    "is_locked": "Locked",
}

CHOICES = {
    "gender": Gender,
    "activity_level": ActivityLevel,
    "fitness_level": FitnessLevel,
    "primary_goal": Goal,
    "secondary_goal": Goal,
    "energy_level": Level,
    "stress_level": Level,
    "sleep_quality": SleepQuality,
}

NOT_SET = "—"
# What "as it was on" lists; the photo is shown as an image above the list.
AS_OF_FIELDS = tuple(name for name in PROFILE_FIELDS if name != "avatar")


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def display_value(field: str, value: Any, user: User, *, short: bool = False) -> str:
    """One snapshot value as the person reads it; NOT_SET for an empty one."""
    if value in (None, "", {}, []) and field != "is_locked":
        return NOT_SET
    if field == "birth_date":
        born = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(born, user.date_format)
    if field == "height_m":
        return height_display(value, user.unit_system)
    if field in CHOICES:
        choices = CHOICES[field]
        return str(choices(value).label) if value in choices.values else str(value)
    if field == "avatar":
        return "A photo"
    if field == "is_locked":
        return "Yes" if value else "No"
    if field == "preferences":
        text = ", ".join(f"{key}: {val}" for key, val in value.items()) if isinstance(value, dict) else str(value)
        return Truncator(text).chars(80) if short else text
    return Truncator(str(value)).chars(80) if short else str(value)


@dataclass(frozen=True)
class Row:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


def preference_items(profile: Profile) -> list[tuple[str, Any]]:
    """The profile's preferences as (key, value), sorted by key, for the profile page."""
    return sorted(profile.preferences.items()) if isinstance(profile.preferences, dict) else []


def snapshot_avatar_url(snapshot: dict[str, Any]) -> str:
    """The URL of the photo a snapshot names (its file name), or ""."""
    avatar = snapshot.get("avatar") or ""
    return Profile.avatar.field.storage.url(avatar) if avatar else ""


def snapshot_rows(snapshot: dict[str, Any], user: User, fields: tuple[str, ...]) -> list[Row]:
    return [Row(name, LABELS[name], display_value(name, snapshot.get(name), user)) for name in fields]


def snapshot_changes(
    snapshot: dict[str, Any], previous: dict[str, Any] | None, changed_fields: list[str], user: User
) -> list[Change]:
    """What a version changed, old -> new, in the order of LABELS."""
    previous = previous or {}
    changes = []
    for name in LABELS:
        if name not in changed_fields:
            continue
        old, new = previous.get(name), snapshot.get(name)
        if name == "avatar":
            old_text = "A photo" if old else NOT_SET
            new_text = ("A new photo" if old else "A photo") if new else "Removed"
            changes.append(Change(name, LABELS[name], old_text, new_text))
            continue
        changes.append(
            Change(
                name,
                LABELS[name],
                display_value(name, old, user, short=True),
                display_value(name, new, user, short=True),
            )
        )
    return changes


# The profile's history -------------------------------------------------------------------------------


class HistoryEntry(TypedDict):
    version: ProfileVersion
    by: str
    is_first: bool
    changes: list[Change]


def changed_by_text(version: ProfileVersion) -> str:
    """Who made a version, as the person reads it."""
    if version.changed_by == ChangedBy.USER:
        return "You"
    if version.changed_by == ChangedBy.ADMIN:
        staff = version.changed_by_user
        return f"Staff ({staff.display_name})" if staff else "Staff"
    return "FitJourney"


def history_entry(version: ProfileVersion, user: User) -> HistoryEntry:
    """One version of the history page; `previous_snapshot` is annotated by the history selector."""
    previous: dict[str, Any] | None = getattr(version, "previous_snapshot", None)
    return {
        "version": version,
        "by": changed_by_text(version),
        "is_first": version.version == 1,
        "changes": snapshot_changes(version.snapshot, previous, version.changed_fields, user),
    }


# Body measurements ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRow:
    metric: BodyMetric
    value: str


def body_value_display(metric: BodyMetric, user: User) -> str:
    """A stored measurement in the person's units: weights in kg or lb, circumferences in cm or in (the one
    units module); other kinds (percentages) as stored, with their unit."""
    base = metric.metric_type.unit
    if base.type == UnitType.WEIGHT:
        return units.weight_display(metric.value, user)
    if base.type == UnitType.LENGTH:
        return units.length_display(metric.value, user)
    return f"{units.plain_number(metric.value.quantize(units.TENTH))} {base.symbol}"


def body_rows(metrics: list[BodyMetric], user: User) -> list[BodyRow]:
    return [BodyRow(metric=metric, value=body_value_display(metric, user)) for metric in metrics]
