"""Token scopes, enforced on every API view (the default permission in settings.REST_FRAMEWORK)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework import permissions

from ..models import ApiToken, TokenScope

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_PERMISSION_CLASSES) while loading
    from rest_framework.request import Request
    from rest_framework.views import APIView


def required_token_scope(request: Request, view: APIView) -> str:
    """The scope a token needs for this request: the view's `token_scope` when it names one for all its
    methods (token management: "tokens"), else `read` for safe methods and `write` for the others."""
    scope = getattr(view, "token_scope", None)
    if scope:
        return scope
    return TokenScope.READ if request.method in permissions.SAFE_METHODS else TokenScope.WRITE


class TokenScopePermission(permissions.BasePermission):
    """A request made with a personal access token may do only what the token's scopes allow.

    A browser session (or no authentication: IsAuthenticated decides) is not limited by scopes.
    """

    code = "insufficient_scope"
    message = "This token does not have the scope this request needs."

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        needed = required_token_scope(request, view)
        if token.has_scope(needed):
            return True
        self.message = (
            f"This token does not have the “{needed}” scope this request needs (it has: {', '.join(token.scopes)})."
        )
        return False
