"""The registry of personal data: every app says how its models are exported and erased.

An app registers each model that holds personal data from its AppConfig.ready():

    personal_data.register(Session, owner="user", csv=True, erase=personal_data.DELETE)

- `owner` is the path from the model to the User it belongs to ("user", "session__user").
- `fields`/`exclude` choose what goes into the export (default: every concrete field).
- `csv=True` also writes a CSV of the rows (for data people open in a spreadsheet).
- `files` names FileFields whose files go into the zip.
- `erase` says what erasure does with the rows:
    DELETE       hidden from others immediately (their owner is deleted) and deleted for good after
                 90 days (by cascade from the User when the purge deletes it);
    DELETE_NOW   deleted at erasure (e.g. e-mail addresses: nothing personal may stay readable);
    "dotted.path" a function `(user) -> None` run at erasure that blanks the personal fields now;
    KEEP         nothing personal is left once the above ran (give the `reason`).

accounts itself registers its models in accounts/personal_data_accounts.py. A test fails when a model
with a foreign key to User is in no registration (or in EXEMPT with a reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model

DELETE = "delete"
DELETE_NOW = "delete_now"
KEEP = "keep"


@dataclass(frozen=True)
class PersonalData:
    model: type[Model]
    owner: str = "user"
    fields: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    csv: bool = False
    files: tuple[str, ...] = ()
    erase: str = DELETE
    name: str = ""
    reason: str = ""

    @property
    def kind(self) -> str:
        """The export's file name for this data, e.g. "accounts.profile"."""
        return self.name or self.model._meta.label_lower

    def export_fields(self) -> list[str]:
        names = self.fields or tuple(f.attname for f in self.model._meta.concrete_fields)
        return [name for name in names if name not in self.exclude]


_registry: dict[type[Model], PersonalData] = {}
# Models that mention a User but hold nothing personal of theirs, with the reason.
EXEMPT: dict[str, str] = {}


def register(model: type[Model], **options) -> PersonalData:
    entry = PersonalData(model=model, **options)
    _registry[model] = entry
    return entry


def exempt(label: str, reason: str) -> None:
    EXEMPT[label.lower()] = reason


def registered() -> Iterable[PersonalData]:
    return list(_registry.values())


def entry_for(model: type[Model]) -> PersonalData | None:
    return _registry.get(model)


__all__ = ["DELETE", "DELETE_NOW", "EXEMPT", "KEEP", "PersonalData", "entry_for", "exempt", "register", "registered"]
