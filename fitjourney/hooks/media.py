"""Uploaded files are served by Django, to the people who may see them — never as a public folder.

Progress photos, form checks and meal photos are health data. Each app registers, per top folder of
MEDIA_ROOT, a check `(request, name) -> bool` from its AppConfig.ready(); a file nobody registered, or
one the caller may not see, is a 404 (like another person's object anywhere else).
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

MediaCheck = Callable[[HttpRequest, str], bool]
_checks: dict[str, MediaCheck] = {}


def register_media(folder: str, check: MediaCheck) -> None:
    _checks[folder.strip("/")] = check


def _clean(name: str) -> str | None:
    normalised = posixpath.normpath(name)
    if normalised != name or normalised.startswith(("/", "..")) or "\x00" in name:
        return None
    return normalised


@require_GET
def protected_media(request: HttpRequest, name: str) -> FileResponse:
    stored = _clean(name)
    if stored is None or not request.user.is_authenticated:
        raise Http404
    check = _checks.get(stored.split("/", 1)[0])
    if check is None or not check(request, stored) or not default_storage.exists(stored):
        raise Http404
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(stored, "rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
