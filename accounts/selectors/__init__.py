"""Reads for accounts, one module per aggregate. The user and token selectors are re-exported here."""

from __future__ import annotations

from .users import api_token_authenticate, api_token_get_for_user, api_tokens_for_user

__all__ = ["api_token_authenticate", "api_token_get_for_user", "api_tokens_for_user"]
