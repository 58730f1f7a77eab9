"""Writes for accounts. Keyword-only, one transaction each, validated before saving."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from .. import roles
from ..models import AuditAction, User
from .audit import audit_record, model_changes

USER_SETTINGS_FIELDS = ("first_name", "last_name", "username", "timezone", "language", "unit_system", "date_format")


@transaction.atomic
def user_update_settings(*, user: User, **changes: Any) -> User:
    unknown = set(changes) - set(USER_SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed here."))
    before = {field: getattr(user, field) for field in changes}
    for field, value in changes.items():
        setattr(user, field, value)
    # Only the changed fields are validated; the unchanged ones were valid when saved. A username change
    # needs the full check (User.clean() looks for the same name in any case); the other settings are
    # choices and validators that clean_fields checks without a query (their constraints guard the save).
    unchanged = [field.name for field in user._meta.concrete_fields if field.name not in changes]
    if "username" in changes:
        user.full_clean(exclude=unchanged)
    else:
        user.clean_fields(exclude=unchanged)
    old, new = model_changes(before, changes)
    if not new:
        return user
    user.save(update_fields=[*new, "updated_at"])
    audit_record(action=AuditAction.SETTINGS_UPDATE, actor=user, entity=user, old_values=old, new_values=new)
    return user


@transaction.atomic
def role_groups_sync() -> dict[str, int]:
    """Creates the staff groups and gives each exactly the permissions registered for it."""
    result = {}
    for role, perms in roles.role_permissions().items():
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
def user_assign_role(*, user: User, role: str) -> User:
    """Trainers and gym staff work in the admin, so they are staff members too."""
    group = Group.objects.get(name=role)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff", "updated_at"])
    return user
