"""The fields a session service accepts are listed once (training.services.sessions); the page's forms and
the API's serializers follow the lists, so a field added to one place and not the others fails here."""

from __future__ import annotations

from training.api.sessions import SessionFieldsIn, SetIn, SetOut, SetPatch
from training.forms import SessionFieldsForm, SetForm
from training.services.sessions import SESSION_FIELDS, SET_FIELDS


def test_the_details_form_and_the_api_take_the_session_fields_the_service_accepts():
    assert set(SessionFieldsForm.base_fields) == set(SESSION_FIELDS)
    assert set(SessionFieldsIn().fields) == set(SESSION_FIELDS)


def test_the_set_form_and_the_api_take_the_set_fields_the_service_accepts():
    assert {SetForm.SHOWN_AS.get(name, name) for name in SET_FIELDS} == set(SetForm.base_fields)
    assert set(SetIn().fields) == set(SetPatch().fields) == set(SET_FIELDS)
    assert set(SET_FIELDS) <= set(SetOut().fields)
