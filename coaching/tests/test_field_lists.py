"""Each write's fields are listed once, by its service; the forms, serializers and admin take them from there."""

from __future__ import annotations

import pytest
from django.contrib.admin import site

from coaching.api.habits import HabitCreateSerializer, HabitSerializer, HabitUpdateSerializer
from coaching.api.intake import STEP_SERIALIZERS
from coaching.api.journal import JournalEntryPatchSerializer, JournalEntryPutSerializer, JournalEntrySerializer
from coaching.forms import HabitForm, JournalEntryForm
from coaching.models import Habit
from coaching.services.habits import HABIT_FIELDS
from coaching.services.intake import STEP_FIELDS
from coaching.services.journal import ENTRY_FIELDS


def test_a_habit_is_the_same_fields_in_the_form_the_api_and_the_admin():
    assert tuple(HabitForm(editing=True).fields) == HABIT_FIELDS
    assert tuple(HabitForm().fields) == tuple(name for name in HABIT_FIELDS if name != "is_active")
    assert set(HabitUpdateSerializer().fields) == set(HABIT_FIELDS)
    assert set(HabitCreateSerializer().fields) == {*HABIT_FIELDS, "template"}
    assert set(HABIT_FIELDS) <= set(HabitSerializer().fields)
    assert set(HABIT_FIELDS) <= set(site._registry[Habit].fields)


def test_a_journal_entry_is_the_same_fields_in_the_form_and_the_api():
    assert tuple(JournalEntryForm().fields) == ENTRY_FIELDS
    assert set(JournalEntryPatchSerializer().fields) == set(JournalEntryPutSerializer().fields) == set(ENTRY_FIELDS)
    assert set(ENTRY_FIELDS) <= set(JournalEntrySerializer().fields)


@pytest.mark.parametrize("step", sorted(STEP_SERIALIZERS))
def test_each_intake_step_takes_the_same_fields_on_the_api_as_the_service(step):
    assert set(STEP_SERIALIZERS[step]().fields) == set(STEP_FIELDS[step])
