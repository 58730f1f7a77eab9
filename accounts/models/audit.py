from __future__ import annotations

import uuid

from django.db import models


class AuditAction(models.TextChoices):
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGOUT = "logout", "Logged out"
    PASSWORD_CHANGE = "password_change", "Changed password"
    SETTINGS_UPDATE = "settings_update", "Changed settings"
    PROFILE_UPDATE = "profile_update", "Changed profile"
    TOKEN_CREATE = "token_create", "Created an API token"
    TOKEN_REVOKE = "token_revoke", "Revoked an API token"
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", "Signed out everywhere"
    EXPORT_REQUEST = "export_request", "Requested a data export"
    EXPORT_DOWNLOAD = "export_download", "Downloaded a data export"
    ACCOUNT_ERASE = "account_erase", "Deleted the account"
    ACCOUNT_PURGE = "account_purge", "Account data removed for good"
    ADMIN_ADD = "admin_add", "Staff added"
    ADMIN_CHANGE = "admin_change", "Staff changed"
    ADMIN_DELETE = "admin_delete", "Staff deleted"
    CLIENT_DATA_VIEW = "client_data_view", "Your trainer opened your data"


# What a person sees on their settings page as their security events.
SECURITY_ACTIONS = (
    AuditAction.LOGIN,
    AuditAction.LOGIN_FAILED,
    AuditAction.LOGOUT,
    AuditAction.PASSWORD_CHANGE,
    AuditAction.TOKEN_CREATE,
    AuditAction.TOKEN_REVOKE,
    AuditAction.SIGN_OUT_EVERYWHERE,
)


class AuditLog(models.Model):
    """Who did what, when and from where (seeds 000, 001, 003). Append-only.

    A database trigger refuses UPDATE and DELETE; the one exception is erasure, which may redact the
    personal values of the erased person's rows (see accounts.services.audit). People are stored by id,
    not foreign key, so rows outlive the accounts they mention.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor_id = models.UUIDField(null=True, blank=True, db_index=False, help_text="Who did it (empty: the system).")
    actor_label = models.CharField(max_length=255, blank=True, help_text="The actor's e-mail at the time.")
    subject_id = models.UUIDField(null=True, blank=True, help_text="Whose data it concerns.")
    action = models.CharField(max_length=30, choices=AuditAction)
    entity_type = models.CharField(max_length=100, blank=True)
    entity_id = models.CharField(max_length=64, blank=True)
    old_values = models.JSONField(null=True, blank=True)
    new_values = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    redacted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # A person's own security events; staff looking up one person.
            models.Index(fields=["subject_id", "-created_at"], name="accounts_audit_subject"),
            models.Index(fields=["actor_id", "-created_at"], name="accounts_audit_actor"),
            # Seed 000 idx_audit_logs_entity: the history of one object.
            models.Index(fields=["entity_type", "entity_id"], name="accounts_audit_entity"),
            models.Index(fields=["action", "-created_at"], name="accounts_audit_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor_label or 'system'}"
