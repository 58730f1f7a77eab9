from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fitjourney.api.errors import error_response
from fitjourney.api.serializers import error_schema, error_schemas
from fitjourney.api.throttling import AnonRateThrottle

from .. import selectors, services
from ..models import ApiToken, TokenScope, User
from ..request_info import audit_context, request_user
from .serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    IssuedTokenSerializer,
    MeSerializer,
    TokenObtainSerializer,
)


class MeView(APIView):
    """The signed-in person, with the sections other apps add (fitjourney.hooks.me), e.g. whether the intake is
    complete and which step is next."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer, **error_schemas(400)})
    def patch(self, request: Request) -> Response:
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_settings(user=request_user(request), **serializer.validated_data)
        return Response(MeSerializer(user).data)


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's personal access tokens. DELETE revokes a token and every token it created (they stay
    listed as revoked). Called with a token, each operation needs the `tokens` scope."""

    serializer_class = ApiTokenSerializer
    lookup_value_converter = "uuid"
    token_scope = TokenScope.TOKENS  # accounts.api.permissions: every method, read or write

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return ApiToken.objects.none()
        return selectors.api_tokens_for_user(user=request_user(self.request))

    @extend_schema(
        request=ApiTokenCreateSerializer,
        responses={
            201: IssuedTokenSerializer,
            **error_schemas(400),
            403: error_schema("The token that asks may not create tokens, or not with these scopes."),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        where = audit_context(request)
        issued = services.api_token_create(
            user=request_user(request),
            created_by_token=request.auth if isinstance(request.auth, ApiToken) else None,
            ip_address=where.ip_address,
            user_agent=where.user_agent,
            **serializer.validated_data,
        )
        return Response(IssuedTokenSerializer(issued).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **error_schemas(404)})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.api_token_revoke(token=self.get_object(), audit=audit_context(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenObtainThrottle(AnonRateThrottle):
    scope = "token_obtain"


class TokenObtainView(APIView):
    """Exchange e-mail and password for a personal access token (for scripts and apps), with the scopes
    asked for (default `read` and `write`).

    Failed attempts count towards the same lockout as the login page.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        request=TokenObtainSerializer,
        responses={
            201: IssuedTokenSerializer,
            **error_schemas(400),
            401: error_schema("The e-mail or password is not right (`authentication_failed`)."),
            403: error_schema("The e-mail address is not verified yet (`email_unverified`)."),
            429: error_schema("Too many attempts (`throttled`), or this login is locked out (`locked_out`)."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        email, password = data.pop("email"), data.pop("password")
        user = authenticate(request._request, email=email, password=password)
        if getattr(request._request, "axes_locked_out", False):
            return error_response(429, "locked_out", "Too many failed login attempts. Try again in 15 minutes.")
        if not isinstance(user, User):
            return error_response(401, "authentication_failed", "The e-mail or password is not right.")
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            return error_response(403, "email_unverified", "Verify your e-mail address before using the API.")
        where = audit_context(request)
        issued = services.api_token_create(user=user, ip_address=where.ip_address, user_agent=where.user_agent, **data)
        return Response(IssuedTokenSerializer(issued).data, status=status.HTTP_201_CREATED)
