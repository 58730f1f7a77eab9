"""Where a request came from and who sent it, for tokens and the audit trail."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

# The one rule for the client's address (TRUSTED_PROXY_COUNT), shared with the throttles and the lockout.
from fitjourney.client_ip import client_ip

from .models import User
from .services.audit import AuditContext


def _http(request: HttpRequest | Request) -> HttpRequest:
    """Django's request under a DRF one (DRF keeps it as `_request`)."""
    return request._request if isinstance(request, Request) else request


def user_agent(request: HttpRequest | Request) -> str:
    return str(_http(request).META.get("HTTP_USER_AGENT", ""))[:1000]


def request_user(request: HttpRequest | Request) -> User:
    """The signed-in person of a request that passed the view's access check (`login_required`, the API's
    IsAuthenticated). Reaching here without one is a bug in that check, not a 403 to hand out."""
    user = request.user
    if not isinstance(user, User):
        raise RuntimeError("request_user() needs a view that lets only signed-in people in.")
    return user


def audit_context(request: HttpRequest | Request) -> AuditContext:
    """Who is asking and from where, for the services' audit trail (services never see the request)."""
    user = getattr(request, "user", None)
    return AuditContext(
        actor=user if isinstance(user, User) and user.is_authenticated else None,
        ip_address=client_ip(_http(request)),
        user_agent=user_agent(request),
    )


class PersonRequest(HttpRequest):
    """A page's request from a signed-in person (the view is @login_required), with django-htmx's details:
    the type page views annotate `request` with, so `request.user` is a `User`."""

    user: User
    htmx: HtmxDetails


class PersonApiRequest(Request):
    """An API request of a signed-in person (IsAuthenticated is the API's default permission)."""

    user: User


def api_person(request: Request) -> User:
    """The person behind an API request, for viewsets, whose `self.request` DRF types as a plain Request."""
    return cast(User, request.user)


__all__ = [
    "PersonApiRequest",
    "PersonRequest",
    "api_person",
    "audit_context",
    "client_ip",
    "request_user",
    "user_agent",
]
