"""Celery tasks of accounts. Celery discovers `accounts.tasks`, so every submodule is imported here."""

from __future__ import annotations

from .tokens import purge_expired_tokens, send_token_created_email

__all__ = ["purge_expired_tokens", "send_token_created_email"]
