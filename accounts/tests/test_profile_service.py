from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.module_loading import import_string
from PIL import Image

from accounts.adapters import SocialAccountAdapter
from accounts.erasure_guard import erasure_writes
from accounts.models import AuditAction, AuditLog, ChangedBy, Profile, ProfileVersion, User
from accounts.selectors.profiles import profile_as_of, profile_for_user
from accounts.services import role_groups_sync
from accounts.services.demo import demo_accounts_ensure
from accounts.services.profiles import (
    PROFILE_FIELDS,
    SNAPSHOT_FIELDS,
    profile_anonymise,
    profile_create,
    profile_lock,
    profile_unlock,
    profile_update,
    profile_versions_anonymise,
)
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.profile_kit import Clock, gps_exif, image_upload, noise_png_upload
from fitjourney.hooks import personal_data

pytestmark = pytest.mark.django_db


def _update(user, reason="", **changes):
    return profile_update(
        profile=profile_for_user(user=user),
        changes=changes,
        reason=reason,
        changed_by=ChangedBy.USER,
        changed_by_user=user,
    )


def _state(user) -> tuple:
    """Everything a refused change must leave alone."""
    profile = Profile.objects.values().get(user=user)
    versions = list(ProfileVersion.objects.filter(user=user).values().order_by("version"))
    return profile, versions, AuditLog.objects.filter(subject_id=user.pk).count()


# Creation


def test_every_new_account_has_a_profile_with_a_current_version_1(member):
    profile = Profile.objects.get(user=member)
    assert profile.version == 1 and not profile.is_locked
    (version,) = ProfileVersion.objects.filter(user=member)
    assert version.version == 1 and version.valid_until is None
    assert version.valid_from == profile.created_at
    assert version.changed_by == ChangedBy.SYSTEM
    assert set(version.snapshot) == set(SNAPSHOT_FIELDS)
    assert version.changed_fields == []


def test_sign_up_creates_the_profile(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "username": "newbie", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    version = ProfileVersion.objects.get(user=user)
    assert (version.version, version.changed_by, version.changed_by_user) == (1, ChangedBy.USER, user)


def test_social_sign_up_creates_the_profile(monkeypatch, rf):
    # allauth's automatic social sign-up saves the user without AccountAdapter.save_user.
    user = UserFactory(profile=False)
    monkeypatch.setattr(DefaultSocialAccountAdapter, "save_user", lambda self, request, sociallogin, form=None: user)
    assert SocialAccountAdapter().save_user(rf.get("/"), sociallogin=None) == user
    assert Profile.objects.get(user=user).version == 1


def test_demo_accounts_get_profiles_and_a_rerun_leaves_them_alone():
    role_groups_sync()
    accounts = demo_accounts_ensure()
    member = Profile.objects.get(user=accounts["member"])
    assert (member.fitness_level, member.height_m, member.version) == ("intermediate", Decimal("1.680"), 1)
    assert all(Profile.objects.filter(user=user).exists() for user in accounts.values())
    versions = ProfileVersion.objects.count()
    demo_accounts_ensure()
    assert ProfileVersion.objects.count() == versions


def test_profile_create_is_idempotent(member):
    first = Profile.objects.get(user=member)
    assert profile_create(user=member, values={"bio": "ignored"}) == first
    assert Profile.objects.get(user=member).bio == ""
    assert ProfileVersion.objects.filter(user=member).count() == 1


def test_profile_create_with_values_records_them_in_version_1():
    user = UserFactory(profile=False)
    profile = profile_create(user=user, values={"fitness_level": "beginner", "height_m": "1.8"})
    assert profile.height_m == Decimal("1.800")
    version = ProfileVersion.objects.get(user=user)
    assert version.snapshot["height_m"] == "1.800"
    assert sorted(version.changed_fields) == ["fitness_level", "height_m"]
    audit = AuditLog.objects.get(subject_id=user.pk, action=AuditAction.PROFILE_UPDATE)
    assert audit.new_values == {"fitness_level": "beginner", "height_m": "1.800"}


# Versioning


def test_a_change_makes_a_new_version_with_a_full_snapshot_and_closes_the_previous_one(member, monkeypatch):
    start = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)
    clock = Clock(monkeypatch, start)
    profile = _update(member, reason="New programme", fitness_level="intermediate", height_m=Decimal("1.72"))

    assert profile.version == 2
    assert profile.last_modified_by == ChangedBy.USER and profile.modification_reason == "New programme"
    first, second = ProfileVersion.objects.filter(user=member).order_by("version")
    assert first.valid_until == second.valid_from == start
    assert second.valid_until is None
    assert second.snapshot == {
        **first.snapshot,
        "fitness_level": "intermediate",
        "height_m": "1.720",
    }
    assert set(second.snapshot) == {*PROFILE_FIELDS, "is_locked"}
    assert second.changed_fields == ["height_m", "fitness_level"]
    assert (second.change_reason, second.changed_by, second.changed_by_user) == ("New programme", "user", member)

    clock.set(start + timedelta(days=3))
    _update(member, bio="Back at it")
    second.refresh_from_db()
    third = ProfileVersion.objects.get(user=member, version=3)
    assert second.valid_until == third.valid_from == start + timedelta(days=3)
    assert third.snapshot["fitness_level"] == "intermediate" and third.snapshot["bio"] == "Back at it"
    assert third.changed_fields == ["bio"]


