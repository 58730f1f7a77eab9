"""The person's profile: view and edit it, lock it, read its history and see it as it was on a date.

Everything here is the signed-in person's own profile; no URL takes another person's id.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fitjourney.htmx import HtmxHttpRequest

from ..forms import AsOfForm, ProfileForm, ReasonForm
from ..models import ChangedBy, Profile
from ..presenters import AS_OF_FIELDS, age_on, history_entry, preference_items, snapshot_avatar_url, snapshot_rows
from ..request_info import audit_context, request_user
from ..selectors import profiles as selectors
from ..services import profiles as services

PAGE = "accounts/profile/page.html"
HISTORY = "accounts/profile/history.html"
AS_OF = "accounts/profile/as_of.html"
HISTORY_PER_PAGE = 20


def _render_page(
    request: HtmxHttpRequest,
    *,
    profile: Profile,
    form: ProfileForm | None = None,
    reason_form: ReasonForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request_user(request)
    context = {
        "profile": profile,
        "form": form or ProfileForm(profile=profile, unit_system=user.unit_system),
        "reason_form": reason_form or ReasonForm(prefix="lock", required=profile.is_locked),
        "age": age_on(profile.birth_date, user.local_today()),
        "preferences": preference_items(profile),
        "notice": notice,
    }
    if request.htmx and request.htmx.target == "profile-body":
        return render(request, f"{PAGE}#profile-body", context, status=status)
    return render(request, PAGE, context, status=status)


def _done(request: HtmxHttpRequest, *, profile: Profile, notice: str) -> HttpResponse:
    """After a successful change: the fresh region for htmx, else Post/Redirect/Get."""
    if request.htmx:
        return _render_page(request, profile=profile, notice=notice)
    messages.success(request, notice)
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request_user(request)
    profile = selectors.profile_for_user(user=user)
    if request.method == "GET":
        return _render_page(request, profile=profile)

    form = ProfileForm(request.POST, request.FILES, profile=profile, unit_system=user.unit_system)
    if form.is_valid():
        version = profile.version
        try:
            saved = services.profile_update(
                profile=profile,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                changed_by=ChangedBy.USER,
                changed_by_user=user,
                audit=audit_context(request),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if saved.version == version:
                return _done(request, profile=saved, notice="Nothing changed.")
            return _done(request, profile=saved, notice=f"Your profile is saved (version {saved.version}).")
    # The service worked on its own locked copy, so `profile` still shows what is stored.
    return _render_page(request, profile=profile, form=form, status=400)


@login_required
@require_POST
def profile_lock_view(request: HtmxHttpRequest) -> HttpResponse:
    profile = selectors.profile_for_user(user=request_user(request))
    form = ReasonForm(request.POST, prefix="lock")
    if form.is_valid():
        profile = services.profile_lock(
            profile=profile,
            reason=form.cleaned_data["reason"],
            changed_by=ChangedBy.USER,
            changed_by_user=request_user(request),
            audit=audit_context(request),
        )
        return _done(request, profile=profile, notice="Your profile is locked: changes now need a reason.")
    return _render_page(request, profile=profile, reason_form=form, status=400)


@login_required
@require_POST
def profile_unlock_view(request: HtmxHttpRequest) -> HttpResponse:
    profile = selectors.profile_for_user(user=request_user(request))
    form = ReasonForm(request.POST, prefix="lock", required=profile.is_locked)
    if form.is_valid():
        try:
            profile = services.profile_unlock(
                profile=profile,
                reason=form.cleaned_data["reason"],
                changed_by=ChangedBy.USER,
                changed_by_user=request_user(request),
                audit=audit_context(request),
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") and "reason" in exc.error_dict else None, exc)
        else:
            return _done(request, profile=profile, notice="Your profile is unlocked.")
    return _render_page(request, profile=profile, reason_form=form, status=400)


@login_required
@require_GET
def profile_history_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request_user(request)
    paginator = Paginator(selectors.profile_versions_for_user(user=user), HISTORY_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "entries": [history_entry(version, user) for version in page]}
    if request.htmx and request.htmx.target == "history-list":
        return render(request, f"{HISTORY}#history-list", context)
    return render(request, HISTORY, context)


def end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The last microsecond of `day` on the person's clock."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone) - timedelta(microseconds=1)


@login_required
@require_GET
def profile_as_of_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request_user(request)
    form = AsOfForm(request.GET or None, initial={"date": user.local_today()})
    context: dict[str, Any] = {"form": form, "version": None, "rows": [], "day": None}
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data["date"] > user.local_today():
            form.add_error("date", "Choose a date up to today.")
        if form.is_valid():
            day = form.cleaned_data["date"]
            version = selectors.profile_as_of(user=user, at=end_of_local_day(day, user.zone))
            context["day"] = day
            context["version"] = version
            if version is not None:
                context["rows"] = snapshot_rows(version.snapshot, user, AS_OF_FIELDS)
                context["avatar_url"] = snapshot_avatar_url(version.snapshot)
        else:
            status = 400
    return render(request, AS_OF, context, status=status)


urlpatterns = [
    path("profile/", profile_view, name="profile"),
    path("profile/lock/", profile_lock_view, name="profile-lock"),
    path("profile/unlock/", profile_unlock_view, name="profile-unlock"),
    path("profile/history/", profile_history_view, name="profile-history"),
    path("profile/as-of/", profile_as_of_view, name="profile-as-of"),
]
