from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="accounts.tasks.purge_expired_tokens")
def purge_expired_tokens() -> int:
    return services.api_tokens_purge()