def test_every_change_is_audited_with_old_and_new_values(member):
    _update(member, primary_goal="fat_loss", secondary_goal="endurance")
    audit = AuditLog.objects.get(subject_id=member.pk, action=AuditAction.PROFILE_UPDATE)
    assert audit.old_values == {"primary_goal": "", "secondary_goal": ""}
    assert audit.new_values == {"primary_goal": "fat_loss", "secondary_goal": "endurance"}
    assert audit.actor_id == member.pk and audit.entity_type == "accounts.profile"


def test_a_change_that_changes_nothing_writes_nothing(member):
    _update(member, fitness_level="advanced", height_m=Decimal("1.7"))
    before = _state(member)
    profile = _update(member, fitness_level="advanced", height_m="1.700", bio="")
    assert profile.version == 2
    assert _state(member) == before


def test_unknown_fields_are_refused(member):
    before = _state(member)
    with pytest.raises(ValidationError) as exc:
        _update(member, fitness_level="advanced", version=99, user_id=None)
    assert set(exc.value.message_dict) == {"version", "user_id"}
    assert _state(member) == before


def test_an_admin_change_records_the_staff_member(member, personas):
    profile_update(
        profile=profile_for_user(user=member),
        changes={"activity_level": "very_active"},
        reason="Corrected after the intake call",
        changed_by=ChangedBy.ADMIN,
        changed_by_user=personas.staff,
    )
    version = ProfileVersion.objects.get(user=member, version=2)
    assert (version.changed_by, version.changed_by_user) == ("admin", personas.staff)
    assert AuditLog.objects.get(subject_id=member.pk).actor_id == personas.staff.pk


def test_an_account_without_a_profile_gets_one_on_its_first_change():
    user = UserFactory(profile=False)
    profile = _update(user, bio="Hello")
    assert profile.version == 2
    assert list(ProfileVersion.objects.filter(user=user).values_list("version", flat=True)) == [2, 1]


# Locking


def test_a_locked_profile_refuses_a_change_without_a_reason_and_changes_nothing(member):
    profile_lock(profile=profile_for_user(user=member), changed_by_user=member)
    before = _state(member)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            _update(member, reason=reason, fitness_level="advanced")
        assert "reason" in exc.value.message_dict
    assert _state(member) == before

    profile = _update(member, reason="Coach moved me up", fitness_level="advanced")
    assert profile.fitness_level == "advanced" and profile.version == 3


def test_a_locked_profile_reports_the_missing_reason_with_the_field_errors(member):
    profile_lock(profile=profile_for_user(user=member), changed_by_user=member)
    with pytest.raises(ValidationError) as exc:
        _update(member, fitness_level="expert")
    assert set(exc.value.message_dict) == {"fitness_level", "reason"}


