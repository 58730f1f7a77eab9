"""Today and the weekly review (issue 6: being built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET


@login_required
@require_GET
def today(request):
    # The person's time zone is active (accounts middleware), so this is their calendar date.
    return render(request, "coaching/today.html", {"today": timezone.localdate()})


urlpatterns = [
    path("today/", today, name="today"),
]
