from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .. import selectors, services

if TYPE_CHECKING:  # DRF's settings import this module (DEFAULT_AUTHENTICATION_CLASSES) while rest_framework loads
    from drf_spectacular.openapi import AutoSchema
    from rest_framework.request import Request

    from ..models import ApiToken, User


class PersonalAccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer fj_…` with a token created on the settings page or the API."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Bearer <token>'.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = selectors.api_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, has expired or was revoked.")
        services.api_token_touch(token=token)
        timezone.activate(zoneinfo.ZoneInfo(token.user.timezone))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalAccessTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "fj_…",
            "description": (
                "A personal access token. Its scopes decide what it may do: `read` (GET, HEAD, OPTIONS), "
                "`write` (the other methods; includes `read`), `tokens` (manage tokens with it). A request "
                "outside them is a 403 with the code `insufficient_scope`."
            ),
        }