def test_locking_and_unlocking_are_recorded_changes_and_unlocking_needs_a_reason(member):
    profile = profile_lock(profile=profile_for_user(user=member), reason="Keep it steady", changed_by_user=member)
    assert profile.is_locked and profile.locked_at is not None and profile.version == 2
    version = ProfileVersion.objects.get(user=member, version=2)
    assert version.changed_fields == ["is_locked"] and version.snapshot["is_locked"] is True

    assert profile_lock(profile=profile, changed_by_user=member).version == 2  # already locked: no-op

    before = _state(member)
    with pytest.raises(ValidationError) as exc:
        profile_unlock(profile=profile, reason="", changed_by_user=member)
    assert "reason" in exc.value.message_dict
    assert _state(member) == before

    profile = profile_unlock(profile=profile, reason="Training for a race", changed_by_user=member)
    assert not profile.is_locked and profile.locked_at is None and profile.version == 3
    assert ProfileVersion.objects.get(user=member, version=3).change_reason == "Training for a race"


# Goals


@pytest.mark.parametrize(
    ("primary", "secondary", "message"),
    [
        ("fat_loss", "muscle_gain", "cannot be paired"),
        ("muscle_gain", "fat_loss", "cannot be paired"),
        ("general_fitness", "general_fitness", "must differ"),
        ("", "strength", "primary goal first"),
    ],
)
def test_incompatible_goal_pairs_are_refused_and_nothing_changes(member, primary, secondary, message):
    before = _state(member)
    with pytest.raises(ValidationError) as exc:
        _update(member, primary_goal=primary, secondary_goal=secondary)
    assert message in " ".join(exc.value.message_dict["secondary_goal"])
    assert _state(member) == before


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [("fat_loss", "endurance"), ("muscle_gain", "strength"), ("general_fitness", "fat_loss"), ("fat_loss", "")],
)
def test_compatible_goal_pairs_are_accepted(member, primary, secondary):
    profile = _update(member, primary_goal=primary, secondary_goal=secondary)
    assert (profile.primary_goal, profile.secondary_goal) == (primary, secondary)


@pytest.mark.parametrize(
    ("primary", "secondary"),
    [("fat_loss", "muscle_gain"), ("muscle_gain", "fat_loss"), ("fat_loss", "fat_loss"), ("", "strength")],
)
def test_the_database_refuses_incompatible_goals_too(member, primary, secondary):
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(user=member).update(primary_goal=primary, secondary_goal=secondary)


# Values


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"height_m": Decimal("3.1")}, "height_m"),
        ({"height_m": Decimal("0.2")}, "height_m"),
        ({"height_m": Decimal("1.7555")}, "height_m"),
        ({"birth_date": date(1899, 12, 31)}, "birth_date"),
        ({"birth_date": date.today() + timedelta(days=2)}, "birth_date"),
        ({"birth_date": "not a date"}, "birth_date"),
        ({"gender": "robot"}, "gender"),
        ({"primary_goal": "strength"}, "primary_goal"),
        ({"sleep_quality": "superb"}, "sleep_quality"),
        ({"bio": "x" * 1001}, "bio"),
        ({"location": "x" * 256}, "location"),
        ({"location": "Lis\x00bon"}, "location"),
        ({"preferences": ["a", "list"]}, "preferences"),
        ({"preferences": {"k": "v" * 5000}}, "preferences"),
        ({"preferences": {"k": "a\x00b"}}, "preferences"),
        ({"avatar": "avatars/someone-else/photo.png"}, "avatar"),
    ],
)
def test_bad_values_are_refused_on_their_field_and_nothing_changes(member, changes, field):
    before = _state(member)
    with pytest.raises(ValidationError) as exc:
        _update(member, **changes)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert _state(member) == before


def test_the_whole_preferences_object_is_stored(member):
    profile = _update(member, preferences={"workout_time": "morning", "days": [1, 3, 5]})
    assert Profile.objects.get(pk=profile.pk).preferences == {"workout_time": "morning", "days": [1, 3, 5]}
    assert ProfileVersion.objects.get(user=member, version=2).changed_fields == ["preferences"]


