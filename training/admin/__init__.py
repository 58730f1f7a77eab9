"""training's admin, one module per area (Django imports `training.admin`, which imports them all):
the exercise library and activity taxonomy (library.py), programs and enrolments (programs.py),
logged sessions read-only (sessions.py)."""

from __future__ import annotations

from . import library, programs, sessions  # noqa: F401
from .library import ActivityCategoryAdmin, ActivityTypeAdmin, ExerciseAdmin, OwnerKindFilter
from .programs import EnrollmentAdmin, ProgramAdmin, ProgramSessionAdmin
from .sessions import SessionAdmin

__all__ = [
    "ActivityCategoryAdmin",
    "ActivityTypeAdmin",
    "EnrollmentAdmin",
    "ExerciseAdmin",
    "OwnerKindFilter",
    "ProgramAdmin",
    "ProgramSessionAdmin",
    "SessionAdmin",
]
