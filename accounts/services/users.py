"""Writes for accounts. Keyword-only, one transaction each, validated before saving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .. import roles
from ..models import ApiToken, AuditAction, User
from ..tokens import display_prefix, generate_token, hash_token
from .audit import audit_record, model_changes

USER_SETTINGS_FIELDS = ("first_name", "last_name", "username", "timezone", "language", "unit_system", "date_format")

# last_used_at is written at most this often per token, so busy clients don't write on every request.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


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


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown to the person once, never stored


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    expires_in_days: int | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    device_info: dict | None = None,
) -> IssuedToken:
    days = settings.API_TOKEN_DEFAULT_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"expires_in_days": f"Choose between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    raw = generate_token()
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_hash=hash_token(raw),
        prefix=display_prefix(raw),
        device_info=device_info or {},
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:1000],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        action=AuditAction.TOKEN_CREATE,
        actor=user,
        entity=token,
        new_values={"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
        ip_address=token.ip_address,
        user_agent_text=token.user_agent,
    )
    # A new key to someone's account is worth telling them about, in case it was not them.
    from ..tasks.tokens import send_token_created_email

    transaction.on_commit(lambda: send_token_created_email.delay(str(token.pk)))
    return IssuedToken(token=token, raw=raw)


def api_token_created_email_send(*, token_id) -> bool:
    """Mails the owner that a token was created. False when the token is gone (safe to retry)."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        return False
    context = {"token": token, "user": token.user}
    send_mail(
        subject="[FitJourney] A new API token was created",
        message=render_to_string("accounts/email/token_created.txt", context),
        from_email=None,
        recipient_list=[token.user.email],
    )
    return True


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None, request=None) -> ApiToken:
    """Revoking twice keeps the first revocation time."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        audit_record(
            action=AuditAction.TOKEN_REVOKE,
            actor=actor or token.user,
            subject=token.user,
            entity=token,
            new_values={"name": token.name, "prefix": token.prefix},
            request=request,
        )
    return token


def api_token_touch(*, token: ApiToken, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def api_tokens_purge(*, now: datetime | None = None) -> int:
    """Deletes tokens that expired or were revoked more than the retention period ago."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.API_TOKEN_RETENTION_DAYS)
    deleted, _ = ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()
    return deleted


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
