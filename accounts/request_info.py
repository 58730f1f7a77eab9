"""Where a request came from, for tokens and the audit trail."""

from __future__ import annotations

from django.http import HttpRequest

# The one rule for the client's address (TRUSTED_PROXY_COUNT), shared with the throttles and the lockout.
from fitjourney.client_ip import client_ip

from .services.audit import AuditContext


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:1000]


def audit_context(request: HttpRequest) -> AuditContext:
    """Who is asking and from where, for the services' audit trail (services never see the request)."""
    user = getattr(request, "user", None)
    return AuditContext(
        actor=user if user is not None and user.is_authenticated else None,
        ip_address=client_ip(request),
        user_agent=user_agent(request),
    )


__all__ = ["audit_context", "client_ip", "user_agent"]
