"""Page: the weekly review (/review/?week=<any day of the week>), charts and totals from the stored
daily and weekly summaries, in the person's units (coaching.presenters). Charts are drawn by
static/js/charts.js from JSON in the page, each with a table beside it. Ends with `urlpatterns`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.request_info import PersonRequest

from .. import presenters
from ..goal_display import goal_card_rows
from ..selectors import today as selectors


@login_required
@require_GET
def review_view(request: PersonRequest) -> HttpResponse:
    today = timezone.localdate()
    day = presenters.week_from_query(request.GET.get("week", ""), today=today)
    if day is None:
        raise Http404("No such week.")
    review = selectors.review_week(user=request.user, day=day)
    charts = presenters.review_charts(review, request.user)
    this_monday = selectors.week_of(today)[0]
    next_monday = review.week_start + dt.timedelta(weeks=1)
    context = {
        "review": review,
        "is_current": review.week_start == this_monday,
        "previous_week": review.week_start - dt.timedelta(weeks=1),
        "next_week": next_monday if next_monday <= this_monday else None,
        "totals": presenters.review_totals(review.this_week, request.user),
        "goal_card": goal_card_rows(request.user),
        **charts,
        **{f"{name}_rows": presenters.chart_rows(chart) for name, chart in charts.items()},
    }
    return render(request, "coaching/review.html", context)


urlpatterns = [
    path("review/", review_view, name="review"),
]
