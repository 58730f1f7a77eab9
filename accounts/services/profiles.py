"""Writes for the profile (seed 003): every change is an immutable ProfileVersion and an audit entry.

The profile row is the current state; ProfileVersion rows are the history, each a full snapshot valid
from its `valid_from` until the next version's `valid_from`. A locked profile changes only with a
reason ("no silent changes").
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..avatars import avatar_clean
from ..erasure_guard import erasure_writes
from ..models import INCOMPATIBLE_GOALS, AuditAction, ChangedBy, Profile, ProfileVersion, User
from .audit import AuditContext, audit_origin, audit_record

# The profile's content, the fields profile_update accepts: versioned, snapshotted, exported. The page's
# form, the API's serializers and the admin take their field lists from here.
PROFILE_FIELDS = (
    "birth_date",
    "gender",
    "height_m",
    "bio",
    "location",
    "avatar",
    "activity_level",
    "fitness_level",
    "primary_goal",
    "secondary_goal",
    "energy_level",
    "stress_level",
    "sleep_quality",
    "preferences",
)
# What a version snapshots: the profile's content, and whether it was locked at the time.
SNAPSHOT_FIELDS = (*PROFILE_FIELDS, "is_locked")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
PREFERENCES_MAX_CHARS = 4000
REASON_MAX_CHARS = 1000


def _blank_values() -> dict[str, Any]:
    """Every profile field emptied (None where the column allows it, else "" or {}): what erasure leaves."""
    fields = {field.name: field for field in Profile._meta.concrete_fields}
    return {name: None if fields[name].null else fields[name].get_default() for name in PROFILE_FIELDS}


BLANK_VALUES = _blank_values()

LOCKED_NEEDS_REASON = "Your profile is locked: say why you are changing it."
UNLOCK_NEEDS_REASON = "Say why you are unlocking your profile."


def profile_snapshot(profile: Profile) -> dict[str, Any]:
    """The profile's content as JSON values (dates ISO, height a decimal string, avatar its file name)."""
    snapshot: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(profile, name)
        if name == "avatar":
            value = value.name or ""
        elif name == "birth_date":
            value = value.isoformat() if value else None
        elif name == "height_m":
            value = None if value is None else f"{value:.3f}"
        snapshot[name] = value
    return snapshot


def _check_changed_by(changed_by: str) -> None:
    if changed_by not in ChangedBy.values:
        raise ValueError(f"changed_by must be one of {ChangedBy.values}, not {changed_by!r}")


def _apply_changes(profile: Profile, changes: dict[str, Any]) -> dict[str, list[str]]:
    """Sets the new values on `profile` (not saved) and returns the field errors.

    The field checks run in Python (Model.clean_fields) and the cross-field rules below report on the
    field a person would correct. The CheckConstraints in the database stay the last line; we do not
    have Django re-run them here (it would cost one SELECT per constraint on every save).
    """
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    for name in unknown:
        errors[name] = ["This field cannot be changed here."]
    for name, value in changes.items():
        if name in unknown:
            continue
        if name == "avatar":
            if isinstance(value, File) and not getattr(value, "_committed", False):
                try:
                    profile.avatar = avatar_clean(value)
                except ValidationError as exc:
                    errors["avatar"] = exc.messages
            elif value in (None, "", False):
                profile.avatar = ""
            elif isinstance(value, File) and value.name == profile.avatar.name:
                pass  # the current photo, handed back unchanged (e.g. by a form)
            else:
                errors["avatar"] = ["Upload a file, or send an empty value to remove the photo."]
            continue
        if isinstance(value, str) and "\x00" in value:
            errors[name] = ["Null characters are not allowed."]
            continue
        setattr(profile, name, value)

    try:
        profile.clean_fields(exclude=["user", "avatar", *errors])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)

    if "secondary_goal" not in errors and "primary_goal" not in errors:
        primary, secondary = profile.primary_goal, profile.secondary_goal
        if secondary and not primary:
            errors["secondary_goal"] = ["Choose a primary goal first."]
        elif secondary and secondary == primary:
            errors["secondary_goal"] = ["The secondary goal must differ from the primary goal."]
        elif (primary, secondary) in INCOMPATIBLE_GOALS:
            errors["secondary_goal"] = ["Fat loss and muscle gain cannot be paired: choose one as the primary goal."]

    if "birth_date" not in errors and profile.birth_date:
        if profile.birth_date < EARLIEST_BIRTH_DATE:
            errors["birth_date"] = ["Enter a birth date from 1900 on."]
        # "Today" in the person's own time zone, as their calendar shows it.
        elif profile.birth_date > profile.user.local_today():
            errors["birth_date"] = ["The birth date cannot be in the future."]

    if "preferences" not in errors:
        preferences = profile.preferences
        if not isinstance(preferences, dict):
            errors["preferences"] = ["Preferences must be a JSON object."]
        else:
            encoded = json.dumps(preferences)
            if len(encoded) > PREFERENCES_MAX_CHARS:
                errors["preferences"] = [f"Preferences may take at most {PREFERENCES_MAX_CHARS} characters."]
            elif "\\u0000" in encoded:
                errors["preferences"] = ["Null characters are not allowed."]
    return errors


