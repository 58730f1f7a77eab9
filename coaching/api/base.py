"""What coaching's API views share."""

from __future__ import annotations

from rest_framework.request import Request

from accounts.models import User


class PersonApiRequest(Request):
    """An API request of a signed-in person (IsAuthenticated is the default permission): the type the views
    annotate `request` with, so `request.user` is a `User`."""

    user: User


__all__ = ["PersonApiRequest"]
