"""Authentication events from Django and allauth, written to the audit trail.

Signals are the right tool here: the auth framework must not know about our audit trail.
"""

from __future__ import annotations

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction, User
from .security import axes_username
from .services.audit import audit_record


@receiver(user_logged_in, dispatch_uid="accounts.audit.login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, entity=user, request=request)


@receiver(user_logged_out, dispatch_uid="accounts.audit.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, entity=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    login = axes_username(request, credentials) if request is not None else ""
    # The attempt belongs to the account it targeted (so its owner sees it), if there is one.
    target = User.objects.filter(email__iexact=login).first() if login else None
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        subject=target,
        entity=target,
        new_values={"login": login[:255]},
        request=request,
        actor_label="",
    )


@receiver([password_changed, password_reset, password_set], dispatch_uid="accounts.audit.password")
def _password_changed(sender, request, user, **kwargs):
    audit_record(action=AuditAction.PASSWORD_CHANGE, actor=user, entity=user, request=request)
