"""Pages: the Train page — start a session (blank by type, from a template, repeating a recent one) or
resume the one in progress. Ends with `urlpatterns`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.request_info import PersonRequest

from .. import presenters
from ..selectors import enrollments as enrollment_selectors
from ..selectors import records as records_selectors
from ..selectors import sessions as selectors


def program_workout(user: User, *, limit: int = 0) -> dict[str, Any] | None:
    """Today's workout of the person's current program, for the card Train and Today share
    (training/enrollments/workout_card.html): one query without a program, three with one."""
    workout = enrollment_selectors.todays_workout(user)
    if workout is None:
        return None
    return {"workout": workout, "targets": presenters.target_rows(workout.targets, user), "limit": limit}


@login_required
@require_GET
def index(request: PersonRequest) -> HttpResponse:
    user = request.user
    types = selectors.activity_types(user=user)
    context = {
        "in_progress": selectors.session_in_progress(user=user),
        "activity_types": [t for t in types if t.is_public],
        "own_types": [t for t in types if not t.is_public],
        "templates": selectors.templates_for_user(user=user),
        "recent": selectors.sessions_recent(user=user, limit=5),
        "streaks": records_selectors.streaks_for_user(user=user),
        "program_workout": program_workout(user),
    }
    return render(request, "training/home.html", context)


urlpatterns = [
    path("", index, name="index"),
]
