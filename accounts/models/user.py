from __future__ import annotations

import uuid
import zoneinfo
from datetime import date
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.timezone import localdate, now


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a known time zone.", params={"value": value})


class UnitSystem(models.TextChoices):
    METRIC = "metric", "Metric (kg, cm, km)"
    IMPERIAL = "imperial", "Imperial (lb, in, mi)"


class DateFormat(models.TextChoices):
    ISO = "Y-m-d", "2026-11-22"
    DAY_FIRST = "d/m/Y", "22/11/2026"
    MONTH_FIRST = "m/d/Y", "11/22/2026"
    LONG = "j M Y", "22 Nov 2026"


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DELETED = "deleted", "Deleted"


class Language(models.TextChoices):
    ENGLISH = "en", "English"


class UserQuerySet(models.QuerySet):
    def live(self) -> UserQuerySet:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> UserQuerySet:
        return self.filter(deleted_at__isnull=False)


class UserManager(BaseUserManager["User"]):
    """The default manager: people who have not deleted their account."""

    use_in_migrations = True
    _queryset_class = UserQuerySet

    def get_queryset(self) -> UserQuerySet:
        # Manager.get_queryset builds a _queryset_class.
        return cast(UserQuerySet, super().get_queryset()).live()

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are unique regardless of case, so login is too.
        return self.get(email__iexact=username)

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        fields.setdefault("username", email.split("@")[0])
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


class AllUsersManager(models.Manager["User"]):
    """Every account, including deleted ones awaiting erasure (admin, erasure tasks)."""

    _queryset_class = UserQuerySet

    def get_queryset(self) -> UserQuerySet:
        return cast(UserQuerySet, super().get_queryset())


def normalize_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("e-mail address", max_length=255)
    username = models.CharField(
        max_length=50,
        validators=[UnicodeUsernameValidator(), MinLengthValidator(3)],
        help_text="3–50 characters: letters, digits and @/./+/-/_ only.",
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    timezone = models.CharField("time zone", max_length=64, default="UTC", validators=[validate_timezone])
    language = models.CharField(max_length=10, choices=Language, default=Language.ENGLISH)
    unit_system = models.CharField(max_length=10, choices=UnitSystem, default=UnitSystem.METRIC)
    date_format = models.CharField(max_length=10, choices=DateFormat, default=DateFormat.ISO)
    account_status = models.CharField(max_length=20, choices=AccountStatus, default=AccountStatus.ACTIVE)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("staff status", default=False, help_text="May log in to the admin site.")
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Seed 003 users.onboarding_completed(_at): set when the intake (coaching) is confirmed, cleared when
    # staff reset it. Kept on the account so every page can tell, without a query, whether to lead there.
    intake_completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()
    all_objects = AllUsersManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    class Meta:
        ordering = ["email"]
        base_manager_name = "all_objects"
        constraints = [
            # Login is by e-mail, case-insensitively: "Ann@x.io" and "ann@x.io" are one person.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="An account with this e-mail address already exists.",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="That username is taken.",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("username"), 3), name="accounts_user_username_min_length"
            ),
            models.CheckConstraint(
                condition=Q(unit_system__in=UnitSystem.values), name="accounts_user_unit_system_valid"
            ),
            models.CheckConstraint(
                condition=Q(date_format__in=DateFormat.values), name="accounts_user_date_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(account_status__in=AccountStatus.values),
                name="accounts_user_account_status_valid",
            ),
            # A soft-deleted account is exactly one whose status says so.
            models.CheckConstraint(
                condition=(Q(deleted_at__isnull=True) & ~Q(account_status=AccountStatus.DELETED))
                | (Q(deleted_at__isnull=False) & Q(account_status=AccountStatus.DELETED)),
                name="accounts_user_deleted_consistent",
            ),
        ]
        indexes = [
            # Login and duplicate checks (`email__iexact` compiles to UPPER(email) = UPPER(%s)).
            models.Index(Upper("email"), condition=Q(deleted_at__isnull=True), name="accounts_user_email_live"),
            models.Index(fields=["created_at"], name="accounts_user_created"),
            # The admin's list of accounts awaiting erasure.
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="accounts_user_deleted"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email or "")
        # The case-insensitive unique constraints, reported on their fields rather than the form.
        others = User.all_objects.exclude(pk=self.pk)
        errors = {}
        if self.username and others.filter(username__iexact=self.username).exists():
            errors["username"] = "That username is taken."
        if self.email and others.filter(email__iexact=self.email).exists():
            errors["email"] = "An account with this e-mail address already exists."
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.username

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_today(self) -> date:
        return localdate(now(), self.zone)
