"""Lifestyle check-ins (/checkins/): record energy, stress and sleep now, and see them over time with a
chart and a table. The data lives in accounts (seed 003 lifestyle_baselines) because the intake, the
profile and coaching all read it. Ends with `urlpatterns`.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from accounts.request_info import PersonRequest
from accounts.selectors import lifestyle as selectors
from accounts.services import lifestyle as services

from ..forms import CheckinForm, errors_to_form
from ..presenters import chart_rows

PAGE = "coaching/checkins.html"
HISTORY = 50


def _page(request: PersonRequest, form: CheckinForm | None = None, status: int = 200) -> HttpResponse:
    """Two queries for the data: the last 30 days (chart) and the latest check-ins (table). A new form
    starts from the latest energy and stress."""
    zone = request.user.zone
    history = list(selectors.lifestyle_checkins_for_user(user=request.user)[:HISTORY])
    if form is None:
        latest = history[0] if history else None
        form = CheckinForm(
            initial={"energy_level": latest.energy_level, "stress_level": latest.stress_level} if latest else {}
        )
    trend = selectors.lifestyle_trend(user=request.user)
    sleep = trend.chart(zone)
    levels = trend.levels_chart(zone)
    context = {
        "form": form,
        "trend": trend,
        "sleep_chart": sleep,
        "sleep_rows": chart_rows(sleep),
        "levels_chart": levels,
        "levels_rows": chart_rows(levels),
        "history": history,
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checkins_view(request: PersonRequest) -> HttpResponseBase:
    if request.method == "GET":
        return _page(request)
    form = CheckinForm(request.POST)
    if form.is_valid():
        try:
            services.lifestyle_checkin_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Your check-in is saved.")
            return redirect("coaching:checkins")
    return _page(request, form, status=400)


@login_required
@require_POST
def checkin_delete(request: PersonRequest, checkin_id: UUID) -> HttpResponseBase:
    checkin = selectors.lifestyle_checkin_get_for_user(user=request.user, checkin_id=checkin_id)
    services.lifestyle_checkin_delete(user=request.user, checkin=checkin)
    messages.success(request, "The check-in is deleted.")
    return redirect("coaching:checkins")


urlpatterns = [
    path("checkins/", checkins_view, name="checkins"),
    path("checkins/<uuid:checkin_id>/delete/", checkin_delete, name="checkin-delete"),
]
