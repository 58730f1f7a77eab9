from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from fitjourney.views import coming_soon


@login_required
@require_GET
def index(request):
    return coming_soon(
        request,
        title="Community",
        lead="Share sessions and achievements with the people you train with.",
        features=["Follow friends and trainers", "Posts, likes and threaded comments", "Achievements and badges"],
    )
