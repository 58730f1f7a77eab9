"""accounts keeps the project's rooms: services know nothing of HTTP, and the profile's field list is
written once (the service's), then imported by the form, the serializers and the admin."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

from accounts import services
from accounts.admin.profiles import ADMIN_EDITABLE
from accounts.api.profile import ProfileSerializer, ProfileUpdateSerializer
from accounts.forms.profile import ProfileForm
from accounts.services.profiles import PROFILE_FIELDS

SERVICES = Path(services.__file__).parent
SELECTORS = SERVICES.parent / "selectors"


def _service_functions():
    for module_info in pkgutil.iter_modules([str(SERVICES)]):
        module = importlib.import_module(f"accounts.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", function


@pytest.mark.parametrize(("name", "function"), list(_service_functions()), ids=lambda value: str(value))
def test_no_service_takes_the_request(name, function):
    assert "request" not in inspect.signature(function).parameters, f"{name} takes a request: pass `audit`"


@pytest.mark.parametrize("path", sorted([*SERVICES.glob("*.py"), *SELECTORS.glob("*.py")]), ids=lambda p: p.name)
def test_services_and_selectors_import_nothing_of_http(path):
    tree = ast.parse(path.read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module is not None}
    http = sorted(name for name in imported if name in ("django.http", "django.shortcuts", "django.contrib.auth"))
    assert not http, f"{path.name} imports {http}: raise fitjourney.errors.NotFound, take an AuditContext"


def test_the_profile_fields_are_the_services_everywhere():
    assert set(ProfileUpdateSerializer().fields) == {*PROFILE_FIELDS, "reason"}
    assert set(PROFILE_FIELDS) <= set(ProfileSerializer.Meta.fields)
    assert tuple(name for name in PROFILE_FIELDS if name != "avatar") == ADMIN_EDITABLE
    # The page edits everything but the preferences; height and photo through their own fields.
    assert set(ProfileForm.PLAIN_FIELDS) | {"height_m", "avatar", "preferences"} == set(PROFILE_FIELDS)
