from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from .user import User


class TokenScope(models.TextChoices):
    """What a personal access token may do. A browser session is never limited by scopes.

    `read` allows safe requests (GET, HEAD, OPTIONS), `write` the others and includes `read`,
    `tokens` allows managing tokens (list, create, revoke) with the token itself.
    """

    READ = "read", "Read your data"
    WRITE = "write", "Change your data"
    TOKENS = "tokens", "Manage API tokens"


# What a token gets when nobody chose (and what tokens made before scopes existed got).
DEFAULT_TOKEN_SCOPES = (TokenScope.READ.value, TokenScope.WRITE.value)


def default_token_scopes() -> list[str]:
    return list(DEFAULT_TOKEN_SCOPES)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or now())


class ApiToken(models.Model):
    """A personal access token for the API (seed refresh_tokens). Only its SHA-256 is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("device name", max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters.")
    device_info = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now, editable=False)
    scopes = ArrayField(
        models.CharField(max_length=20, choices=TokenScope.choices),
        default=default_token_scopes,
        help_text="What the token may do: read, write (includes read), tokens (manage tokens).",
    )
    # The token that created this one over the API (empty when made on the settings page, with a
    # password or by a session). Revoking a token revokes everything it created, recursively.
    # SET_NULL: a parent is only purged once it is dead, and its children (never outliving it) are too.
    created_by_token = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="created_tokens", editable=False
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="accounts_apitoken_expires_after_created"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="accounts_apitoken_revoked_after_created",
            ),
            models.CheckConstraint(
                condition=Q(scopes__contained_by=TokenScope.values), name="accounts_apitoken_scopes_known"
            ),
            # A token that can do nothing is a mistake (length 0, not NULL: Django's __len coalesces).
            models.CheckConstraint(condition=Q(scopes__len__gt=0), name="accounts_apitoken_scopes_not_empty"),
            models.CheckConstraint(
                condition=~Q(scopes__contains=[TokenScope.WRITE.value]) | Q(scopes__contains=[TokenScope.READ.value]),
                name="accounts_apitoken_write_includes_read",
            ),
            models.CheckConstraint(
                condition=~Q(created_by_token=models.F("id")), name="accounts_apitoken_not_own_parent"
            ),
        ]
        indexes = [
            # The settings page and /api/v1/tokens/ list a person's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="accounts_apitoken_user_created"),
            # The nightly purge of expired tokens.
            models.Index(fields=["expires_at"], name="accounts_apitoken_expires"),
        ]
        # created_by_token gets Django's foreign-key index: revoking walks it down (recursive CTE).

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "active"
