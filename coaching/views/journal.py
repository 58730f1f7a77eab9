"""Pages of the journal: the entries newest first with tag and text filters (/journal/), and one day's
entry to write, edit or delete (/journal/YYYY-MM-DD/). One entry per day: saving a day that has one
updates it. Only the person's own entries exist here. Ends with `urlpatterns`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.request_info import PersonRequest
from fitjourney.dates import date_from_path

from ..forms import JournalEntryForm, JournalFilterForm, errors_to_form
from ..models import JournalEntry
from ..selectors import journal as selectors
from ..services import journal as services

LIST_PAGE = "coaching/journal.html"
DAY_PAGE = "coaching/journal_day.html"
PER_PAGE = 20


def _parse_day(day: str) -> dt.date:
    date = date_from_path(day)
    if date is None:
        raise Http404("Not a date.")
    return date


@login_required
@require_GET
def journal_view(request: PersonRequest) -> HttpResponse:
    """Five queries at most (session, person, count, page, tags), whatever the number of entries."""
    filters = JournalFilterForm(request.GET)
    filters.is_valid()  # a bad field is shown with its error; the valid ones still filter
    data = filters.cleaned_data
    entries = selectors.journal_search(
        user=request.user,
        tag=data.get("tag") or None,
        q=data.get("q") or None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "entries": list(page),
        "tags": selectors.journal_tags_for_user(user=request.user),
        "active_tag": data.get("tag") or "",
        "filtered": any(data.get(name) for name in ("tag", "q", "date_from", "date_to")),
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    return render(request, LIST_PAGE, context)


def _day_page(
    request: PersonRequest, day: dt.date, entry: JournalEntry | None, form: JournalEntryForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "day": day,
        "entry": entry,
        "form": form,
        "today": today,
        "is_future": day > today,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1) if day < today else None,
    }
    return render(request, DAY_PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def journal_day(request: PersonRequest, day: str) -> HttpResponseBase:
    date = _parse_day(day)
    entry = selectors.journal_entry_for_day(user=request.user, day=date)
    if request.method == "GET":
        initial = JournalEntryForm.initial_from_entry(entry) if entry is not None else {}
        return _day_page(request, date, entry, JournalEntryForm(initial=initial))
    form = JournalEntryForm(request.POST)
    if form.is_valid():
        try:
            services.journal_entry_save(user=request.user, entry_date=date, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Your entry for {date:%A %-d %B} is saved.")
            return redirect("coaching:journal-day", day=date.isoformat())
    return _day_page(request, date, entry, form, status=400)


@login_required
@require_POST
def journal_delete(request: PersonRequest, day: str) -> HttpResponseBase:
    date = _parse_day(day)
    entry = selectors.journal_entry_for_day(user=request.user, day=date)
    if entry is None:
        raise Http404("No entry that day.")
    services.journal_entry_delete(user=request.user, entry=entry)
    messages.success(request, f"Your entry for {date:%A %-d %B} is deleted.")
    return redirect("coaching:journal")


urlpatterns = [
    path("journal/", journal_view, name="journal"),
    path("journal/<str:day>/", journal_day, name="journal-day"),
    path("journal/<str:day>/delete/", journal_delete, name="journal-delete"),
]
