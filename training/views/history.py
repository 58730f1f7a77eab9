"""Pages: history (the person's sessions, filtered and searched) and one exercise with the person's
history and records for it. Ends with `urlpatterns`."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.request_info import PersonRequest
from fitjourney.dates import EARLIEST_DATE, LATEST_DATE

from ..forms import HistoryFilterForm
from ..selectors import history as selectors
from ..selectors.records import records_for_user

HISTORY_TEMPLATE = "training/history/list.html"
PAGE_SIZE = 50


@login_required
@require_GET
def history_view(request: PersonRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET)
    # A bad filter is shown beside its field (400) and left out; the valid ones still apply.
    status = 200 if form.is_valid() else 400
    filters = form.filters()
    # Two queries for the list whatever its length: the count for the pager and the page itself.
    page = Paginator(selectors.sessions_history(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sessions = list(page.object_list)
    types, exercises = selectors.history_filter_choices(user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "sessions": sessions,
        "filters": filters,
        "form": form,
        "date_min": EARLIEST_DATE.isoformat(),
        "date_max": LATEST_DATE.isoformat(),
        "types": types,
        "exercises": exercises,
        "query": query.urlencode(),
    }
    if request.htmx and request.htmx.target == "history-results":
        return render(request, f"{HISTORY_TEMPLATE}#history-results", context, status=status)
    return render(request, HISTORY_TEMPLATE, context, status=status)


@login_required
@require_GET
def exercise_detail_view(request: PersonRequest, id: UUID) -> HttpResponse:
    exercise = selectors.exercise_visible(user=request.user, exercise_id=id)
    if exercise is None:
        raise Http404("No such exercise.")
    entries = selectors.exercise_history(user=request.user, exercise=exercise)
    records = list(records_for_user(user=request.user, exercise_id=exercise.pk))
    return render(
        request,
        "training/history/exercise.html",
        {"exercise": exercise, "entries": entries, "records": records},
    )


urlpatterns = [
    path("history/", history_view, name="history"),
    path("exercises/<uuid:id>/", exercise_detail_view, name="exercise-detail"),
]
