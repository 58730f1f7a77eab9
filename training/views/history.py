"""Pages: history (the person's sessions, filtered and searched) and one exercise with the person's
history and records for it. Ends with `urlpatterns`."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET

from ..selectors import history as selectors
from ..selectors.records import records_for_user
from ..services.records import format_record_value

HISTORY_TEMPLATE = "training/history/list.html"
PAGE_SIZE = 50


def session_url(session_id) -> str:
    """The session page is built elsewhere; use its name when it exists, the agreed path otherwise."""
    try:
        return reverse("training:session-detail", args=[session_id])
    except NoReverseMatch:
        return f"/train/sessions/{session_id}/"


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _filters(params) -> selectors.HistoryFilters:
    return selectors.HistoryFilters(
        date_from=_date(params.get("from", "")),
        date_to=_date(params.get("to", "")),
        activity_type_id=_uuid(params.get("type", "")),
        exercise_id=_uuid(params.get("exercise", "")),
        q=params.get("q", "")[:200],
    )


@login_required
@require_GET
def history_view(request):
    filters = _filters(request.GET)
    # Two queries for the list whatever its length: the count for the pager and the page itself.
    page = Paginator(selectors.sessions_history(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sessions = list(page.object_list)
    for session in sessions:
        session.url = session_url(session.pk)
    types, exercises = selectors.history_filter_choices(user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "sessions": sessions,
        "filters": filters,
        "types": types,
        "exercises": exercises,
        "query": query.urlencode(),
    }
    if request.htmx and request.htmx.target == "history-results":
        return render(request, f"{HISTORY_TEMPLATE}#history-results", context)
    return render(request, HISTORY_TEMPLATE, context)


@login_required
@require_GET
def exercise_detail_view(request, id):
    exercise = selectors.exercise_visible(user=request.user, exercise_id=id)
    if exercise is None:
        raise Http404("No such exercise.")
    entries = selectors.exercise_history(user=request.user, exercise=exercise)
    for entry in entries:
        entry.session_url = session_url(entry.session_id)
    records = list(records_for_user(user=request.user, exercise_id=exercise.pk))
    for record in records:
        record.display = format_record_value(record.record_type, record.value)
        record.previous_display = (
            format_record_value(record.record_type, record.previous_value) if record.previous_value is not None else ""
        )
        record.session_url = session_url(record.session_id)
    return render(
        request,
        "training/history/exercise.html",
        {"exercise": exercise, "entries": entries, "records": records},
    )


urlpatterns = [
    path("history/", history_view, name="history"),
    path("exercises/<uuid:id>/", exercise_detail_view, name="exercise-detail"),
]
