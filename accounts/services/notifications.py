"""Writes for notifications. `notify` is the one way any app tells a person something, for example
`notify(user=member, type=NotificationType.SCHEDULE, title="Booking confirmed", message="Tuesday 18:00.",
related=booking, action_url=reverse("coaching:booking", args=[booking.pk]))`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fitjourney.queue import enqueue_on_commit, send_quietly

from ..models import Channel, Notification, NotificationPreference, NotificationType, Priority, User
from ..selectors.notifications import PreferenceRow, notification_channels_for, notification_preferences_table

PURGE_READ_AFTER_DAYS = 30


def validate_action_url(value: str) -> None:
    """Only a path on our own site: no scheme, no host, no `//evil.example`, no `javascript:`.

    Notifications are rendered as links and followed from e-mails, so an absolute or scheme URL would
    be an open redirect or a script link planted by whoever triggered the notification.
    """
    if value == "":
        return
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value)
    ):
        raise ValidationError(
            {"action_url": "Use a path on this site that starts with “/” (no scheme, host or spaces)."}
        )


@transaction.atomic
def notify(
    *,
    user: User,
    type: str,
    title: str,
    message: str,
    data: dict[str, Any] | None = None,
    related: models.Model | None = None,
    action_url: str = "",
    priority: str = Priority.MEDIUM,
) -> Notification | None:
    """Stores the notification for the channels the person wants for `type` and mails it after commit.

    Returns None when the person wants this type nowhere (or the account is being erased). When only
    e-mail is wanted, the row is still stored, as the record the mail task sends and marks `emailed_at`
    on, but it is born read and carries no in-app channel: it never shows in the inbox or the unread
    count, and the nightly purge removes it like any other read notification.
    """
    if type not in NotificationType.values:
        raise ValidationError({"type": f"Unknown notification type {type!r}."})
    validate_action_url(action_url or "")
    if user.deleted_at is not None:
        return None
    channels = notification_channels_for(user=user, type=type)
    if not channels:
        return None
    notification = Notification(
        user=user,
        type=type,
        title=title,
        message=message,
        data=data or {},
        action_url=action_url or "",
        priority=priority,
        channels=[c for c in (Channel.IN_APP, Channel.EMAIL) if c in channels],
        read_at=None if Channel.IN_APP in channels else timezone.now(),
    )
    if related is not None:
        notification.related_type = ContentType.objects.get_for_model(related)
        notification.related_id = str(related.pk)
    notification.full_clean(exclude=["user", "related_type"])
    notification.save()
    if Channel.EMAIL in channels:
        from ..tasks.notifications import send_notification_email

        enqueue_on_commit(send_notification_email, str(notification.pk))
    return notification


def _absolute(path: str) -> str:
    scheme = "https" if getattr(settings, "SECURE_SSL_REDIRECT", False) else "http"
    return f"{scheme}://{settings.SITE_DOMAIN}{path}"


def notification_email_send(*, notification_id: UUID | str) -> bool:
    """Mails one notification once: `emailed_at` is written in the same transaction as the send.

    The row is locked while mailing, so a duplicate task waits and then finds it already sent. False
    when there is nothing to send (gone, e-mail not wanted, already sent, account no longer usable).
    A failing mail server raises, rolls back, and the task retries.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True, channels__contains=[Channel.EMAIL])
            .first()
        )
        if notification is None:
            return False
        user = notification.user
        if not user.is_active or user.deleted_at is not None or not user.email:
            return False
        context = {
            "notification": notification,
            "user": user,
            "action_link": _absolute(notification.action_url) if notification.action_url else "",
            "preferences_link": _absolute(reverse("accounts:notification-preferences")),
        }
        send_mail(
            subject="[FitJourney] " + " ".join(notification.title.split()),  # no header injection
            message=render_to_string("accounts/notifications/email.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Reading twice keeps the first reading time."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User, type: str | None = None) -> int:
    """Marks every unread notification of the person (of one type if given) read; returns how many."""
    queryset = Notification.objects.filter(user=user).unread()
    if type:
        queryset = queryset.filter(type=type)
    return queryset.update(read_at=timezone.now())


@transaction.atomic
def notification_delete(*, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk).delete()


@transaction.atomic
def notification_preferences_update(
    *, user: User, preferences: Mapping[str, Mapping[str, bool]]
) -> list[PreferenceRow]:
    """Stores the person's choice per type, e.g. {"social": {"in_app": True, "email": False}}.

    Types not named keep their current setting. Returns the full table afterwards.
    """
    unknown = set(preferences) - set(NotificationType.values)
    if unknown:
        raise ValidationError({"preferences": f"Unknown notification types: {', '.join(sorted(unknown))}."})
    rows = []
    for kind, choice in preferences.items():
        extra = set(choice) - {"in_app", "email"}
        if extra or not all(isinstance(choice.get(key), bool) for key in ("in_app", "email")):
            raise ValidationError({"preferences": f"Give in_app and email as true or false for {kind}."})
        rows.append(NotificationPreference(user=user, type=kind, in_app=choice["in_app"], email=choice["email"]))
    if rows:
        # One statement however many types; a concurrent save of the same form simply wins or loses whole.
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "type"],
            update_fields=["in_app", "email", "updated_at"],
        )
    return notification_preferences_table(user=user)


MAIL_SWEEP_AFTER = timedelta(minutes=10)
MAIL_SWEEP_WITHIN = timedelta(days=1)
MAIL_SWEEP_BATCH = 500


def notifications_mail_sweep(*, now: datetime | None = None) -> int:
    """Queues again the mail of notifications whose task was lost (the broker was down when they were
    made): e-mail wanted, not sent, made more than MAIL_SWEEP_AFTER ago and less than a day ago (older
    news is not worth a mail). Sending is idempotent (`notification_email_send` locks and stamps the row),
    so a task that was only slow is harmless. Returns how many were queued."""
    from ..tasks.notifications import send_notification_email

    now = now or timezone.now()
    unsent = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            channels__contains=[Channel.EMAIL],
            created_at__lt=now - MAIL_SWEEP_AFTER,
            created_at__gte=now - MAIL_SWEEP_WITHIN,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:MAIL_SWEEP_BATCH]
    )  # accounts_notif_mail_unsent
    return sum(send_quietly(send_notification_email, str(pk)) for pk in unsent)


@transaction.atomic
def notifications_purge_read(*, older_than_days: int = PURGE_READ_AFTER_DAYS, now: datetime | None = None) -> int:
    """Deletes read notifications created more than `older_than_days` ago (seed 004's daily cleanup).

    Unread ones stay however old they are: nobody has seen them yet.
    """
    if older_than_days < 1:
        raise ValidationError({"older_than_days": "Keep read notifications at least one day."})
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _ = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return deleted
