"""The settings page: the person's details, their API tokens and their recent security events."""

from __future__ import annotations

from copy import copy
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from fitjourney.htmx import HtmxHttpRequest

from .. import selectors, services
from ..forms import ApiTokenForm, SettingsForm
from ..request_info import audit_context, request_user
from ..selectors import audit as audit_selectors
from ..services import IssuedToken

TEMPLATE = "accounts/settings.html"


def _render_settings(
    request: HtmxHttpRequest,
    *,
    form: SettingsForm | None = None,
    token_form: ApiTokenForm | None = None,
    issued: IssuedToken | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    context = {
        "form": form or SettingsForm(instance=user),
        "token_form": token_form or ApiTokenForm(),
        "tokens": list(selectors.api_tokens_for_user(user=user)),
        "issued": issued,
        "security_events": audit_selectors.audit_security_events(user=user),
    }
    if request.htmx and request.htmx.target == "api-tokens":
        return render(request, f"{TEMPLATE}#api-tokens", context, status=status)
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_settings(request)
    user = request_user(request)
    # Bound to a copy, so a refused form never changes the signed-in person shown on the page.
    form = SettingsForm(request.POST, instance=copy(user))
    if form.is_valid():
        try:
            services.user_update_settings(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    return _render_settings(request, form=form, status=400)


@login_required
@require_POST
def token_create(request: HtmxHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_settings(request, token_form=form, status=400)
    where = audit_context(request)
    issued = services.api_token_create(
        user=request_user(request),
        name=form.cleaned_data["name"],
        expires_in_days=form.cleaned_data["expires_in_days"],
        scopes=form.cleaned_data["scopes"],
        ip_address=where.ip_address,
        user_agent=where.user_agent,
        device_info={"created_from": "settings page"},
    )
    return _render_settings(request, issued=issued, status=201 if request.htmx else 200)


@login_required
@require_POST
def token_revoke(request: HtmxHttpRequest, token_id: UUID) -> HttpResponse:
    token = selectors.api_token_get_for_user(user=request_user(request), token_id=token_id)
    services.api_token_revoke(token=token, audit=audit_context(request))
    if request.htmx:
        return _render_settings(request)
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("accounts:settings")


urlpatterns = [
    path("", settings_view, name="settings"),
    path("tokens/", token_create, name="token-create"),
    path("tokens/<uuid:token_id>/revoke/", token_revoke, name="token-revoke"),
]
