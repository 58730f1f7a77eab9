"""Personal access tokens: create (with scopes, within the limits of the token that asks), revoke (with
everything the token created), record use, purge.

Token writes of one person take a lock on that person's row first, so that a token minting a child
and the revocation of its ancestor (or of all tokens, after a password change) never interleave: the
child is either seen and revoked, or refused because its parent is already revoked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from fitjourney.queue import enqueue_on_commit

from ..models import DEFAULT_TOKEN_SCOPES, ApiToken, AuditAction, TokenScope, User
from ..tokens import display_prefix, generate_token, hash_token
from .audit import AuditContext, audit_origin, audit_record

# last_used_at is written at most this often per token, so busy clients don't write on every request.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


class TokenNotAllowed(PermissionDenied):
    """The token that asked may not create tokens (no `tokens` scope, or it is no longer usable)."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str  # shown to the person once, never stored


def _lock_tokens_of(user_id: UUID) -> None:
    """Serialises one person's token writes (see the module docstring). NO KEY: rows pointing at the
    person (inserts take KEY SHARE locks) are not held up."""
    list(User.all_objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk", flat=True))


def token_scopes_normalise(scopes: Iterable[str]) -> list[str]:
    """Known scopes only, at least one, `write` brings `read`; in a fixed order (as the database keeps them)."""
    chosen = set(scopes)
    unknown = chosen - set(TokenScope.values)
    if unknown:
        raise ValidationError({"scopes": f"Unknown scopes: {', '.join(sorted(unknown))}."})
    if not chosen:
        raise ValidationError({"scopes": "Choose at least one scope."})
    if TokenScope.WRITE in chosen:
        chosen.add(TokenScope.READ)
    return [scope for scope in TokenScope.values if scope in chosen]


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    expires_in_days: int | None = None,
    scopes: Iterable[str] | None = None,
    created_by_token: ApiToken | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    device_info: dict | None = None,
) -> IssuedToken:
    """A new token for `user`. Given `created_by_token` (the API call was made with a token), that token
    needs the `tokens` scope, and the new one gets no scope it lacks and does not outlive it.

    Without `scopes` a token gets read and write (a child: those of them its parent has). Without
    `expires_in_days` it lasts API_TOKEN_DEFAULT_DAYS (a child: at most as long as its parent).
    """
    days = expires_in_days
    if days is not None and not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"expires_in_days": f"Choose between 1 and {settings.API_TOKEN_MAX_DAYS} days."})
    now = timezone.now()
    expires_at = now + timedelta(days=settings.API_TOKEN_DEFAULT_DAYS if days is None else days)
    parent = None
    if created_by_token is not None:
        _lock_tokens_of(user.pk)
        # Read again under the lock: it may have been revoked since it authenticated the request.
        parent = ApiToken.objects.usable(now).filter(pk=created_by_token.pk, user=user).first()
        if parent is None:
            raise TokenNotAllowed("The token that asked was revoked or has expired.")
        if not parent.has_scope(TokenScope.TOKENS):
            raise TokenNotAllowed("This token may not create tokens: it does not have the “tokens” scope.")
        if scopes is None:
            scopes = [scope for scope in DEFAULT_TOKEN_SCOPES if parent.has_scope(scope)]
            if not scopes:
                raise ValidationError({"scopes": f"Choose the scopes, from this token's: {', '.join(parent.scopes)}."})
        beyond = set(token_scopes_normalise(scopes)) - set(parent.scopes)
        if beyond:
            raise ValidationError(
                {"scopes": f"A token cannot give more than it has: this one has only {', '.join(parent.scopes)}."}
            )
        if expires_at > parent.expires_at:
            if days is not None:
                limit = timezone.localtime(parent.expires_at).strftime("%Y-%m-%d %H:%M %Z")
                raise ValidationError(
                    {"expires_in_days": f"A token cannot outlive the token that creates it (until {limit})."}
                )
            expires_at = parent.expires_at
    chosen = token_scopes_normalise(DEFAULT_TOKEN_SCOPES if scopes is None else scopes)
    raw = generate_token()
    token = ApiToken(
        user=user,
        name=name.strip(),
        token_hash=hash_token(raw),
        prefix=display_prefix(raw),
        device_info=device_info or {},
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:1000],
        created_at=now,
        expires_at=expires_at,
        scopes=chosen,
        created_by_token=parent,
    )
    token.full_clean()
    token.save()
    audit_record(
        action=AuditAction.TOKEN_CREATE,
        actor=user,
        entity=token,
        new_values={
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
            "scopes": token.scopes,
            **({"created_by_token": parent.prefix} if parent is not None else {}),
        },
        ip_address=token.ip_address,
        user_agent_text=token.user_agent,
    )
    # A new key to someone's account is worth telling them about, in case it was not them.
    from ..tasks.tokens import send_token_created_email

    enqueue_on_commit(send_token_created_email, str(token.pk))
    return IssuedToken(token=token, raw=raw)


def api_token_created_email_send(*, token_id: UUID | str) -> bool:
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


# The token and everything it created, at any depth (UNION, not UNION ALL: a cycle could not loop).
_REVOKE_TREE_SQL = """
WITH RECURSIVE tree (id) AS (
    SELECT id FROM {table} WHERE id = %s
    UNION
    SELECT child.id FROM {table} AS child JOIN tree ON child.created_by_token_id = tree.id
)
UPDATE {table} SET revoked_at = %s
WHERE id IN (SELECT id FROM tree) AND revoked_at IS NULL
RETURNING id, name, prefix
"""


@transaction.atomic
def api_token_revoke(*, token: ApiToken, audit: AuditContext | None = None) -> ApiToken:
    """Revokes the token and, in the same UPDATE, every token it created (recursively), so a token
    cannot leave working keys behind. Revoking twice keeps the first revocation time. The actor is the
    audit context's (staff in the admin), else the token's owner."""
    actor = (audit.actor if audit is not None else None) or token.user
    _lock_tokens_of(token.user_id)
    with connection.cursor() as cursor:
        cursor.execute(_REVOKE_TREE_SQL.format(table=ApiToken._meta.db_table), [token.pk, timezone.now()])
        revoked = cursor.fetchall()
    token.refresh_from_db(fields=["revoked_at"])
    # The token asked for first, then what went with it.
    for token_id, name, prefix in sorted(revoked, key=lambda row: row[0] != token.pk):
        values = {"name": name, "prefix": prefix}
        if token_id != token.pk:
            values["revoked_with"] = token.prefix
        audit_record(
            action=AuditAction.TOKEN_REVOKE,
            actor=actor,
            subject=token.user,
            entity=token if token_id == token.pk else ApiToken(pk=token_id),
            new_values=values,
            context=audit_origin(audit),
        )
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user: User, now: datetime | None = None) -> list[ApiToken]:
    """Revokes every usable token of `user` in one UPDATE; returns them (the caller audits why)."""
    _lock_tokens_of(user.pk)
    now = now or timezone.now()
    usable = ApiToken.objects.usable(now).filter(user=user)
    tokens = list(usable.only("id", "name", "prefix"))
    usable.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    return tokens


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
