"""Writes for physical constraints (seed 003 physical_constraints): injuries and limitations, the equipment a
person has, where they train and how long a workout may last.

Each row is one constraint of one kind and carries only that kind's details (an injury its body area and
severity, an equipment row its list, a time row its minutes). Replacing a person's constraints resolves the
active ones rather than deleting them, so an old injury stays in their history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import (
    AuditAction,
    BodyArea,
    ConstraintType,
    Equipment,
    PhysicalConstraint,
    Severity,
    User,
    WorkoutLocation,
)
from ..models.lifestyle import MAX_DURATION_MAX, MAX_DURATION_MIN
from .audit import audit_record

CONSTRAINT_FIELDS = (
    "constraint_type",
    "category",
    "description",
    "severity",
    "workout_location",
    "available_equipment",
    "max_workout_duration_minutes",
    "available_time_slots",
)
# The details each kind carries; the others are left empty.
DETAILS = {
    ConstraintType.INJURY: ("category", "description", "severity"),
    ConstraintType.LIMITATION: ("category", "description", "severity"),
    ConstraintType.EQUIPMENT: ("available_equipment", "description"),
    ConstraintType.LOCATION: ("workout_location", "description"),
    ConstraintType.TIME: ("max_workout_duration_minutes", "available_time_slots", "description"),
}
# Where a person trains and how long they have are one answer each.
SINGLE_KINDS = (ConstraintType.EQUIPMENT, ConstraintType.LOCATION, ConstraintType.TIME)
DESCRIPTION_MAX = 2000
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_ROWS = 30


def _text(value: Any, *, field: str, errors: dict[str, list[str]]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.setdefault(field, []).append("Enter text.")
        return ""
    text = value.strip()
    if "\x00" in text:
        errors.setdefault(field, []).append("Null characters are not allowed.")
    elif len(text) > DESCRIPTION_MAX:
        errors.setdefault(field, []).append(f"At most {DESCRIPTION_MAX:,} characters.")
    return text


def _time_slots(value: Any, errors: dict[str, list[str]]) -> list[dict[str, str]] | None:
    """[{"day": "monday", "start": "18:00", "end": "20:00"}, …] checked: a known day, start before end."""
    if value in (None, []):
        return None
    if not isinstance(value, list) or len(value) > 50:
        errors.setdefault("available_time_slots", []).append("Give a list of up to 50 time slots.")
        return None
    slots = []
    for slot in value:
        try:
            day = str(slot["day"]).lower()
            start, end = (
                dt.time.fromisoformat(str(slot["start"])),
                dt.time.fromisoformat(str(slot["end"])),
            )
        except (KeyError, TypeError, ValueError):
            errors.setdefault("available_time_slots", []).append('Each slot needs a "day", a "start" and an "end".')
            return None
        if day not in WEEKDAYS:
            errors.setdefault("available_time_slots", []).append(f"“{day}” is not a day of the week.")
        elif not start < end:
            errors.setdefault("available_time_slots", []).append(f"On {day} the slot must end after it starts.")
        slots.append({"day": day, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    return slots


def physical_constraint_clean(row: dict[str, Any]) -> dict[str, Any]:
    """One constraint checked and normalised (every field of CONSTRAINT_FIELDS present, those that do not
    belong to its kind empty). Raises a ValidationError of {field: messages}."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(row) - set(CONSTRAINT_FIELDS))
    for name in unknown:
        errors[name] = ["Unknown field."]
    kind = row.get("constraint_type")
    if kind not in ConstraintType.values:
        errors["constraint_type"] = ["Choose injury, limitation, equipment, location or time."]
        raise ValidationError(errors)
    kind = ConstraintType(kind)
    details = DETAILS[kind]
    cleaned: dict[str, Any] = {
        "constraint_type": kind.value,
        "category": "",
        "description": "",
        "severity": "",
        "workout_location": "",
        "available_equipment": [],
        "max_workout_duration_minutes": None,
        "available_time_slots": None,
    }
    cleaned["description"] = _text(row.get("description"), field="description", errors=errors)

    if "category" in details:
        category = row.get("category") or ""
        if kind == ConstraintType.INJURY and not category:
            errors.setdefault("category", []).append("Say where the injury is.")
        elif category and category not in BodyArea.values:
            errors.setdefault("category", []).append("Choose a body area from the list.")
        cleaned["category"] = category
        severity = row.get("severity") or ""
        if kind == ConstraintType.INJURY and not severity:
            errors.setdefault("severity", []).append("Say how severe it is: mild, moderate or severe.")
        elif severity and severity not in Severity.values:
            errors.setdefault("severity", []).append("Choose mild, moderate or severe.")
        cleaned["severity"] = severity
        if kind == ConstraintType.LIMITATION and not category and not cleaned["description"]:
            errors.setdefault("description", []).append("Describe the limitation or pick a body area.")

    if "available_equipment" in details:
        equipment = row.get("available_equipment")
        if isinstance(equipment, str) or not isinstance(equipment, list | tuple):
            errors.setdefault("available_equipment", []).append("Give a list of equipment.")
        else:
            # Seed 003 rule 5: equipment is cross-referenced with the equipment types.
            unknown_items = [str(item) for item in equipment if item not in Equipment.values]
            if unknown_items:
                errors.setdefault("available_equipment", []).append(
                    f"Unknown equipment: {', '.join(unknown_items)}. Choose from the list."
                )
            elif not equipment:
                errors.setdefault("available_equipment", []).append("Pick at least one piece of equipment.")
            cleaned["available_equipment"] = list(dict.fromkeys(item for item in equipment if item in Equipment.values))

    if "workout_location" in details:
        location = row.get("workout_location") or ""
        if location not in WorkoutLocation.values:
            errors.setdefault("workout_location", []).append("Choose home, gym, outdoor or a mix.")
        cleaned["workout_location"] = location

    if "max_workout_duration_minutes" in details:
        minutes = row.get("max_workout_duration_minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int | str):
            minutes = None
        try:
            minutes = int(minutes) if minutes is not None else None
        except ValueError:
            minutes = None
        if minutes is None or not MAX_DURATION_MIN <= minutes <= MAX_DURATION_MAX:
            errors.setdefault("max_workout_duration_minutes", []).append(
                f"A workout may last {MAX_DURATION_MIN} to {MAX_DURATION_MAX} minutes."
            )
        cleaned["max_workout_duration_minutes"] = minutes
        cleaned["available_time_slots"] = _time_slots(row.get("available_time_slots"), errors)

    if errors:
        raise ValidationError(errors)
    return cleaned


def physical_constraints_validate(*, constraints: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every constraint cleaned (see physical_constraint_clean), at most one equipment, location and time
    row. Errors are keyed by position: "constraints[1].severity"."""
    if not isinstance(constraints, list | tuple):
        raise ValidationError({"constraints": ["Give a list of constraints."]})
    if len(constraints) > MAX_ROWS:
        raise ValidationError({"constraints": [f"At most {MAX_ROWS} constraints."]})
    errors: dict[str, list[str]] = {}
    cleaned = []
    for index, row in enumerate(constraints):
        if not isinstance(row, dict):
            errors[f"constraints[{index}]"] = ["Give each constraint as an object."]
            continue
        try:
            cleaned.append(physical_constraint_clean(row))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"constraints[{index}].{name}"] = messages
    for kind in SINGLE_KINDS:
        if sum(1 for row in cleaned if row["constraint_type"] == kind) > 1:
            errors.setdefault("constraints", []).append(f"Give one “{ConstraintType(kind).label}” answer, not several.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def physical_constraints_replace(*, user: User, constraints: list[dict[str, Any]]) -> list[PhysicalConstraint]:
    """Makes `constraints` the person's active constraints: the ones active until now are resolved (kept as
    history), the new ones created. All or nothing."""
    cleaned = physical_constraints_validate(constraints=constraints)
    now = timezone.now()
    resolved = PhysicalConstraint.objects.filter(user=user, is_active=True).update(
        is_active=False, resolved_at=now, updated_at=now
    )
    rows = [PhysicalConstraint(user=user, **row) for row in cleaned]
    for row in rows:
        # The column rules without full_clean's round trip per database constraint (those stay the backstop).
        row.clean_fields(exclude=["user"])
    created = PhysicalConstraint.objects.bulk_create(rows)
    audit_record(
        action=AuditAction.SETTINGS_UPDATE,
        actor=user,
        new_values={
            "event": "physical_constraints_replace",
            "resolved": resolved,
            "kinds": sorted(row["constraint_type"] for row in cleaned),
        },
    )
    return created


__all__ = [
    "CONSTRAINT_FIELDS",
    "physical_constraint_clean",
    "physical_constraints_replace",
    "physical_constraints_validate",
]
