from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import ClassVar, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from ..private_storage import private_storage
from .user import User, UserManager, UserQuerySet


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    RUNNING = "running", "Being built"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class DataExport(models.Model):
    """A request for everything FitJourney holds about a person (right of access).

    The zip lives in private storage; the download works once, for its owner, within 7 days.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=20, choices=ExportStatus, default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="exports/", storage=private_storage, blank=True, max_length=255)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # When the build last moved (claimed, progress written, requeued): the sweep restarts an export
    # that has not moved for DATA_EXPORT_STALL_MINUTES (a worker died), and only a moving one blocks
    # asking again.
    progress_at = models.DateTimeField(default=now)
    # Builds started: each start takes the next number and only the run holding the latest one may
    # write progress or finish (a run that was replaced stops). Bounded by DATA_EXPORT_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="accounts_dataexport_progress_range"),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="accounts_dataexport_status_valid"
            ),
            # One export in the making per person at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]),
                name="accounts_dataexport_one_in_progress",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-requested_at"], name="accounts_export_user"),
            # The nightly expiry of ready exports.
            models.Index(fields=["expires_at"], condition=Q(status="ready"), name="accounts_export_expiring"),
            # The sweep of stalled exports (every two minutes): only the few in the making are indexed.
            models.Index(
                fields=["progress_at"],
                condition=Q(status__in=[ExportStatus.PENDING, ExportStatus.RUNNING]),
                name="accounts_export_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.id} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (ExportStatus.PENDING, ExportStatus.RUNNING)

    def is_stalled(self, at: datetime | None = None) -> bool:
        """In the making but not moved for DATA_EXPORT_STALL_MINUTES: the sweep restarts it, and it does
        not stop the person from asking again."""
        cutoff = (at or now()) - timedelta(minutes=settings.DATA_EXPORT_STALL_MINUTES)
        return self.in_progress and self.progress_at <= cutoff

    @property
    def is_expired(self) -> bool:
        return self.status == ExportStatus.EXPIRED or (self.expires_at is not None and self.expires_at <= now())

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.READY and not self.is_expired


class PendingErasureManager(UserManager):
    """Only the erased accounts (User.objects' opposite)."""

    use_in_migrations = False

    def get_queryset(self) -> UserQuerySet:
        # Not UserManager's (live people only): every account, then the erased ones.
        return cast(UserQuerySet, models.Manager.get_queryset(self)).deleted()


class PendingErasure(User):
    """Erased accounts waiting for the purge, for staff (the admin lists them with their purge date).

    The rows are the anonymised User rows themselves; after the grace period the purge deletes them.
    """

    objects: ClassVar[PendingErasureManager] = PendingErasureManager()

    class Meta:
        proxy = True
        default_manager_name = "objects"
        ordering = ["deleted_at"]
        verbose_name = "account awaiting erasure"
        verbose_name_plural = "accounts awaiting erasure"
