"""Body measurements: the quick-entry page (/settings/body/) and deleting an entry. The person records
their own (recorded_by empty), in their units; the trainer's path comes later."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import BodyEntryForm
from ..models import User
from ..presenters import body_rows
from ..request_info import request_user
from ..selectors import body as selectors
from ..services import body as services

TEMPLATE = "accounts/body/page.html"
RECENT = 30


def _measured_at(day: dt.date | None, user: User) -> dt.datetime | None:
    """A past day is recorded at noon local time; today (or no date) at the moment of entry."""
    if day is None or day == timezone.localdate(timezone.now(), user.zone):
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=user.zone)


@login_required
@require_http_methods(["GET", "POST"])
def body_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    types = selectors.body_metric_types()
    units = selectors.display_units_for(user=user)
    form = BodyEntryForm(request.POST if request.method == "POST" else None, types=types, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.body_metrics_record_entry(
                    user=user,
                    values=form.values(),
                    measured_at=_measured_at(form.cleaned_data.get("measured_on"), user),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_service_errors(exc.message_dict)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Saved {len(saved)} measurement{'s' if len(saved) != 1 else ''}.")
                return redirect("accounts:body")
        status = 400
    recent = body_rows(list(selectors.body_metrics_for_user(user=user)[:RECENT]), user)
    return render(request, TEMPLATE, {"form": form, "recent": recent, "has_types": bool(types)}, status=status)


@login_required
@require_POST
def body_delete_view(request: HttpRequest, id: str) -> HttpResponse:
    metric = selectors.body_metric_get_for_user(user=request_user(request), metric_id=id)
    if metric is None:
        raise Http404("No such measurement.")
    services.body_metric_delete(metric=metric)
    messages.success(request, "Measurement deleted.")
    return redirect("accounts:body")


urlpatterns = [
    path("body/", body_view, name="body"),
    path("body/<uuid:id>/delete/", body_delete_view, name="body-delete"),
]
