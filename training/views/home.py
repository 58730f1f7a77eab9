from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_GET

from fitjourney.views import coming_soon


@login_required
@require_GET
def index(request):
    return coming_soon(
        request,
        title="Train",
        lead="Log any activity — a strength session, a run, a yoga class, an hour of painting.",
        features=[
            "Exercise library with search as you type",
            "Live workout logger with sets, supersets and a rest timer",
            "Personal records and streaks",
        ],
    )


urlpatterns = [
    path("", index, name="index"),
]