def profile_changes_validate(*, profile: Profile, changes: dict[str, Any]) -> None:
    """Raises the field errors profile_update would raise for `changes`, changing nothing.

    For forms that must report errors before they save (the admin's).
    """
    errors = _apply_changes(copy.copy(profile), changes)
    if errors:
        raise ValidationError(errors)


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if "\x00" in reason:
        raise ValidationError({"reason": "Null characters are not allowed."})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({"reason": f"At most {REASON_MAX_CHARS} characters."})
    return reason


def _record_change(
    *,
    profile: Profile,
    before: dict[str, Any],
    reason: str,
    changed_by: str,
    changed_by_user: User | None,
    audit: AuditContext | None,
    update_fields: list[str],
) -> Profile:
    """Saves `profile` as the next version: closes the current version, opens a new one, audits.

    The caller holds the profile's row lock, so versions are numbered and dated one after another.
    """
    current = (
        ProfileVersion.objects.select_for_update()
        .filter(user_id=profile.user_id, valid_until__isnull=True)
        .only("id", "valid_from")
        .first()
    )
    # Never before the version it follows, even if this server's clock is behind the last writer's.
    at = max(timezone.now(), current.valid_from) if current else timezone.now()

    profile.version += 1
    profile.last_modified_by = changed_by
    profile.modification_reason = reason
    profile.save(update_fields=[*update_fields, "version", "last_modified_by", "modification_reason", "updated_at"])
    after = profile_snapshot(profile)
    changed = [name for name in SNAPSHOT_FIELDS if before[name] != after[name]]

    if current is not None:
        ProfileVersion.objects.filter(pk=current.pk).update(valid_until=at)
    ProfileVersion.objects.create(
        user_id=profile.user_id,
        version=profile.version,
        snapshot=after,
        changed_fields=changed,
        change_reason=reason,
        changed_by=changed_by,
        changed_by_user=changed_by_user,
        valid_from=at,
    )
    audit_record(
        action=AuditAction.PROFILE_UPDATE,
        actor=changed_by_user,
        subject=profile.user,
        entity=profile,
        old_values={name: before[name] for name in changed},
        new_values={name: after[name] for name in changed},
        actor_label=changed_by if changed_by_user is None else "",
        context=audit_origin(audit),
    )
    return profile


@transaction.atomic
def profile_create(
    *,
    user: User,
    changed_by: str = ChangedBy.SYSTEM,
    changed_by_user: User | None = None,
    values: dict[str, Any] | None = None,
    reason: str = "",
) -> Profile:
    """Creates the person's profile with version 1. Returns the existing profile if there is one.

    Called when an account is created (sign-up, social sign-up, factories, demo accounts). Being
    idempotent lets a retried sign-up, a re-run of the demo data or a first save race safely.
    """
    _check_changed_by(changed_by)
    existing = Profile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    reason = _clean_reason(reason)
    profile = Profile(user=user, last_modified_by=changed_by, modification_reason=reason)
    errors = _apply_changes(profile, values or {})
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            profile.save(force_insert=True)
    except IntegrityError:
        existing = Profile.objects.filter(user=user).first()
        if existing is None:
            raise
        return existing

    snapshot = profile_snapshot(profile)
    # An unattached blank: Profile(user=user) would replace `user.profile` with an unsaved object.
    blank = profile_snapshot(Profile())
    given = [name for name in SNAPSHOT_FIELDS if snapshot[name] != blank[name]]
    ProfileVersion.objects.create(
        user=user,
        version=profile.version,
        snapshot=snapshot,
        changed_fields=given,
        change_reason=reason,
        changed_by=changed_by,
        changed_by_user=changed_by_user,
        valid_from=profile.created_at,
    )
    if given:
        # An empty profile records nothing personal; version 1 already says when it began.
        audit_record(
            action=AuditAction.PROFILE_UPDATE,
            actor=changed_by_user,
            subject=user,
            entity=profile,
            old_values={},
            new_values={name: snapshot[name] for name in given},
            actor_label=changed_by if changed_by_user is None else "",
        )
    return profile


