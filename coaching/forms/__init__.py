"""Forms of coaching, one module per area: validation only, then the view calls a service."""

from __future__ import annotations

from .base import DATE, TIME, errors_to_form
from .checkins import CheckinForm
from .habits import HabitForm, HabitLogForm, LogDeleteForm
from .intake import FORMS, StepForm, rows_with_one_more, typed_values
from .journal import JournalEntryForm, JournalFilterForm
from .today import HabitValueForm, WaterForm, WeightForm, form_error

__all__ = [
    "DATE",
    "FORMS",
    "TIME",
    "CheckinForm",
    "HabitForm",
    "HabitLogForm",
    "HabitValueForm",
    "JournalEntryForm",
    "JournalFilterForm",
    "LogDeleteForm",
    "StepForm",
    "WaterForm",
    "WeightForm",
    "errors_to_form",
    "form_error",
    "rows_with_one_more",
    "typed_values",
]
