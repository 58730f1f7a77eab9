"""Celery tasks of accounts. Celery discovers `accounts.tasks`, so every submodule is imported here."""

from __future__ import annotations

from .notifications import purge_read_notifications, send_notification_email, sweep_unsent_notification_mail
from .privacy import build_data_export, expire_data_exports, purge_erased_accounts, requeue_stalled_exports
from .tokens import purge_expired_tokens, send_token_created_email

__all__ = [
    "build_data_export",
    "expire_data_exports",
    "purge_erased_accounts",
    "purge_expired_tokens",
    "purge_read_notifications",
    "requeue_stalled_exports",
    "send_notification_email",
    "send_token_created_email",
    "sweep_unsent_notification_mail",
]
