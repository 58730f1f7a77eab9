"""Page: the Coach hub (/coach/), the person's active goals and the ways into habits, journal and check-ins.
Ends with `urlpatterns`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from accounts.request_info import PersonRequest

from ..selectors.goals import goals_active_for


@login_required
@require_GET
def coach(request: PersonRequest) -> HttpResponse:
    return render(request, "coaching/coach.html", {"goals": goals_active_for(user=request.user)[:5]})


urlpatterns = [
    path("coach/", coach, name="coach"),
]
