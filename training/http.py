"""Request types for annotations. Training's pages (login_required) and API operations (IsAuthenticated,
the API's default permission) serve signed-in people only, so their `request.user` is a User."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

from accounts.models import User


class PageRequest(HttpRequest):
    """A page's request: a signed-in person, and django-htmx's details of the htmx request."""

    user: User
    htmx: HtmxDetails


class ApiRequest(Request):
    """An API operation's request: a signed-in person (a session or a personal access token)."""

    user: User


def api_user(request: Request) -> User:
    """The person behind an API request: the default permission (IsAuthenticated) let only them in.
    For viewsets, whose `self.request` DRF types as a plain Request."""
    return cast(User, request.user)
