"""What coaching's page views share."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class PersonRequest(HttpRequest):
    """A signed-in person's request (the views are @login_required), with django-htmx's details: the type
    views annotate `request` with, so `request.user` is a `User`."""

    user: User
    htmx: HtmxDetails


__all__ = ["PersonRequest"]
