from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("coaching:today")
    return render(request, "home.html")


def coming_soon(request, *, title: str, lead: str, features: list[str]):
    """A section that exists in the navigation before its features land."""
    return render(request, "coming_soon.html", {"title": title, "lead": lead, "features": features})
