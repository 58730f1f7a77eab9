"""Forms of the journal pages: validation only; the writes are coaching.services.journal's."""

from __future__ import annotations

from typing import Any

from django import forms

from ..models import JournalEntry, JournalMood
from ..services.journal import ENTRY_FIELDS
from .base import DATE

LEVEL_1_10 = [("", "—"), *((n, str(n)) for n in range(1, 11))]


class JournalEntryForm(forms.Form):
    """A journal entry's fields, exactly the service's (coaching.services.journal.ENTRY_FIELDS)."""

    field_order = ENTRY_FIELDS
    title = forms.CharField(required=False, max_length=200)
    content = forms.CharField(
        label="How was the day?", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    mood = forms.ChoiceField(choices=[("", "—"), *JournalMood.choices], required=False)
    energy_level = forms.TypedChoiceField(
        label="Energy (1–10)", choices=LEVEL_1_10, coerce=int, required=False, empty_value=None
    )
    stress_level = forms.TypedChoiceField(
        label="Stress (1–10)", choices=LEVEL_1_10, coerce=int, required=False, empty_value=None
    )
    tags = forms.CharField(
        required=False, max_length=1000, help_text="Comma-separated, e.g. training, sleep, work (up to 20)."
    )

    @classmethod
    def initial_from_entry(cls, entry: JournalEntry) -> dict[str, Any]:
        return {**{name: getattr(entry, name) for name in ENTRY_FIELDS}, "tags": ", ".join(entry.tags)}


class JournalFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    tag = forms.CharField(required=False, max_length=40)
    date_from = forms.DateField(label="From", required=False, widget=DATE)
    date_to = forms.DateField(label="To", required=False, widget=DATE)
