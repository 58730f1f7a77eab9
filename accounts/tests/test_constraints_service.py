"""Physical constraints: each kind's rules, and replacing a person's constraints (all or nothing)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditLog, PhysicalConstraint
from accounts.services.constraints import (
    physical_constraint_clean,
    physical_constraints_replace,
    physical_constraints_validate,
)
from accounts.tests.factories import PhysicalConstraintFactory, UserFactory

pytestmark = pytest.mark.django_db

ROWS = [
    {"constraint_type": "injury", "category": "knee", "severity": "moderate", "description": "Meniscus"},
    {"constraint_type": "limitation", "description": "No overhead pressing"},
    {"constraint_type": "equipment", "available_equipment": ["dumbbell", "bands", "dumbbell"]},
    {"constraint_type": "location_preference", "workout_location": "hybrid"},
    {
        "constraint_type": "time_constraint",
        "max_workout_duration_minutes": 45,
        "available_time_slots": [{"day": "Monday", "start": "18:00", "end": "20:00"}],
    },
]


def test_replacing_creates_the_new_constraints_and_resolves_the_old_ones():
    user = UserFactory()
    old = PhysicalConstraintFactory(user=user, category="back")
    created = physical_constraints_replace(user=user, constraints=ROWS)
    assert len(created) == 5
    old.refresh_from_db()
    assert not old.is_active and old.resolved_at is not None  # kept as history
    active = {row.constraint_type: row for row in PhysicalConstraint.objects.filter(user=user).active()}
    assert active["equipment"].available_equipment == ["dumbbell", "bands"]
    assert active["time_constraint"].available_time_slots == [{"day": "monday", "start": "18:00", "end": "20:00"}]
    assert active["injury"].workout_location == "" and active["location_preference"].severity == ""
    assert AuditLog.objects.filter(subject_id=user.pk, new_values__event="physical_constraints_replace").exists()


def test_details_that_do_not_belong_to_a_kind_are_dropped():
    row = physical_constraint_clean(
        {"constraint_type": "equipment", "available_equipment": ["barbell"], "severity": "severe", "category": "knee"}
    )
    assert (row["severity"], row["category"], row["available_equipment"]) == ("", "", ["barbell"])


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"constraint_type": "wish"}, "constraint_type"),
        ({"constraint_type": "injury", "category": "knee"}, "severity"),
        ({"constraint_type": "injury", "severity": "mild"}, "category"),
        ({"constraint_type": "injury", "category": "wing", "severity": "mild"}, "category"),
        ({"constraint_type": "injury", "category": "knee", "severity": "awful"}, "severity"),
        ({"constraint_type": "limitation"}, "description"),
        ({"constraint_type": "equipment", "available_equipment": []}, "available_equipment"),
        ({"constraint_type": "equipment", "available_equipment": ["jetpack"]}, "available_equipment"),
        ({"constraint_type": "equipment", "available_equipment": "dumbbell"}, "available_equipment"),
        ({"constraint_type": "location_preference", "workout_location": "space"}, "workout_location"),
        ({"constraint_type": "location_preference"}, "workout_location"),
        ({"constraint_type": "time_constraint", "max_workout_duration_minutes": 14}, "max_workout_duration_minutes"),
        ({"constraint_type": "time_constraint", "max_workout_duration_minutes": 181}, "max_workout_duration_minutes"),
        ({"constraint_type": "time_constraint"}, "max_workout_duration_minutes"),
        (
            {"constraint_type": "time_constraint", "max_workout_duration_minutes": 30,
             "available_time_slots": [{"day": "monday", "start": "20:00", "end": "18:00"}]},
            "available_time_slots",
        ),
        ({"constraint_type": "limitation", "description": "x" * 2001}, "description"),
        ({"constraint_type": "limitation", "description": "a\x00b"}, "description"),
        ({"constraint_type": "limitation", "description": "ok", "colour": "red"}, "colour"),
    ],
)  # fmt: skip
def test_each_kind_has_its_rules(row, field):
    with pytest.raises(ValidationError) as error:
        physical_constraint_clean(row)
    assert field in error.value.message_dict


@pytest.mark.parametrize("minutes", [15, 180])
def test_workouts_of_15_and_180_minutes_are_fine(minutes):
    row = physical_constraint_clean({"constraint_type": "time_constraint", "max_workout_duration_minutes": minutes})
    assert row["max_workout_duration_minutes"] == minutes


def test_errors_name_the_row_and_one_location_is_enough():
    with pytest.raises(ValidationError) as error:
        physical_constraints_validate(
            constraints=[
                ROWS[0],
                {"constraint_type": "injury", "category": "knee"},
                {"constraint_type": "location_preference", "workout_location": "gym"},
                {"constraint_type": "location_preference", "workout_location": "home"},
            ]
        )
    errors = error.value.message_dict
    assert "constraints[1].severity" in errors
    assert any("not several" in message for message in errors["constraints"])


def test_a_refused_replacement_changes_nothing():
    user = UserFactory()
    old = PhysicalConstraintFactory(user=user)
    with pytest.raises(ValidationError):
        physical_constraints_replace(user=user, constraints=[ROWS[0], {"constraint_type": "equipment"}])
    old.refresh_from_db()
    assert old.is_active
    assert PhysicalConstraint.objects.filter(user=user).count() == 1
