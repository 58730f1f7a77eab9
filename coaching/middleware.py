"""Until a person has completed the intake, the app's pages lead to it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

# Reachable before the intake: signing in and out, account settings and privacy (export and erasure must
# never be blocked), the admin, the API (third parties keep working), files, and the intake itself.
OPEN_PREFIXES = ("/intake/", "/accounts/", "/settings/", "/admin/", "/api/", "/healthz", "/__debug__/")


class IntakeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.open_prefixes = (*OPEN_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.intake_completed_at is None
            and not request.path.startswith(self.open_prefixes)
        ):
            url = reverse("coaching:intake")
            # django-htmx's own reading of the request (its middleware runs after this one): an htmx request
            # is sent on with HX-Redirect, a page with a plain redirect.
            if HtmxDetails(request):
                return HttpResponseClientRedirect(url)
            return redirect(url)
        return self.get_response(request)
