"""Reads for the right of access and the right to erasure."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Model, QuerySet

from fitjourney.errors import NotFound
from fitjourney.hooks.personal_data import PersonalData

from ..models import DataExport, User

# The "Your data" page shows this many exports: the current one and the last few before it.
EXPORTS_SHOWN = 10


def data_exports_for_user(*, user: User) -> QuerySet[DataExport]:
    # Newest first (served by the accounts_export_user index); the error text is internal, never shown.
    return DataExport.objects.filter(user=user).defer("error").order_by("-requested_at")


def data_export_get_for_user(*, user: User, export_id: UUID | str) -> DataExport:
    """Another person's export is not found (a 404), never a 403."""
    export = DataExport.objects.filter(user=user, pk=export_id).defer("error").first()
    if export is None:
        raise NotFound("No such export.")
    return export


def personal_data_rows(*, entry: PersonalData, user_id: Any) -> QuerySet[Model]:
    """Every row of one registered model that belongs to the person, for the export and the erasure.

    The base manager, not the default one: a default manager may hide rows (User.objects hides erased
    accounts, an app may hide soft-deleted posts) that are still held and so still the person's data.
    """
    return entry.model._base_manager.filter(**{entry.owner: user_id})
