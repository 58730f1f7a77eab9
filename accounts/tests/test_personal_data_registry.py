"""Every model that points at a person is in the personal-data registry, so export and erasure see it."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps
from django.utils.module_loading import import_string

from accounts.models import Notification, User
from fitjourney.hooks import personal_data


def _points_at_user(model: type[models.Model]) -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return any(
        field.concrete and (field.many_to_one or field.one_to_one) and field.related_model is user_model
        for field in model._meta.get_fields()
    )


def unregistered_models(candidates: Iterable[type[models.Model]] | None = None) -> list[str]:
    """Labels of models with a foreign key (or one-to-one) to User that are neither registered nor exempt."""
    missing = []
    for model in apps.get_models() if candidates is None else candidates:
        if not _points_at_user(model):
            continue
        # A proxy holds its concrete model's rows: registering that one covers it.
        if personal_data.entry_for(model) or personal_data.entry_for(model._meta.concrete_model or model):
            continue
        if model._meta.label_lower in personal_data.EXEMPT:
            continue
        missing.append(model._meta.label)
    return sorted(missing)


def test_every_model_pointing_at_a_person_is_registered_or_exempt():
    missing = unregistered_models()
    assert missing == [], (
        f"Register these models in the personal-data registry (see fitjourney/hooks/personal_data.py) or exempt them "
        f"with a reason: {missing}"
    )


def test_the_check_reports_a_model_that_is_not_registered(monkeypatch):
    monkeypatch.delitem(personal_data._registry, Notification)
    assert unregistered_models() == ["accounts.Notification"]


@isolate_apps("accounts")
def test_the_check_reports_a_new_model_with_a_foreign_key_to_user(monkeypatch):
    class Diary(models.Model):
        owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

        def __str__(self) -> str:
            return "diary"

    assert unregistered_models([Diary]) == ["accounts.Diary"]
    monkeypatch.setitem(personal_data.EXEMPT, "accounts.diary", "a model for this test only")
    assert unregistered_models([Diary]) == []


def test_every_exemption_gives_a_reason():
    assert personal_data.EXEMPT, "third-party models such as admin.LogEntry are exempt with a reason"
    for label, reason in personal_data.EXEMPT.items():
        assert len(reason) > 20, f"{label}: say why it holds nothing personal (or how erasure deals with it)"


def test_every_entry_can_be_exported_and_erased():
    for entry in personal_data.registered():
        concrete = {f.attname for f in entry.model._meta.concrete_fields} | {
            f.name for f in entry.model._meta.concrete_fields
        }
        assert set(entry.export_fields()) <= concrete, entry.kind
        for name in entry.files:
            assert isinstance(entry.model._meta.get_field(name), models.FileField), f"{entry.kind}.{name}"
        if entry.erase == personal_data.KEEP:
            assert entry.reason, f"{entry.kind} is kept at erasure: give the reason"
        elif entry.erase not in (personal_data.DELETE, personal_data.DELETE_NOW):
            assert callable(import_string(entry.erase)), entry.erase
        # The owner path is a valid lookup.
        entry.model._base_manager.filter(**{entry.owner: "00000000-0000-0000-0000-000000000000"}).query.__str__()


@pytest.mark.parametrize("label", ["admin.logentry"])
def test_library_models_with_a_user_foreign_key_are_exempt_with_a_reason(label):
    assert label in personal_data.EXEMPT
