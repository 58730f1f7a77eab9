"""What a new password does to the other ways into the account."""

from __future__ import annotations

from django.db import transaction

from ..models import AuditAction, User
from .audit import AuditContext, audit_origin, audit_record
from .tokens import api_tokens_revoke_all

PASSWORD_CHANGE = "password_change"
PASSWORD_RESET = "password_reset"


@transaction.atomic
def user_sign_out_everywhere(
    *, user: User, reason: str, revoke_tokens: bool = True, audit: AuditContext | None = None
) -> int:
    """After a password change (revoking tokens is offered, on by default) or a reset (always): revokes
    every API token and records it. Returns how many tokens were revoked.

    Other browser sessions need nothing here: Django ties a session to the password hash, so each one
    ends at its next request; the session that changed the password is kept by allauth
    (update_session_auth_hash). Tokens have no such tie, hence this.
    """
    if reason not in (PASSWORD_CHANGE, PASSWORD_RESET):
        raise ValueError(f"Unknown reason {reason!r}")
    revoked = api_tokens_revoke_all(user=user) if revoke_tokens or reason == PASSWORD_RESET else None
    audit_record(
        action=AuditAction.SIGN_OUT_EVERYWHERE,
        actor=user,
        entity=user,
        new_values={
            "reason": reason,
            "other_sessions": "signed out",
            "tokens_revoked": None if revoked is None else len(revoked),
            "tokens": [] if revoked is None else [token.prefix for token in revoked],
        },
        context=audit_origin(audit),
    )
    return 0 if revoked is None else len(revoked)
