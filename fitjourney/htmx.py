"""Type hints for pages that answer htmx: django-htmx's middleware adds `request.htmx` to every request."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A page's request as django-htmx leaves it (as its documentation suggests for type checking)."""

    htmx: HtmxDetails


__all__ = ["HtmxHttpRequest"]
