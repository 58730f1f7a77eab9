"""Until a person has completed the intake, the app's pages lead to it."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

# Reachable before the intake: signing in and out, account settings and privacy (export and erasure must
# never be blocked), the admin, the API (third parties keep working), files, and the intake itself.
OPEN_PREFIXES = ("/intake/", "/accounts/", "/settings/", "/admin/", "/api/", "/healthz", "/__debug__/")


class IntakeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = (*OPEN_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.intake_completed_at is None
            and not request.path.startswith(self.open_prefixes)
        ):
            url = reverse("coaching:intake")
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)
