"""Who sent a request: the one rule for the client's IP address.

`X-Forwarded-For` is written by whoever sends the request, so it is trusted only as far as our own
proxies wrote it. Each of the `TRUSTED_PROXY_COUNT` proxies in front of the application appends the
address it received the request from; the entry that many places from the right is the client as the
outermost proxy saw it. Everything left of it was sent by the client and proves nothing. With no proxies
(the default) the header is ignored and the socket's address (`REMOTE_ADDR`) is the client.

DRF's throttles (`NUM_PROXIES`) and django-allauth's rate limits (`ALLAUTH_TRUSTED_PROXY_COUNT`) follow the
same rule from the same setting; django-axes and the audit trail call this function.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    # Fewer entries than proxies: the request skipped some of them; take the leftmost, as DRF does.
    return _address(entries[-min(proxies, len(entries))]) or remote


def _address(entry: str) -> str | None:
    """The address in an entry ("203.0.113.9", "203.0.113.9:5123", "[2001:db8::1]:443"), else None
    (garbage our proxy would never write: then the socket's address is all we know)."""
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        pass
    host, port = split_domain_port(entry)
    try:
        return str(ipaddress.ip_address(host.strip("[]"))) if host and port else None
    except ValueError:
        return None
