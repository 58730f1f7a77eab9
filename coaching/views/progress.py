"""Page: Progress (/progress/), the weight trend, weekly volume and active minutes, and the estimated 1RM of
one exercise, in the person's units. Charts are drawn in the page (static/js/charts.js) from data given as
JSON; each has a table beside it. Ends with `urlpatterns`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.request_info import PersonRequest

from .. import presenters
from ..selectors import progress as selectors


@login_required
@require_GET
def progress(request: PersonRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    exercises = selectors.progress_exercises(user=user)
    chosen = request.GET.get("exercise", "")
    # Only one of the person's own exercises can be charted; anything else falls back to the first.
    exercise = next((e for e in exercises if str(e[0]) == chosen), exercises[0] if exercises else None)
    one_rm = None
    if exercise is not None:
        one_rm = presenters.progress_one_rm_chart(selectors.progress_one_rm(user=user, exercise_id=exercise[0]), user)
    context = {
        "exercises": exercises,
        "exercise": exercise,
        "one_rm": one_rm,
        "one_rm_rows": presenters.chart_rows(one_rm),
    }
    if request.htmx and request.htmx.target == "one-rm":
        return render(request, "coaching/progress.html#one-rm", context)
    volume, minutes = presenters.progress_weekly_charts(selectors.progress_weekly(user=user, today=today), user)
    weight = presenters.progress_weight_chart(selectors.progress_weight(user=user, today=today), user)
    context.update(
        weight=weight,
        weight_rows=presenters.chart_rows(weight),
        volume=volume,
        volume_rows=presenters.chart_rows(volume),
        minutes=minutes,
        minutes_rows=presenters.chart_rows(minutes),
    )
    return render(request, "coaching/progress.html", context)


urlpatterns = [
    path("progress/", progress, name="progress"),
]
