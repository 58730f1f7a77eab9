"""The audit trail: one function records an event; erasure may redact a person's rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q
from django.utils import timezone

from ..erasure_guard import erasure_writes
from ..models import AuditAction, AuditLog, User


@dataclass(frozen=True)
class AuditContext:
    """Who did it and from where, as services need it for the audit trail, without the HTTP request.
    Views build it with `accounts.request_info.audit_context(request)`; tasks and commands pass their own
    (`AuditContext(actor_label="system")`) or none."""

    actor: User | None = None
    ip_address: str | None = None
    user_agent: str = ""
    actor_label: str = ""

    def origin(self) -> AuditContext:
        """Only where it came from (IP, user agent), for an event whose actor the service decides itself."""
        return AuditContext(ip_address=self.ip_address, user_agent=self.user_agent)


def audit_origin(audit: AuditContext | None) -> AuditContext | None:
    """`audit.origin()`, or None without a context."""
    return audit.origin() if audit is not None else None


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    # Dates, decimals, UUIDs and files become strings, as a reader of the trail would see them.
    decoded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder, default=str))
    return decoded


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | None = None,
    subject: User | None = None,
    entity: Model | None = None,
    old_values: dict[str, Any] | None = None,
    new_values: dict[str, Any] | None = None,
    actor_label: str = "",
    ip_address: str | None = None,
    user_agent_text: str = "",
    context: AuditContext | None = None,
) -> AuditLog:
    """Appends one event. `actor` did it, to `subject`'s data (defaults to the actor).

    Where it came from is the `context` (services take one from their caller; views build it with
    `accounts.request_info.audit_context(request)`), or given as `ip_address`/`user_agent_text`.
    """
    if context is not None:
        actor = actor if actor is not None else context.actor
        actor_label = actor_label or context.actor_label
        ip_address = ip_address if ip_address is not None else context.ip_address
        user_agent_text = user_agent_text or context.user_agent
    if actor is not None and not actor.is_authenticated:
        actor = None
    subject = subject or actor
    return AuditLog.objects.create(
        actor_id=actor.pk if actor else None,
        actor_label=actor.email if actor else actor_label,
        subject_id=subject.pk if subject else None,
        action=action,
        entity_type=entity._meta.label_lower if entity is not None else "",
        entity_id=str(entity.pk) if entity is not None else "",
        old_values=_jsonable(old_values),
        new_values=_jsonable(new_values),
        ip_address=ip_address,
        user_agent=user_agent_text[:1000],
    )


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and new values of the fields that differ."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after.get(key) for key in changed}


def audit_redact_person(*, user_id: UUID) -> int:
    """Erasure: blanks the personal values in every row about or by this person.

    The trail keeps that something happened and when; it forgets the values, the e-mail, IP and
    user agent. The append-only trigger lets exactly this UPDATE through, and only inside
    `erasure_writes()`.
    """
    with erasure_writes():
        return AuditLog.objects.filter(Q(subject_id=user_id) | Q(actor_id=user_id), redacted_at__isnull=True).update(
            old_values=None, new_values=None, actor_label="", ip_address=None, user_agent="", redacted_at=timezone.now()
        )


def audit_erase(user: User) -> None:
    """The personal-data registry's eraser for the audit trail."""
    audit_redact_person(user_id=user.pk)
