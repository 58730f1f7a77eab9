"""Training's forms, one module per area: validation only, then the view calls a service."""

from __future__ import annotations

from .enrollments import EnrolForm
from .history import HistoryFilterForm
from .library import MUSCLES, ExerciseCreateForm, LibrarySearchForm
from .programs import ProgramBrowseForm, ProgramDayForm, ProgramExerciseForm, ProgramForm, WeekCopyForm
from .sessions import ExerciseSearchForm, MediaForm, MetricsForm, SessionFieldsForm, SetForm

__all__ = [
    "MUSCLES",
    "EnrolForm",
    "ExerciseCreateForm",
    "ExerciseSearchForm",
    "HistoryFilterForm",
    "LibrarySearchForm",
    "MediaForm",
    "MetricsForm",
    "ProgramBrowseForm",
    "ProgramDayForm",
    "ProgramExerciseForm",
    "ProgramForm",
    "SessionFieldsForm",
    "SetForm",
    "WeekCopyForm",
]
