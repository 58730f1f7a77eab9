"""Reads of the journal: the person's entries with filters and search, and their tags with counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple
from uuid import UUID

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet, Value

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import JournalEntry

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
# Words for prefix matching: letters and digits only, so nothing typed can break the tsquery syntax.
WORD = re.compile(r"[^\W_]+")


def journal_entries_for_user(*, user: User) -> QuerySet[JournalEntry]:
    """The person's entries (deleted ones hidden), newest first (index coaching_journal_user_date).
    The list never needs the stored search vector."""
    return JournalEntry.objects.filter(user=user).defer("search_vector").order_by("-entry_date")


def journal_entry_get_for_user(*, user: User, entry_id: UUID) -> JournalEntry:
    entry = journal_entries_for_user(user=user).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("Journal entry not found.")
    return entry


def journal_entry_for_day(*, user: User, day: dt.date) -> JournalEntry | None:
    return journal_entries_for_user(user=user).filter(entry_date=day).first()


def _prefix_query(text: str) -> SearchQuery | None:
    """Every word as a prefix ("medit" finds "meditation"), all of them required."""
    words = WORD.findall(text.lower())[:10]
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)


def journal_search(
    *,
    user: User,
    tag: str | None = None,
    q: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[JournalEntry]:
    """The person's entries filtered by tag (array containment, GIN index coaching_journal_tags), by
    dates, and by text.

    Text uses the generated search vector (GIN index coaching_journal_search) with web-search syntax
    ("legs -run", quoted phrases, "or"), ranked; partial words match too: each word as a prefix
    ("medit" finds "meditation"), and, since stemming turns "training" into "train" and a prefix like
    "traini" then finds nothing, a plain substring match on the title and text as the last resort
    (the person's own entries only, so the scan is small). Ranked best first, then newest first.
    """
    entries = journal_entries_for_user(user=user)
    if tag:
        entries = entries.filter(tags__contains=[tag.strip().lower()])
    if date_from is not None:
        entries = entries.filter(entry_date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(entry_date__lte=date_to)
    q = (q or "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if not q:
        return entries
    web = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    matches = Q(search_vector=web)
    prefix = _prefix_query(q)
    if prefix is not None:
        matches |= Q(search_vector=prefix)
    words = WORD.findall(q)[:10]
    if words:
        substring = Q()
        for word in words:
            substring &= Q(title__icontains=word) | Q(content__icontains=word)
        matches |= substring
    rank = SearchRank(F("search_vector"), web) + (SearchRank(F("search_vector"), prefix) if prefix else Value(0.0))
    return entries.filter(matches).annotate(rank=rank).order_by("-rank", "-entry_date")


class TagCount(NamedTuple):
    tag: str
    entries: int  # how many entries carry it


def journal_tags_for_user(*, user: User, limit: int = 50) -> list[TagCount]:
    """The person's tags with how many entries carry each, most used first. One query."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tag, count(*) AS n
            FROM coaching_journalentry, unnest(tags) AS tag
            WHERE user_id = %s AND deleted_at IS NULL
            GROUP BY tag
            ORDER BY n DESC, tag
            LIMIT %s
            """,
            [user.pk, limit],
        )
        return [TagCount(tag, n) for tag, n in cursor.fetchall()]


__all__ = [
    "TagCount",
    "journal_entries_for_user",
    "journal_entry_for_day",
    "journal_entry_get_for_user",
    "journal_search",
    "journal_tags_for_user",
]
