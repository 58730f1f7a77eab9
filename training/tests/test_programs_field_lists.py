"""The fields the program services accept are listed once (training.services.programs); the builder's
forms and the API's serializers follow the lists."""

from __future__ import annotations

from training.api.programs import ProgramDayIn, ProgramExerciseIn, ProgramExerciseOut, ProgramIn
from training.forms import ProgramDayForm, ProgramExerciseForm, ProgramForm
from training.services.programs import PROGRAM_EXERCISE_FIELDS, PROGRAM_FIELDS, PROGRAM_SESSION_FIELDS


def test_the_program_form_and_the_api_take_the_program_fields():
    assert set(ProgramForm.base_fields) == set(PROGRAM_FIELDS)
    # The API has no upload (covers go through the page); it adds the tree and the staff flag.
    assert set(ProgramIn().fields) == set(PROGRAM_FIELDS) - {"cover_image"} | {"weeks", "is_official"}


def test_the_day_form_and_the_api_take_the_day_fields():
    shown = {ProgramDayForm.SHOWN_AS.get(name, name) for name in PROGRAM_SESSION_FIELDS} - {"target_metrics"}
    assert set(ProgramDayForm.base_fields) == shown
    assert set(ProgramDayIn().fields) == set(PROGRAM_SESSION_FIELDS) - {"week"} | {"exercises"}


def test_the_exercise_form_and_the_api_take_the_exercise_fields():
    shown = {ProgramExerciseForm.SHOWN_AS.get(name, name) for name in PROGRAM_EXERCISE_FIELDS} - {"exercise"}
    assert set(ProgramExerciseForm.base_fields) == shown
    assert set(ProgramExerciseIn().fields) == set(PROGRAM_EXERCISE_FIELDS)
    assert set(PROGRAM_EXERCISE_FIELDS) <= set(ProgramExerciseOut().fields) | {"exercise"}
