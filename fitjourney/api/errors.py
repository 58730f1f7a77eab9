"""One error shape for the whole API:

{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}

Every response under /api/ that is an error has it: DRF's views through `exception_handler`, everything
else (an unknown path, a body Django refuses, a 500, an outage in a middleware) through the project's
error views (fitjourney.views) and fitjourney.middleware.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from fitjourney import outages
from fitjourney.errors import NotAllowed, NotFound

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_body(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def json_error(
    status_code: int, code: str, message: str, *, fields: dict | None = None, headers: dict | None = None
) -> JsonResponse:
    """The error shape outside DRF's views (Django's error handlers and middleware)."""
    return JsonResponse(
        error_body(status_code, code, message, fields),
        status=status_code,
        headers=headers,
        json_dumps_params={"separators": (",", ":")},  # as DRF's renderer writes it
    )


def too_large_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"The request body is too large: at most {limit / (1024 * 1024):.1f} MB (files sent as multipart excepted)."


UNAVAILABLE_MESSAGE = "The service is briefly unavailable. Try again in a few seconds."


def unavailable_headers() -> dict[str, str]:
    return {"Retry-After": str(outages.RETRY_AFTER_SECONDS)}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [msg for value in detail.values() for msg in _flatten(value)]
    if isinstance(detail, list):
        return [msg for value in detail for msg in _flatten(value)]
    return [str(detail)]


def _field_paths(key: str, detail: Any) -> dict[str, list[str]]:
    """Errors of nested serializers under their path, as the services name them: "exercises[1].sets[0].rpe".
    A list field's own item errors (e.g. one bad choice in a list) stay under the field's name."""
    items: Iterable[tuple[str | int, Any]]
    if isinstance(detail, dict):
        items = detail.items()
    elif isinstance(detail, list) and any(isinstance(item, dict) for item in detail):
        items = ((index, item) for index, item in enumerate(detail) if item)
    else:
        return {key: _flatten(detail)}
    paths: dict[str, list[str]] = {}
    for name, value in items:
        if isinstance(name, int):
            path = f"{key}[{name}]" if isinstance(value, dict) else key
        else:
            path = key if name == "non_field_errors" else f"{key}.{name}"
        for p, messages in _field_paths(path, value).items():
            paths.setdefault(p, []).extend(messages)
    return paths


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when DRF reads it.
        return error_response(413, "too_large", too_large_message())
    if isinstance(exc, SuspiciousOperation):
        return error_response(400, "bad_request", "The request could not be read.")
    kind = outages.outage_kind(exc)
    if kind is not None:
        outages.report_outage(kind, exc, context["request"].path)
        return error_response(503, "unavailable", UNAVAILABLE_MESSAGE, headers=unavailable_headers())
    if isinstance(exc, DjangoValidationError):
        # A service refused the write: same shape as a serializer error.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404 | NotFound):
        exc = exceptions.NotFound()
    elif isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    fields: dict[str, list[str]] = {}
    if isinstance(exc, exceptions.ValidationError):
        invalid = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        for key, value in invalid.items():
            fields.update(_field_paths(key, value))
        message = "Some fields are not valid." if fields else "The request is not valid."
        code = "invalid"
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        message = " ".join(_flatten(detail))
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = {"error": {"status": response.status_code, "code": code, "message": message, "fields": fields}}
    return response


def error_response(
    status_code: int, code: str, message: str, fields: dict | None = None, *, headers: dict | None = None
) -> Response:
    return Response(error_body(status_code, code, message, fields), status=status_code, headers=headers)


__all__ = [
    "API_PREFIX",
    "error_body",
    "error_response",
    "exception_handler",
    "is_api_request",
    "json_error",
    "status",
]
