"""The "Your data" page: ask for a copy of your data (right of access) and delete your account (erasure)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fitjourney.htmx import HtmxHttpRequest

from ..api.privacy import UNAVAILABLE_STATUS, DataExportDownloadView, export_file_response
from ..forms import AccountEraseForm
from ..models import DataExport, ExportStatus
from ..request_info import audit_context, request_user
from ..selectors.privacy import EXPORTS_SHOWN, data_export_get_for_user, data_exports_for_user
from ..services.privacy import (
    ERASURE_GRACE_DAYS,
    EXPORT_VALID_DAYS,
    ExportInProgress,
    ExportUnavailable,
    account_erase,
    export_download,
    export_kinds,
    export_request,
)

TEMPLATE = "accounts/privacy/data.html"
DOWNLOAD_TEMPLATE = "accounts/privacy/download.html"


def _page_context(
    request: HtmxHttpRequest, *, erase_form: AccountEraseForm | None = None, export_error: str = ""
) -> dict[str, Any]:
    # One query for the list; the current export is its first row (no second query).
    exports = list(data_exports_for_user(user=request_user(request))[:EXPORTS_SHOWN])
    current = exports[0] if exports and (exports[0].in_progress or exports[0].status == ExportStatus.READY) else None
    return {
        "current": current,
        "previous": [e for e in exports if e is not current],
        "erase_form": erase_form or AccountEraseForm(),
        "export_error": export_error,
        "export_valid_days": EXPORT_VALID_DAYS,
        "grace_days": ERASURE_GRACE_DAYS,
        "export_kinds": export_kinds(),
    }


@never_cache
@login_required
@require_GET
def privacy_view(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, _page_context(request))


@login_required
@require_POST
def export_request_view(request: HtmxHttpRequest) -> HttpResponse:
    try:
        export_request(user=request_user(request), audit=audit_context(request))
    except ExportInProgress as exc:
        if request.htmx:
            context = _page_context(request, export_error=exc.messages[0])
            return render(request, f"{TEMPLATE}#exports", context, status=409)
        messages.error(request, exc.messages[0])
        return redirect("accounts:privacy")
    if request.htmx:
        return render(request, f"{TEMPLATE}#exports", _page_context(request), status=201)
    messages.success(request, "We are preparing your data. This page shows the progress.")
    return redirect("accounts:privacy")


@never_cache
@login_required
@require_GET
def export_status_view(request: HtmxHttpRequest, export_id: UUID) -> HttpResponse:
    """The progress fragment htmx polls every second; it comes back without the trigger once done."""
    export = data_export_get_for_user(user=request_user(request), export_id=export_id)
    if request.htmx:
        return render(request, f"{TEMPLATE}#export-status", {"export": export})
    return redirect("accounts:privacy")


class _TokenDownloadView(DataExportDownloadView):
    """The API's download, also answering the page URL's POST (how API clients downloaded before GET)."""

    post = DataExportDownloadView.get


_token_download = _TokenDownloadView.as_view()


def _has_bearer_token(request: HttpRequest) -> bool:
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    return bool(parts) and parts[0].lower() == "bearer"


def _availability(export: DataExport) -> str:
    """ "ready", or why the export cannot be downloaded (the keys of UNAVAILABLE_STATUS)."""
    if export.status == ExportStatus.DOWNLOADED:
        return "downloaded"
    if export.status == ExportStatus.EXPIRED or (export.status == ExportStatus.READY and export.is_expired):
        return "expired"
    return "ready" if export.status == ExportStatus.READY else "not_ready"


@never_cache
@csrf_exempt  # checked below for session requests; a bearer token needs no CSRF check
@require_http_methods(["GET", "POST"])
def export_download_view(request: HttpRequest, export_id: UUID) -> HttpResponseBase:
    """In the browser, GET shows what will be downloaded and POST streams the zip, once, to its owner.

    The browser's download is a POST so that link scanners and prefetching (which follow GETs with the
    cookies) cannot use up the one download. A request with a personal access token is an API client:
    GET (or POST) is the API's download (accounts.api.privacy), with its scope check and JSON errors.
    """
    if _has_bearer_token(request):
        return _token_download(request, pk=export_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        export = data_export_get_for_user(user=request_user(request), export_id=export_id)
        availability = _availability(export)
        context = {"export": export, "availability": availability}
        return render(request, DOWNLOAD_TEMPLATE, context, status=UNAVAILABLE_STATUS.get(availability, 200))
    return _session_download(request, export_id)


@csrf_protect  # the page's POST: a session request, so CSRF is checked (the outer view is exempt for tokens)
def _session_download(request: HttpRequest, export_id: UUID) -> HttpResponseBase:
    user = request_user(request)
    try:
        export, handle = export_download(user=user, export_id=export_id, audit=audit_context(request))
    except ExportUnavailable as exc:
        export = data_export_get_for_user(user=user, export_id=export_id)
        context = {"export": export, "availability": exc.reason, "refusal": exc.message}
        return render(request, DOWNLOAD_TEMPLATE, context, status=UNAVAILABLE_STATUS[exc.reason])
    return export_file_response(export, handle)


@login_required
@require_POST
def account_erase_view(request: HtmxHttpRequest) -> HttpResponse:
    form = AccountEraseForm(request.POST)
    if form.is_valid():
        try:
            account_erase(
                user=request_user(request), password=form.cleaned_data["password"], audit=audit_context(request)
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a wrong password lands on the password field
        else:
            logout(request)  # this browser; the erasure already ended every other session
            messages.success(
                request,
                "Your account is deleted and you are signed out everywhere. Everything left of it will be "
                f"removed for good within {ERASURE_GRACE_DAYS} days. Thank you for having been with us.",
            )
            return redirect("home")
    return render(request, TEMPLATE, _page_context(request, erase_form=form), status=400)


urlpatterns = [
    path("privacy/", privacy_view, name="privacy"),
    path("privacy/exports/", export_request_view, name="export-request"),
    path("privacy/exports/<uuid:export_id>/", export_status_view, name="export-status"),
    path("privacy/exports/<uuid:export_id>/download/", export_download_view, name="export-download"),
    path("privacy/delete/", account_erase_view, name="account-erase"),
]
