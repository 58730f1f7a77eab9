"""Authentication events from Django and allauth, written to the audit trail.

Signals are the right tool here: the auth framework must not know about our audit trail.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .models import AuditAction, User
from .request_info import audit_context
from .security import axes_username
from .services.audit import AuditContext, audit_record


def _where(request: HttpRequest | None) -> AuditContext | None:
    """The request's IP and user agent; the receivers name the actor themselves."""
    return audit_context(request).origin() if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts.audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditAction.LOGIN, actor=user, entity=user, context=_where(request))


@receiver(user_logged_out, dispatch_uid="accounts.audit.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    # An erased account records nothing more: the page signs it out after erasure redacted its trail.
    if user is not None and user.deleted_at is None:
        audit_record(action=AuditAction.LOGOUT, actor=user, entity=user, context=_where(request))


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    login = axes_username(request, credentials) if request is not None else ""
    # The attempt belongs to the account it targeted (so its owner sees it), if there is one.
    target = User.objects.filter(email__iexact=login).first() if login else None
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        subject=target,
        entity=target,
        new_values={"login": login[:255]},
        context=_where(request),
    )


@receiver([password_changed, password_reset, password_set], dispatch_uid="accounts.audit.password")
def _password_changed(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action=AuditAction.PASSWORD_CHANGE, actor=user, entity=user, context=_where(request))
