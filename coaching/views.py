from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from fitjourney.views import coming_soon


@login_required
@require_GET
def today(request):
    # The person's time zone is active (accounts middleware), so this is their calendar date.
    return render(request, "coaching/today.html", {"today": timezone.localdate()})


@login_required
@require_GET
def progress(request):
    return coming_soon(
        request,
        title="Progress",
        lead="Charts of your training, body and habits over time.",
        features=["Weekly review with charts", "Weight and measurements", "Records and streaks"],
    )


@login_required
@require_GET
def coach(request):
    return coming_soon(
        request,
        title="Coach",
        lead="Your intake, goals, habits and the people who coach you.",
        features=["Goals with milestones", "Habits with daily check-ins", "Bookings with your trainer"],
    )
