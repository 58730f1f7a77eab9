"""The notification inbox, the unread badge in the navigation, and the notification preferences."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from fitjourney.htmx import HtmxHttpRequest

from ..models import NotificationType
from ..request_info import request_user
from ..selectors import notifications as selectors
from ..services import notifications as services

INBOX_TEMPLATE = "accounts/notifications/inbox.html"
PREFERENCES_TEMPLATE = "accounts/notifications/preferences.html"
PAGE_SIZE = 20
# Sent with every change, so the badge in the navigation refreshes itself (it listens for this event).
CHANGED_EVENT = "notificationsChanged"


def _inbox_filters(params: QueryDict) -> dict[str, Any]:
    kind = params.get("type", "")
    return {
        "unread_only": params.get("filter") == "unread",
        "type": kind if kind in NotificationType.values else "",
    }


def _inbox_context(request: HtmxHttpRequest, params: QueryDict) -> dict[str, Any]:
    filters = _inbox_filters(params)
    queryset = selectors.notifications_inbox(
        user=request_user(request), unread_only=filters["unread_only"], type=filters["type"] or None
    )
    # Two queries whatever the length: the count for the pager and the page itself.
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    inbox = reverse("accounts:notifications")
    return {
        "page": page,
        "notifications": list(page.object_list),
        "filters": filters,
        "types": NotificationType.choices,
        "query": query.urlencode(),
        "here": f"{inbox}?{params.urlencode()}" if params else inbox,
    }


def _back_to_inbox(request: HtmxHttpRequest) -> tuple[str, QueryDict]:
    """Where a form on the inbox came from (kept in `next`), so filters and page survive the action.

    Only the inbox itself is accepted, so `next` can never send anyone elsewhere.
    """
    inbox = reverse("accounts:notifications")
    target = urlsplit(request.POST.get("next", ""))
    if target.scheme or target.netloc or target.path != inbox:
        return inbox, QueryDict()
    params = QueryDict(target.query)
    return (f"{inbox}?{target.query}" if target.query else inbox), params


def _changed(response: HttpResponse) -> HttpResponse:
    return trigger_client_event(response, CHANGED_EVENT)


@login_required
@require_GET
def inbox_view(request: HtmxHttpRequest) -> HttpResponse:
    context = _inbox_context(request, request.GET)
    if request.htmx and request.htmx.target == "notification-list":
        return render(request, f"{INBOX_TEMPLATE}#notification-list", context)
    return render(request, INBOX_TEMPLATE, context)


@login_required
@require_POST
def notification_read(request: HtmxHttpRequest, notification_id: UUID) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request_user(request), notification_id=notification_id)
    services.notification_mark_read(notification=notification)
    back, _ = _back_to_inbox(request)
    if request.htmx:
        return _changed(
            render(
                request,
                f"{INBOX_TEMPLATE}#notification-row",
                {"notification": notification, "here": back, "focus_row": True},
            )
        )
    return redirect(back)


@login_required
@require_POST
def notification_delete(request: HtmxHttpRequest, notification_id: UUID) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request_user(request), notification_id=notification_id)
    services.notification_delete(notification=notification)
    if request.htmx:
        return _changed(HttpResponse(""))  # the row is swapped for nothing
    messages.success(request, f"Deleted “{notification.title}”.")
    return redirect(_back_to_inbox(request)[0])


@login_required
@require_POST
def notifications_read_all(request: HtmxHttpRequest) -> HttpResponse:
    back, params = _back_to_inbox(request)
    services.notifications_mark_all_read(user=request_user(request))
    if request.htmx:
        return _changed(render(request, f"{INBOX_TEMPLATE}#notification-list", _inbox_context(request, params)))
    messages.success(request, "All notifications are marked read.")
    return redirect(back)


@require_GET
def unread_count_view(request: HtmxHttpRequest) -> HttpResponseBase:
    """The badge of the bell in the navigation, polled by htmx. One query: the unread count."""
    if not request.user.is_authenticated:
        if request.htmx:
            # Signed out in another tab: clear the badge, and stop htmx polling (286).
            return HttpResponseStopPolling("")
        return redirect_to_login(request.get_full_path())
    count = selectors.notifications_unread_count(user=request_user(request))
    return render(request, "base.html#unread-count", {"unread_count": count})


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        # One form for the whole table: an unticked box is simply absent from the POST.
        choices = {
            kind: {"in_app": f"{kind}-in_app" in request.POST, "email": f"{kind}-email" in request.POST}
            for kind in NotificationType.values
        }
        services.notification_preferences_update(user=request_user(request), preferences=choices)
        messages.success(request, "Your notification settings are saved.")
        return redirect("accounts:notification-preferences")
    table = selectors.notification_preferences_table(user=request_user(request))
    return render(request, PREFERENCES_TEMPLATE, {"table": table})


urlpatterns = [
    path("notifications/", inbox_view, name="notifications"),
    path("notifications/unread-count/", unread_count_view, name="notifications-unread-count"),
    path("notifications/read-all/", notifications_read_all, name="notifications-read-all"),
    path("notifications/preferences/", preferences_view, name="notification-preferences"),
    path("notifications/<uuid:notification_id>/read/", notification_read, name="notification-read"),
    path("notifications/<uuid:notification_id>/delete/", notification_delete, name="notification-delete"),
]
