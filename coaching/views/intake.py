"""The intake (issue 6: being built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path


@login_required
def intake(request):
    return render(request, "coming_soon.html", {"title": "Intake", "lead": "", "features": []})


urlpatterns = [
    path("intake/", intake, name="intake"),
]
