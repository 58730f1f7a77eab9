from __future__ import annotations

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from .user import User


class NotificationType(models.TextChoices):
    """The union of seeds 001 and 004; apps pick the closest."""

    WORKOUT = "workout", "Workouts"
    SCHEDULE = "schedule", "Bookings and schedule"
    REMINDER = "reminder", "Reminders"
    PROGRESS = "progress", "Progress"
    ACHIEVEMENT = "achievement", "Achievements"
    SOCIAL = "social", "Community"
    MESSAGE = "message", "Messages"
    SECURITY = "security", "Account security"
    SYSTEM = "system", "FitJourney news"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "E-mail"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    type = models.CharField(max_length=20, choices=NotificationType)
    title = models.CharField(max_length=255)
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    # The object the notification is about (a booking, a record, a post…), any app's.
    related_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    related_id = models.CharField(max_length=64, blank=True)
    related_object = GenericForeignKey("related_type", "related_id")
    action_url = models.CharField(max_length=500, blank=True)
    priority = models.CharField(max_length=10, choices=Priority, default=Priority.MEDIUM)
    channels = ArrayField(
        models.CharField(max_length=10, choices=Channel), default=list, blank=True, help_text="Where it was sent."
    )
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=NotificationType.values), name="accounts_notification_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="accounts_notification_priority_valid"
            ),
        ]
        indexes = [
            # The inbox: a person's notifications, newest first.
            models.Index(fields=["user", "-created_at"], name="accounts_notif_user_created"),
            # The unread count in the navigation (seed 004 idx_notifications_unread).
            models.Index(
                fields=["user", "-created_at"], condition=Q(read_at__isnull=True), name="accounts_notif_unread"
            ),
            # The nightly purge of read notifications older than 30 days.
            models.Index(fields=["read_at"], condition=Q(read_at__isnull=False), name="accounts_notif_read_at"),
            # The sweep of mail whose task was lost (the broker was down): e-mail wanted, not sent yet.
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True, channels__contains=["email"]),
                name="accounts_notif_mail_unsent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Per type and channel: whether the person wants it. No row means the type's default."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    type = models.CharField(max_length=20, choices=NotificationType)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "type"], name="accounts_notifpref_unique_type"),
            models.CheckConstraint(condition=Q(type__in=NotificationType.values), name="accounts_notifpref_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.type}"
