from __future__ import annotations

from celery import shared_task

from fitjourney.db import TASK_DATABASE_RETRY


@shared_task(name="accounts.tasks.purge_expired_tokens", **TASK_DATABASE_RETRY)
def purge_expired_tokens() -> int:
    from .. import services

    return services.api_tokens_purge()


@shared_task(
    name="accounts.tasks.send_token_created_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_token_created_email(token_id: str) -> bool:
    from .. import services

    return services.api_token_created_email_send(token_id=token_id)
