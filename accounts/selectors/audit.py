from __future__ import annotations

from ..models import SECURITY_ACTIONS, AuditLog, User


def audit_security_events(*, user: User, limit: int = 20) -> list[AuditLog]:
    """The person's own recent logins, failed logins and token changes (one query, index on subject)."""
    return list(
        AuditLog.objects.filter(subject_id=user.pk, action__in=SECURITY_ACTIONS)
        .only("action", "created_at", "ip_address", "user_agent", "new_values")
        .order_by("-created_at")[:limit]
    )
