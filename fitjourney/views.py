from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from . import outages
from .api.errors import UNAVAILABLE_MESSAGE, is_api_request, json_error, too_large_message, unavailable_headers


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("coaching:today")
    return render(request, "home.html")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without an icon link (the admin's): the logo."""
    return redirect(static("img/logo.svg"), permanent=True)


def coming_soon(request, *, title: str, lead: str, features: list[str]):
    """A section that exists in the navigation before its features land."""
    return render(request, "coming_soon.html", {"title": title, "lead": lead, "features": features})


# ---------------------------------------------------------------------------------------------------
# Errors (handler400/403/404/500 in fitjourney/urls.py): the API's JSON format under /api/, pages
# elsewhere. The 400, 500 and 503 pages render without the request, so without context processors,
# the person or the database: they must work when those are what failed.


def _plain_page(template_name: str, status: int, headers: dict | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string(template_name), status=status, headers=headers)


def service_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """A database or broker outage: 503 with Retry-After, JSON under /api/, the 503 page elsewhere."""
    outages.report_outage(outages.outage_kind(exc) or "service", exc, request.path)
    headers = unavailable_headers()
    if is_api_request(request):
        return json_error(503, "unavailable", UNAVAILABLE_MESSAGE, headers=headers)
    return _plain_page("503.html", 503, headers)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    too_large = isinstance(exception, RequestDataTooBig)
    if is_api_request(request):
        if too_large:
            return json_error(413, "too_large", too_large_message())
        return json_error(400, "bad_request", "The request could not be read.")
    return _plain_page("400.html", 413 if too_large else 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return json_error(403, "permission_denied", "You do not have permission to perform this action.")
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        # Also an id that is not a UUID: the URL patterns only match UUIDs, so it can name nothing.
        return json_error(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, which sys.exc_info() still holds: an outage that
    # surfaced in a middleware (outside any view) is told apart from a bug here.
    exc = sys.exc_info()[1]
    if exc is not None and outages.outage_kind(exc) is not None:
        return service_unavailable(request, exc)
    if is_api_request(request):
        return json_error(500, "server_error", "Something went wrong on our side. It has been logged.")
    return _plain_page("500.html", 500)
