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
        title="Eat",
        lead="Log what you eat in seconds and see your day against targets that fit you.",
        features=[
            "8,789 foods with household portions",
            "Meal diary with day and meal totals",
            "Meal plan, dietary preferences and hydration",
        ],
    )


urlpatterns = [
    path("", index, name="index"),
]
