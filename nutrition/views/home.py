"""Pages: Eat, which is today's diary (in the person's time zone). Ends with `urlpatterns`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET

from fitjourney.dates import date_from_path

from .diary import day_page, day_url


@login_required
@require_GET
def index(request):
    """Today's diary; `?date=YYYY-MM-DD` (the date picker, which works without JavaScript) goes to that day."""
    if request.GET.get("date"):
        day = date_from_path(request.GET["date"])
        if day is not None:
            return redirect(day_url(day))
    return day_page(request, request.user.local_today())


urlpatterns = [
    path("", index, name="index"),
]
