"""One error shape for the whole API:

{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [msg for value in detail.values() for msg in _flatten(value)]
    if isinstance(detail, list):
        return [msg for value in detail for msg in _flatten(value)]
    return [str(detail)]


def _field_paths(key: str, detail) -> dict[str, list[str]]:
    """Errors of nested serializers under their path, as the services name them: "exercises[1].sets[0].rpe".
    A list field's own item errors (e.g. one bad choice in a list) stay under the field's name."""
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
    if isinstance(exc, DjangoValidationError):
        # A service refused the write: same shape as a serializer error.
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    fields: dict = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {}
        for key, value in detail.items():
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


def error_response(status_code: int, code: str, message: str, fields: dict | None = None) -> Response:
    return Response(
        {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}},
        status=status_code,
    )


__all__ = ["exception_handler", "error_response", "status"]
