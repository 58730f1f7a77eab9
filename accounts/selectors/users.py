"""Reads for accounts: each returns a queryset scoped to what the caller may see."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import ApiToken, User
from ..tokens import TOKEN_PREFIX, hash_token


def api_tokens_for_user(*, user: User):
    # The hash is never shown, so it is never loaded.
    return ApiToken.objects.filter(user=user).defer("token_hash")


def api_token_get_for_user(*, user: User, token_id) -> ApiToken:
    """Another person's token is a 404, never a 403."""
    return get_object_or_404(ApiToken.objects.filter(user=user), pk=token_id)


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
