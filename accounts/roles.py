"""Staff roles. Each app registers the permissions its roles need; `role_groups_sync` applies them.

Apps call `register_role_permissions` from their AppConfig.ready(), so accounts never imports them.
"""

from __future__ import annotations

from collections import defaultdict

TRAINER = "Trainer"
GYM_STAFF = "Gym staff"
ROLES = (TRAINER, GYM_STAFF)

_registry: dict[str, set[str]] = defaultdict(set)


def register_role_permissions(role: str, permissions: list[str]) -> None:
    """Grant `app_label.codename` permissions to a role."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {ROLES}.")
    _registry[role].update(permissions)


def role_permissions() -> dict[str, set[str]]:
    return {role: set(_registry[role]) for role in ROLES}


register_role_permissions(TRAINER, ["accounts.view_user"])
register_role_permissions(
    GYM_STAFF,
    [
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_apitoken",
        "accounts.view_auditlog",
        "axes.view_accessattempt",
    ],
)
