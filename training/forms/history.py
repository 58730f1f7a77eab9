"""The history page's filters: validation only; the selector (training.selectors.history) filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fitjourney.dates import parse_query_date

from ..selectors.history import HistoryFilters


class QueryDateField(forms.Field):
    """A YYYY-MM-DD filter held to the one range every date shares (fitjourney.dates)."""

    def to_python(self, value: Any) -> dt.date | None:
        text = "" if value in self.empty_values else str(value).strip()
        if not text:
            return None
        try:
            return parse_query_date(text, field="date")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["date"]) from None


class HistoryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    to = QueryDateField(label="To", required=False)
    type = forms.UUIDField(label="Activity", required=False, error_messages={"invalid": "Choose an activity."})
    exercise = forms.UUIDField(label="Exercise", required=False, error_messages={"invalid": "Choose an exercise."})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        self.fields = {"from": QueryDateField(label="From", required=False), **self.fields}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("from", "Choose a first day on or before the last day.")
        return data

    def filters(self) -> HistoryFilters:
        """The valid filters (an invalid one is left out and shown as an error on the page)."""
        data = getattr(self, "cleaned_data", {})
        return HistoryFilters(
            date_from=data.get("from"),
            date_to=data.get("to"),
            activity_type_id=data.get("type"),
            exercise_id=data.get("exercise"),
            q=data.get("q") or "",
        )
