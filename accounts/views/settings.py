from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import ApiTokenForm, SettingsForm
from ..request_info import audit_context, client_ip, user_agent
from ..selectors import audit as audit_selectors

TEMPLATE = "accounts/settings.html"


def _render_settings(request, *, form=None, token_form=None, issued=None, status=200):
    context = {
        "form": form or SettingsForm(instance=request.user),
        "token_form": token_form or ApiTokenForm(),
        "tokens": list(selectors.api_tokens_for_user(user=request.user)),
        "issued": issued,
        "security_events": audit_selectors.audit_security_events(user=request.user),
    }
    if request.htmx and request.htmx.target == "api-tokens":
        return render(request, f"{TEMPLATE}#api-tokens", context, status=status)
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    if request.method == "GET":
        return _render_settings(request)
    # Bound to a copy, so a refused form never changes the signed-in person shown on the page.
    form = SettingsForm(request.POST, instance=copy(request.user))
    if form.is_valid():
        try:
            services.user_update_settings(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
    return _render_settings(request, form=form, status=400)


@login_required
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_settings(request, token_form=form, status=400)
    issued = services.api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        expires_in_days=form.cleaned_data["expires_in_days"],
        scopes=form.cleaned_data["scopes"],
        ip_address=client_ip(request),
        user_agent=user_agent(request),
        device_info={"created_from": "settings page"},
    )
    return _render_settings(request, issued=issued, status=201 if request.htmx else 200)


@login_required
@require_POST
def token_revoke(request, token_id):
    token = selectors.api_token_get_for_user(user=request.user, token_id=token_id)
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
