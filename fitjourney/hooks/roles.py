"""Staff roles. Each app registers the permissions its roles need; `role_groups_sync` applies them.

Apps call `register_role_permissions` from their AppConfig.ready(); `accounts.services.users.role_groups_sync`
applies them to the groups.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

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


def groups_sync() -> dict[str, int]:
    """Creates the staff groups and gives each exactly the permissions registered for it."""
    result = {}
    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(pk__in=[])
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(wanted))
        missing = perms - {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        if missing:
            raise ValueError(f"Role {role} names unknown permissions: {sorted(missing)}")
        group.permissions.set(permissions)
        result[role] = len(permissions)
    return result


@transaction.atomic
def assign(*, user, role: str):
    """Trainers and gym staff work in the admin, so they are staff members too."""
    group = Group.objects.get(name=role)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff", "updated_at"])
    return user
