"""Writes for accounts, one module per aggregate. The user and token services are re-exported here."""

from __future__ import annotations

from .users import (
    TOKEN_TOUCH_INTERVAL,
    USER_SETTINGS_FIELDS,
    IssuedToken,
    api_token_create,
    api_token_created_email_send,
    api_token_revoke,
    api_token_touch,
    api_tokens_purge,
    role_groups_sync,
    user_assign_role,
    user_update_settings,
)

__all__ = [
    "TOKEN_TOUCH_INTERVAL",
    "USER_SETTINGS_FIELDS",
    "IssuedToken",
    "api_token_create",
    "api_token_created_email_send",
    "api_token_revoke",
    "api_token_touch",
    "api_tokens_purge",
    "role_groups_sync",
    "user_assign_role",
    "user_update_settings",
]
