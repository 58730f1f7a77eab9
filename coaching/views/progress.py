from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import Goal, GoalStatus
from ..selectors import progress as progress_selectors


def _rows(chart: dict | None) -> list[tuple]:
    """The chart's numbers as table rows (label, value per series), the text fallback of every chart."""
    if not chart:
        return []
    return list(zip(chart["labels"], *(series["values"] for series in chart["series"]), strict=True))


@login_required
@require_GET
def progress(request):
    """Charts drawn in the page (static/js/charts.js) from data given as JSON; each has a table beside it."""
    today = timezone.localdate()
    exercises = progress_selectors.progress_exercises(user=request.user)
    chosen = request.GET.get("exercise", "")
    # Only one of the person's own exercises can be charted; anything else falls back to the first.
    exercise = next((e for e in exercises if str(e[0]) == chosen), exercises[0] if exercises else None)
    one_rm = progress_selectors.progress_one_rm(user=request.user, exercise_id=exercise[0]) if exercise else None
    context = {"exercises": exercises, "exercise": exercise, "one_rm": one_rm, "one_rm_rows": _rows(one_rm)}
    if request.htmx and request.htmx.target == "one-rm":
        return render(request, "coaching/progress.html#one-rm", context)
    volume, minutes = progress_selectors.progress_weekly(user=request.user, today=today)
    weight = progress_selectors.progress_weight(user=request.user, today=today)
    context.update(
        weight=weight,
        weight_rows=_rows(weight),
        volume=volume,
        volume_rows=_rows(volume),
        minutes=minutes,
        minutes_rows=_rows(minutes),
    )
    return render(request, "coaching/progress.html", context)


@login_required
@require_GET
def coach(request):
    goals = Goal.objects.filter(user=request.user, status=GoalStatus.ACTIVE).order_by("priority", "role")
    return render(request, "coaching/coach.html", {"goals": goals})


urlpatterns = [
    path("progress/", progress, name="progress"),
    path("coach/", coach, name="coach"),
]
