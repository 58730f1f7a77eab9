"""Reads for accounts: each returns a queryset scoped to what the caller may see."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from fitjourney.errors import NotFound

from ..models import ApiToken, User
from ..tokens import TOKEN_PREFIX, hash_token


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    # The hash is never shown, so it is never loaded.
    return ApiToken.objects.filter(user=user).defer("token_hash")


def api_token_get_for_user(*, user: User, token_id: UUID | str) -> ApiToken:
    """Another person's token is not found (a 404), never a 403."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The usable token for a raw bearer value, with its owner loaded in the same query."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        ApiToken.objects.usable(timezone.now())
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True, user__deleted_at__isnull=True)
        .order_by()
        .first()
    )