# Avatar


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_jpeg_png_or_webp_photo_is_stored_under_its_real_format(member, kind):
    profile = _update(member, avatar=image_upload(kind, name="holiday.php"))
    extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[kind]
    assert profile.avatar.name.startswith(f"avatars/{member.pk}/")
    assert profile.avatar.name.endswith(f".{extension}")
    with profile.avatar.open() as stored:
        assert Image.open(stored).format == kind
    version = ProfileVersion.objects.get(user=member, version=2)
    assert version.snapshot["avatar"] == profile.avatar.name and version.changed_fields == ["avatar"]


def test_the_stored_photo_loses_its_location_metadata_and_is_bounded_in_size(member):
    profile = _update(member, avatar=image_upload("JPEG", size=(2000, 1500), exif=gps_exif()))
    with profile.avatar.open() as stored:
        image = Image.open(stored)
        assert max(image.size) == 1024
        assert 0x8825 not in image.getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: noise_png_upload(), "at most 2 MB"),
        (lambda: SimpleUploadedFile("me.png", b"\x89PNG but not really" * 10, "image/png"), "JPEG, PNG or WebP"),
        (lambda: SimpleUploadedFile("notes.jpg", b"just some text", "image/jpeg"), "JPEG, PNG or WebP"),
        (lambda: image_upload("GIF"), "JPEG, PNG or WebP"),
        (lambda: image_upload("BMP"), "JPEG, PNG or WebP"),
        (lambda: image_upload("PNG", size=(5000, 40)), "at most 4096"),
        (lambda: image_upload("PNG", size=(8, 8)), "at least 32"),
        (lambda: SimpleUploadedFile("cut.png", _truncated_png(), "image/png"), "JPEG, PNG or WebP"),
    ],
)
def test_a_bad_photo_is_refused_with_a_clear_message_and_nothing_changes(member, upload, message):
    before = _state(member)
    with pytest.raises(ValidationError) as exc:
        _update(member, avatar=upload())
    assert message in " ".join(exc.value.message_dict["avatar"])
    assert _state(member) == before


