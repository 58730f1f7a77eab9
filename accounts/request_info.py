"""Where a request came from, for tokens and the audit trail."""

from __future__ import annotations

from django.http import HttpRequest

# The one rule for the client's address (TRUSTED_PROXY_COUNT), shared with the throttles and the lockout.
from fitjourney.client_ip import client_ip


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:1000]


__all__ = ["client_ip", "user_agent"]
