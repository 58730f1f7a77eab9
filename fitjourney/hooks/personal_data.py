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

accounts registers its own models in accounts/personal_data.py, like every app. A test fails when a model
with a foreign key to User is in no registration (or in EXEMPT with a reason).

How the registry is used (accounts/services/privacy.py):

- Export (right of access): for every entry, the rows `entry.model._base_manager.filter(**{owner: user.pk})`
  (the base manager, because a default manager may hide rows that are still held) become `<kind>.json`
  (the `export_fields()`, dates in ISO 8601), `<kind>.csv` when `csv=True`, and the files named in
  `files` go under `media/` in the zip.
- Erasure (right to be forgotten), in one transaction: DELETE_NOW rows are deleted (with their stored
  files), dotted erasers run, then the User is anonymised (seed 003: e-mail
  `deleted_<id>@anonymized.local`, names blank, unusable password, `account_status="deleted"`,
  `deleted_at` set). After 90 days the purge deletes the User, and the database cascades take the rest.

Hidden from others — what every app must do for rows registered DELETE (or KEEP):
between the erasure and the purge those rows still exist, pointing at a deleted User. Nothing hides them
automatically: every query that shows one person's content to somebody else (feeds, comments, likes,
leaderboards, a trainer's client list, search, API lists) must exclude deleted owners, e.g.
`Post.objects.filter(author__deleted_at__isnull=True)` or `author__in=User.objects.all()` (the default
User manager hides deleted accounts). The person's own pages need nothing: an erased person cannot log in.
Content that must stay readable for others (a comment in someone else's thread) registers a dotted
eraser that blanks its personal parts now instead.
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
