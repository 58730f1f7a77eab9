"""Writes of the journal: one entry per person per local date (a second save of the day updates it).

Tags are normalised on the way in: trimmed, lower-case, inner spaces collapsed, a leading "#" dropped,
duplicates removed (first spelling wins), at most 20 of at most 40 characters each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from fitjourney.dates import check_entry_date
from fitjourney.errors import NotFound
from fitjourney.hooks.changes import days_changed_announce

from ..models import JournalEntry, JournalMood

SOURCE = "coaching.journal"
ENTRY_FIELDS = ("title", "content", "mood", "energy_level", "stress_level", "tags")
MAX_TAGS = 20
MAX_TAG_LENGTH = 40


def journal_tags_normalise(tags: Any) -> list[str]:
    """["Training", " legs ", "#training"] or "Training, legs" -> ["training", "legs"]; raises
    ValidationError({"tags": …}) when there are more than 20 or one is longer than 40 characters."""
    if tags in (None, ""):
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list | tuple):
        raise ValidationError({"tags": ["Give the tags as a list of words."]})
    normalised: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValidationError({"tags": ["Each tag is a word or a few."]})
        tag = " ".join(tag.replace("\x00", "").split()).lstrip("#").strip().lower()
        if not tag or tag in normalised:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError({"tags": [f"Keep each tag to {MAX_TAG_LENGTH} characters (“{tag[:20]}…”)."]})
        normalised.append(tag)
    if len(normalised) > MAX_TAGS:
        raise ValidationError({"tags": [f"Use at most {MAX_TAGS} tags."]})
    return normalised


def _level(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError({field: ["Choose 1 to 10."]})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: ["Choose 1 to 10."]}) from None
    if number != value and str(number) != str(value).strip():
        raise ValidationError({field: ["Choose 1 to 10."]})
    if not 1 <= number <= 10:
        raise ValidationError({field: ["Choose 1 to 10."]})
    return number


def _lock_day(user: User, entry_date: dt.date) -> None:
    """The one-per-day rule is a partial unique index (deleted entries free their day), so a get-or-create
    of the day's entry serialises on a transaction-scoped advisory lock for (person, date): two saves of
    the same day (two tabs, the API and the page) run one after the other and the second updates."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"coaching.journal:{user.pk}:{entry_date}"])


@transaction.atomic
def journal_entry_save(*, user: User, entry_date: dt.date, **fields: Any) -> JournalEntry:
    """Creates the day's entry or updates it. Only the fields given change (a new entry starts blank).
    The returned entry's `was_created` says whether it was new."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), ["Unknown field."]))
    if not isinstance(entry_date, dt.date):
        try:
            entry_date = dt.date.fromisoformat(str(entry_date))
        except ValueError:
            raise ValidationError({"entry_date": ["Enter a date as YYYY-MM-DD."]}) from None
    if entry_date > user.local_today():
        raise ValidationError({"entry_date": ["You cannot write about a day that has not come yet."]})
    check_entry_date(entry_date, zone=user.zone, field="entry_date")
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        try:
            if name == "tags":
                values[name] = journal_tags_normalise(value)
            elif name in ("energy_level", "stress_level"):
                values[name] = _level(value, name)
            elif name == "mood":
                value = value or ""
                if value not in (*JournalMood.values, ""):
                    raise ValidationError({name: ["Choose a mood from the list."]})
                values[name] = value
            else:
                values[name] = (value or "").replace("\x00", "").strip()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    _lock_day(user, entry_date)
    found = JournalEntry.objects.filter(user=user, entry_date=entry_date).first()
    created = found is None
    entry = JournalEntry(user=user, entry_date=entry_date) if found is None else found
    for name, value in values.items():
        setattr(entry, name, value)
    if not (entry.title or entry.content or entry.mood):
        raise ValidationError({"content": ["Write something, or choose a mood."]})
    try:
        entry.full_clean(exclude=["user", "search_vector"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    entry.save(force_insert=created)
    days_changed_announce(user_id=user.pk, dates=[entry_date], source=SOURCE)
    entry.was_created = created
    return entry


@transaction.atomic
def journal_entry_delete(*, user: User, entry: JournalEntry) -> None:
    """Soft delete: the entry is gone from every page and its day is free for a new one."""
    if entry.user_id != user.pk or entry.deleted_at is not None:
        raise NotFound("Journal entry not found.")
    entry.deleted_at = timezone.now()
    entry.save(update_fields=["deleted_at", "updated_at"])
    days_changed_announce(user_id=user.pk, dates=[entry.entry_date], source=SOURCE)


__all__ = ["ENTRY_FIELDS", "journal_entry_delete", "journal_entry_save", "journal_tags_normalise"]
