"""DRF's throttles, counting anonymous callers by the one client-address rule (fitjourney.client_ip).

DRF's own reading of X-Forwarded-For (NUM_PROXIES, set from the same TRUSTED_PROXY_COUNT) agrees on
well-formed headers, but keys its counter by whatever the entry says: garbage from a client that reaches
the application past the proxy would be a fresh counter each time. Ours falls back to the socket.
"""

from __future__ import annotations

from rest_framework import throttling

from fitjourney.client_ip import client_ip


class ClientIpMixin:
    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class AnonRateThrottle(ClientIpMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientIpMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientIpMixin, throttling.ScopedRateThrottle):
    pass