def _truncated_png() -> bytes:
    from accounts.tests.profile_kit import image_bytes

    data = image_bytes("PNG", size=(300, 300))
    return data[: len(data) // 2]


def test_removing_the_photo_is_a_change(member):
    _update(member, avatar=image_upload())
    profile = _update(member, avatar="")
    assert not profile.avatar and profile.version == 3
    version = ProfileVersion.objects.get(user=member, version=3)
    assert version.changed_fields == ["avatar"] and version.snapshot["avatar"] == ""


# As of


def test_profile_as_of_returns_the_version_valid_at_that_moment(member, monkeypatch):
    start = datetime(2031, 1, 1, tzinfo=UTC)
    clock = Clock(monkeypatch, start)
    created = profile_for_user(user=member).created_at
    clock.set(start + timedelta(days=10))
    _update(member, fitness_level="beginner")
    clock.set(start + timedelta(days=31))
    _update(member, fitness_level="intermediate")

    def fitness(at):
        version = profile_as_of(user=member, at=at)
        return version and (version.version, version.snapshot["fitness_level"])

    assert profile_as_of(user=member, at=created - timedelta(seconds=1)) is None
    assert fitness(created) == (1, "")
    assert fitness(start + timedelta(days=10) - timedelta(microseconds=1)) == (1, "")
    assert fitness(start + timedelta(days=10)) == (2, "beginner")  # valid_from is inclusive
    assert fitness(start + timedelta(days=20)) == (2, "beginner")
    assert fitness(start + timedelta(days=31)) == (3, "intermediate")  # valid_until is exclusive
    assert fitness(start + timedelta(days=3650)) == (3, "intermediate")


def test_profile_as_of_never_returns_another_persons_version(member, personas):
    _update(personas.other_member, bio="theirs")
    version = profile_as_of(user=member, at=datetime(2100, 1, 1, tzinfo=UTC))
    assert version.user_id == member.pk and version.snapshot["bio"] == ""


# The trigger


def test_versions_cannot_be_updated_or_deleted_outside_erasure(member):
    _update(member, bio="first")
    old = ProfileVersion.objects.get(user=member, version=1)
    current = ProfileVersion.objects.get(user=member, version=2)
    rows = ProfileVersion.objects.filter(pk=old.pk)
    for change in (
        lambda: rows.update(snapshot={"bio": "rewritten"}),
        lambda: rows.update(change_reason="made up"),
        lambda: rows.update(valid_until=None),  # reopening a closed version
        lambda: rows.update(valid_from=old.valid_from - timedelta(days=1)),
        lambda: rows.delete(),
        lambda: ProfileVersion.objects.filter(pk=current.pk).update(changed_by="admin", valid_until=current.valid_from),
    ):
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            change()
    assert ProfileVersion.objects.get(pk=old.pk).snapshot == old.snapshot


def test_the_trigger_lets_only_the_current_version_be_closed(member):
    current = ProfileVersion.objects.get(user=member, valid_until__isnull=True)
    ProfileVersion.objects.filter(pk=current.pk).update(valid_until=current.valid_from + timedelta(hours=1))
    current.refresh_from_db()
    assert current.valid_until is not None


def test_inside_erasure_the_trigger_lets_versions_be_redacted_and_deleted(member):
    with erasure_writes():
        ProfileVersion.objects.filter(user=member).update(change_reason="redacted")
        assert ProfileVersion.objects.filter(user=member).delete()[0] == 1


# Erasure


def test_the_registry_names_our_erasers():
    assert import_string(personal_data.entry_for(Profile).erase) is profile_anonymise
    assert import_string(personal_data.entry_for(ProfileVersion).erase) is profile_versions_anonymise


def test_profile_anonymise_blanks_every_personal_field_and_deletes_the_photos(
    member, django_capture_on_commit_callbacks
):
    _update(member, avatar=image_upload())
    old_photo = Profile.objects.get(user=member).avatar
    _update(
        member,
        avatar=image_upload("JPEG"),
        birth_date=date(1990, 5, 1),
        gender="female",
        height_m=Decimal("1.65"),
        bio="Runner",
        location="Porto",
        activity_level="very_active",
        fitness_level="advanced",
        primary_goal="fat_loss",
        secondary_goal="endurance",
        energy_level="high",
        stress_level="low",
        sleep_quality="good",
        preferences={"workout_time": "morning"},
    )
    profile = profile_lock(profile=profile_for_user(user=member), reason="mine", changed_by_user=member)
    storage = profile.avatar.storage
    photos = [old_photo.name, profile.avatar.name]
    assert all(storage.exists(name) for name in photos)

    with django_capture_on_commit_callbacks(execute=True):
        profile_anonymise(member)

    profile.refresh_from_db()
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        assert value in (None, "", {}) or (name == "avatar" and not value), name
    assert not profile.is_locked and profile.modification_reason == ""
    assert not any(storage.exists(name) for name in photos)


def test_profile_versions_anonymise_redacts_snapshots_and_reasons_but_keeps_the_timeline(member):
    _update(member, bio="Something personal", location="Home town", reason="Because of my knee")
    profile_versions_anonymise(member)
    versions = list(ProfileVersion.objects.filter(user=member).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    for version in versions:
        assert version.change_reason == ""
        assert all(value in (None, "", {}, False) for value in version.snapshot.values())
    assert versions[1].changed_fields == ["bio", "location"]
    assert versions[0].valid_until == versions[1].valid_from


def test_the_erasers_touch_nobody_else(member, personas):
    _update(personas.other_member, bio="keep me", reason="mine")
    profile_anonymise(member)
    profile_versions_anonymise(member)
    assert Profile.objects.get(user=personas.other_member).bio == "keep me"
    assert ProfileVersion.objects.get(user=personas.other_member, version=2).change_reason == "mine"


def test_after_creation_the_person_points_at_the_saved_profile():
    from accounts.models import Profile
    from accounts.services.profiles import profile_create
    from accounts.tests.factories import UserFactory

    user = UserFactory(profile=False)
    profile = profile_create(user=user)
    assert user.profile.pk == profile.pk == Profile.objects.get(user=user).pk
