"""Reads for notifications: the inbox, the unread count and the preference table, always the caller's own."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from fitjourney.errors import NotFound

from ..models import Channel, Notification, NotificationPreference, NotificationType, User


@dataclass(frozen=True)
class ChannelDefault:
    in_app: bool
    email: bool


# The one place that says what a person gets before they choose: everything in the app, and e-mail
# only for what should not wait for the next visit (account security, bookings, reminders).
# A NotificationPreference row for (person, type) overrides the default for that type.
NOTIFICATION_DEFAULTS: dict[str, ChannelDefault] = {
    kind: ChannelDefault(
        in_app=True,
        email=kind in {NotificationType.SECURITY, NotificationType.SCHEDULE, NotificationType.REMINDER},
    )
    for kind in NotificationType.values
}


@dataclass(frozen=True)
class PreferenceRow:
    type: str
    label: str
    in_app: bool
    email: bool
    is_default: bool  # no row stored: the type's default applies


def notification_channels_for(*, user: User, type: str) -> set[str]:
    """Where a notification of `type` goes for `user`: their stored choice, else the default. One query."""
    default = NOTIFICATION_DEFAULTS[type]
    stored = (
        NotificationPreference.objects.filter(user=user, type=type).values_list("in_app", "email").order_by().first()
    )
    in_app, email = stored if stored is not None else (default.in_app, default.email)
    return {channel for channel, wanted in ((Channel.IN_APP, in_app), (Channel.EMAIL, email)) if wanted}


def notification_preferences_table(*, user: User) -> list[PreferenceRow]:
    """Every type, in the order of NotificationType, with the person's choice or the default. One query."""
    stored = {
        row["type"]: row
        for row in NotificationPreference.objects.filter(user=user).values("type", "in_app", "email").order_by()
    }
    table = []
    for kind, label in NotificationType.choices:
        row = stored.get(kind)
        default = NOTIFICATION_DEFAULTS[kind]
        table.append(
            PreferenceRow(
                type=kind,
                label=str(label),
                in_app=row["in_app"] if row else default.in_app,
                email=row["email"] if row else default.email,
                is_default=row is None,
            )
        )
    return table


def notifications_inbox(*, user: User, unread_only: bool = False, type: str | None = None) -> QuerySet[Notification]:
    """The person's in-app notifications, newest first.

    Rows that went by e-mail only (in-app was off for that type) are delivery records, not inbox items,
    so they never show here. Served by the (user, -created_at) index; `related_type` is joined because
    the API shows it and content types are a handful of rows, so the join is cheaper than a second query.
    """
    queryset = (
        Notification.objects.filter(user=user, channels__contains=[Channel.IN_APP])
        .select_related("related_type")
        .order_by("-created_at", "-id")
    )
    if unread_only:
        queryset = queryset.unread()
    if type:
        queryset = queryset.filter(type=type)
    return queryset


def notification_get_for_user(*, user: User, notification_id: UUID | str) -> Notification:
    """One of the person's inbox notifications; anyone else's (or an e-mail-only record) is not found (a 404)."""
    notification = notifications_inbox(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification.")
    return notification


def notifications_unread_count(*, user: User) -> int:
    """One COUNT on the partial index accounts_notif_unread (user_id, created_at) WHERE read_at IS NULL.

    The filter is exactly the index's predicate plus user_id, so PostgreSQL answers from the index alone.
    E-mail-only rows are stored as read, so they never count and need no extra condition here.
    """
    return Notification.objects.filter(user=user, read_at__isnull=True).order_by().count()
