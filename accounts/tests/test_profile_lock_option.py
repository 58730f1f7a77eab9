"""profile_update(lock=True): the changes and the lock as one version (the intake's confirmation)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import ChangedBy, Profile, ProfileVersion
from accounts.services.profiles import profile_lock, profile_update
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _profile(user) -> Profile:
    return Profile.objects.get(user=user)


def test_changes_and_the_lock_are_one_version():
    user = UserFactory()
    profile = profile_update(
        profile=_profile(user),
        changes={"fitness_level": "advanced", "birth_date": dt.date(1980, 1, 2)},
        changed_by=ChangedBy.USER,
        changed_by_user=user,
        lock=True,
    )
    assert profile.is_locked and profile.locked_at is not None and profile.version == 2
    version = ProfileVersion.objects.get(user=user, version=2)
    assert version.snapshot["is_locked"] is True and version.snapshot["fitness_level"] == "advanced"
    assert set(version.changed_fields) == {"fitness_level", "birth_date", "is_locked"}
    assert ProfileVersion.objects.filter(user=user).count() == 2


def test_locking_alone_is_a_change():
    user = UserFactory()
    profile = profile_update(profile=_profile(user), changes={}, changed_by=ChangedBy.USER, changed_by_user=user,
                             lock=True)  # fmt: skip
    assert profile.is_locked and profile.version == 2


def test_without_lock_nothing_changes_in_behaviour():
    user = UserFactory()
    profile = profile_update(
        profile=_profile(user), changes={"bio": "Hi"}, changed_by=ChangedBy.USER, changed_by_user=user
    )
    assert not profile.is_locked and profile.version == 2
    assert profile_update(profile=profile, changes={"bio": "Hi"}, changed_by=ChangedBy.USER,
                          changed_by_user=user).version == 2  # fmt: skip


def test_an_already_locked_profile_still_needs_a_reason():
    user = UserFactory()
    profile_lock(profile=_profile(user))
    with pytest.raises(ValidationError) as error:
        profile_update(profile=_profile(user), changes={"bio": "x"}, changed_by=ChangedBy.USER, changed_by_user=user,
                       lock=True)  # fmt: skip
    assert "reason" in error.value.message_dict
    profile = profile_update(profile=_profile(user), changes={"bio": "x"}, changed_by=ChangedBy.USER,
                             changed_by_user=user, lock=True, reason="Intake")  # fmt: skip
    assert profile.is_locked and profile.bio == "x"


def test_refused_changes_do_not_lock():
    user = UserFactory()
    with pytest.raises(ValidationError):
        profile_update(profile=_profile(user), changes={"primary_goal": "fat_loss", "secondary_goal": "muscle_gain"},
                       changed_by=ChangedBy.USER, changed_by_user=user, lock=True)  # fmt: skip
    assert not _profile(user).is_locked and _profile(user).version == 1