def _locked_profile(profile: Profile) -> Profile:
    """The profile re-read under a row lock (created first if this account never had one)."""
    if profile._state.adding:
        profile = profile_create(user=profile.user)
    locked = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    return locked


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    changes: dict[str, Any],
    reason: str = "",
    changed_by: str,
    changed_by_user: User | None,
    audit: AuditContext | None = None,
    lock: bool = False,
) -> Profile:
    """Applies `changes` ({field: new value}) as one new version and returns the saved profile.

    Nothing is written when nothing changes. `avatar` takes an uploaded file (validated and
    re-encoded, see accounts.avatars) or an empty value to remove the photo. `lock` also locks the
    profile in that same version (the intake's confirmation: the answers and the lock are one version).
    """
    _check_changed_by(changed_by)
    reason = _clean_reason(reason)
    profile = _locked_profile(profile)
    was_locked = profile.is_locked
    before = profile_snapshot(profile)
    errors = _apply_changes(profile, changes)
    if errors:
        if was_locked and not reason:
            errors["reason"] = [LOCKED_NEEDS_REASON]
        raise ValidationError(errors)
    if lock and not was_locked:
        profile.is_locked = True
        profile.locked_at = timezone.now()
    if profile_snapshot(profile) == before:
        return profile
    if was_locked and not reason:
        raise ValidationError({"reason": [LOCKED_NEEDS_REASON]})

    update_fields = [name for name in PROFILE_FIELDS if name in changes]
    if lock and not was_locked:
        update_fields += ["is_locked", "locked_at"]
    return _record_change(
        profile=profile,
        before=before,
        reason=reason,
        changed_by=changed_by,
        changed_by_user=changed_by_user,
        audit=audit,
        update_fields=update_fields,
    )


@transaction.atomic
def profile_lock(
    *,
    profile: Profile,
    reason: str = "",
    changed_by: str = ChangedBy.USER,
    changed_by_user: User | None = None,
    audit: AuditContext | None = None,
) -> Profile:
    """Locks the profile (a recorded change); from now on every change needs a reason."""
    _check_changed_by(changed_by)
    reason = _clean_reason(reason)
    profile = _locked_profile(profile)
    if profile.is_locked:
        return profile
    before = profile_snapshot(profile)
    profile.is_locked = True
    profile.locked_at = timezone.now()
    return _record_change(
        profile=profile,
        before=before,
        reason=reason,
        changed_by=changed_by,
        changed_by_user=changed_by_user,
        audit=audit,
        update_fields=["is_locked", "locked_at"],
    )


@transaction.atomic
def profile_unlock(
    *,
    profile: Profile,
    reason: str,
    changed_by: str = ChangedBy.USER,
    changed_by_user: User | None = None,
    audit: AuditContext | None = None,
) -> Profile:
    """Unlocks the profile. Like any change to a locked profile, it needs a reason."""
    _check_changed_by(changed_by)
    reason = _clean_reason(reason)
    profile = _locked_profile(profile)
    if not profile.is_locked:
        return profile
    if not reason:
        raise ValidationError({"reason": UNLOCK_NEEDS_REASON})
    before = profile_snapshot(profile)
    profile.is_locked = False
    profile.locked_at = None
    return _record_change(
        profile=profile,
        before=before,
        reason=reason,
        changed_by=changed_by,
        changed_by_user=changed_by_user,
        audit=audit,
        update_fields=["is_locked", "locked_at"],
    )


def _avatar_files_delete(user_id: UUID) -> None:
    """Deletes every stored photo of the person (current, earlier versions', any orphan)."""
    storage = Profile.avatar.field.storage
    folder = f"avatars/{user_id}"
    try:
        _, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        storage.delete(f"{folder}/{name}")


def profile_anonymise(user: User) -> None:
    """The personal-data registry's eraser for Profile: blanks every personal field, deletes the photos.

    The files go once the erasure commits, so a rolled-back erasure never leaves broken photos.
    """
    with transaction.atomic():
        Profile.objects.filter(user=user).update(
            **BLANK_VALUES,
            is_locked=False,
            locked_at=None,
            modification_reason="",
            last_modified_by=ChangedBy.SYSTEM,
            updated_at=timezone.now(),
        )
        user_id = user.pk
        transaction.on_commit(lambda: _avatar_files_delete(user_id))


def profile_versions_anonymise(user: User) -> None:
    """The eraser for ProfileVersion: redacts every snapshot and reason (allowed only during erasure).

    The rows stay, with their numbers, dates and which fields changed: nothing personal is left.
    """
    blank = {**BLANK_VALUES, "is_locked": False}
    with erasure_writes():
        ProfileVersion.objects.filter(user=user).update(snapshot=blank, change_reason="")


__all__ = [
    "BLANK_VALUES",
    "PROFILE_FIELDS",
    "SNAPSHOT_FIELDS",
    "profile_anonymise",
    "profile_changes_validate",
    "profile_create",
    "profile_lock",
    "profile_snapshot",
    "profile_unlock",
    "profile_update",
    "profile_versions_anonymise",
]
