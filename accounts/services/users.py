"""Writes for accounts. Keyword-only, one transaction each, validated before saving."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fitjourney.hooks import roles

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


def site_domain_sync() -> str:
    """The Site row (allauth's e-mails, links in notifications) follows SITE_DOMAIN: in development run.sh
    sets it to the address actually served (WEB_PORT, or the free port it picked)."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": settings.SITE_DOMAIN, "name": "FitJourney"})
    return str(settings.SITE_DOMAIN)


# The staff roles are a platform hook (fitjourney.hooks.roles); these are their names as account services.
role_groups_sync = roles.groups_sync
user_assign_role = roles.assign
