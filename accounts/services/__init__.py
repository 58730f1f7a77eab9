"""Writes for accounts, one module per aggregate. The user and token services are re-exported here."""

from __future__ import annotations

from .passwords import user_sign_out_everywhere
from .tokens import (
    TOKEN_TOUCH_INTERVAL,
    IssuedToken,
    TokenNotAllowed,
    api_token_create,
    api_token_created_email_send,
    api_token_revoke,
    api_token_touch,
    api_tokens_purge,
    api_tokens_revoke_all,
    token_scopes_normalise,
)
from .users import (
    USER_SETTINGS_FIELDS,
    role_groups_sync,
    site_domain_sync,
    user_assign_role,
    user_update_settings,
)

__all__ = [
    "TOKEN_TOUCH_INTERVAL",
    "USER_SETTINGS_FIELDS",
    "IssuedToken",
    "TokenNotAllowed",
    "api_token_create",
    "api_token_created_email_send",
    "api_token_revoke",
    "api_token_touch",
    "api_tokens_purge",
    "api_tokens_revoke_all",
    "role_groups_sync",
    "site_domain_sync",
    "token_scopes_normalise",
    "user_assign_role",
    "user_sign_out_everywhere",
    "user_update_settings",
]
