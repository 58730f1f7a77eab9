"""Pages: the exercise library (search as you type, filters) and adding one's own exercise.

Ends with `urlpatterns`. The exercise detail page (`training:exercise-detail`) lives elsewhere; results
link to it when that URL name exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from accounts.request_info import PersonRequest

from ..forms import ExerciseCreateForm, LibrarySearchForm
from ..selectors import library as selectors
from ..services import library as services

LIBRARY_TEMPLATE = "training/library/library.html"
CREATE_TEMPLATE = "training/library/exercise_create.html"
RESULTS_LIMIT = 20


def _results_context(request: PersonRequest, filters: dict[str, Any]) -> dict[str, Any]:
    # One query: LIMIT + 1 rows tell whether there are more without counting them all.
    rows = list(selectors.exercises_search(user=request.user, **filters, limit=RESULTS_LIMIT + 1))
    return {
        "exercises": rows[:RESULTS_LIMIT],
        "has_more": len(rows) > RESULTS_LIMIT,
        "filters": filters,
        "searching": any(filters.values()),
    }


@login_required
@require_GET
def library(request: PersonRequest) -> HttpResponse:
    filters = LibrarySearchForm(request.GET).filters()
    context = _results_context(request, filters)
    if request.htmx and request.htmx.target == "exercise-results":
        return render(request, f"{LIBRARY_TEMPLATE}#exercise-results", context)
    context["facets"] = selectors.exercise_facets(user=request.user)
    return render(request, LIBRARY_TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_create(request: PersonRequest) -> HttpResponse:
    form = ExerciseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_create(owner=request.user, **form.service_kwargs())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Added “{exercise.name}” to your exercises.")
            return redirect(f"{reverse('training:library')}?{urlencode({'q': exercise.name})}")
    status = 400 if request.method == "POST" else 200
    return render(request, CREATE_TEMPLATE, {"form": form}, status=status)


urlpatterns = [
    path("exercises/", library, name="library"),
    path("exercises/new/", exercise_create, name="exercise-create"),
]
