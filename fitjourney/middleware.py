"""Guards every request passes: outages answer 503, the API answers in its own format, and a service's
domain errors become the 404/403 pages.

Where each sits in MIDDLEWARE matters (fitjourney/settings/base.py):

- `ApiResponseMiddleware` near the top, so its response phase sees what every inner middleware and
  Django's error handling produced.
- `OutageMiddleware` right after AuthenticationMiddleware: it loads the session and the person before any
  later middleware touches them, so a database outage is answered here. Exceptions raised inside a
  middleware never reach `process_exception` (Django turns them into a 500 on the spot, its debug page
  when DEBUG is on), so waiting for the view would be too late.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from . import outages
from .api.errors import is_api_request, json_error
from .errors import NotAllowed, NotFound
from .views import service_unavailable

# Public documents under /api/ that are the same for everybody, and may be cached.
PUBLIC_API_VIEWS = frozenset({"api:schema", "api:docs"})
# Headers an error keeps when it is rewritten in the error format.
KEPT_HEADERS = ("Retry-After", "Allow", "WWW-Authenticate")


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type == "application/json" or content_type.endswith("+json")


class ApiResponseMiddleware:
    """Under /api/: no shared cache keeps a response (they are personal, or carry a new token), and an
    error that reaches here as HTML (Django's debug pages when DEBUG is on, anything a third-party
    middleware answered) leaves in the error format with its status kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        if response.status_code >= 400 and not _is_json(response):
            response = self._in_error_format(response)
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in PUBLIC_API_VIEWS:
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _in_error_format(response: HttpResponse) -> HttpResponse:
        status = response.status_code
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        data = getattr(response, "data", None)
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            # A DRF view that renders HTML (the API docs) answered an error: the body is already ours.
            error = data["error"]
            code, message = error.get("code", "error"), error.get("message", "")
            return json_error(status, code, message, fields=error.get("fields"), headers=headers)
        try:
            phrase = HTTPStatus(status).phrase
            code = phrase.lower().replace(" ", "_").replace("-", "_")
        except ValueError:
            phrase, code = "Error", "error"
        return json_error(status, code, f"{phrase}.", headers=headers)


class OutageMiddleware:
    """A database or broker outage met by the session, the person or a view is a 503 (JSON under /api/,
    the 503 page elsewhere) with Retry-After, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            # The session and the person, now: the first query of a signed-in request.
            request.user.is_authenticated  # noqa: B018
        except outages.DATABASE_ERRORS as exc:
            return service_unavailable(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if outages.outage_kind(exception) is None:
            return None
        return service_unavailable(request, exception)


class DomainErrorMiddleware:
    """A service's NotFound or NotAllowed (fitjourney.errors) raised in a page's view is the 404 or 403
    page, as Http404 and PermissionDenied would be (the API maps them in its exception handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404(str(exception)))
        if isinstance(exception, NotAllowed):
            return response_for_exception(request, PermissionDenied(str(exception)))
        return None
