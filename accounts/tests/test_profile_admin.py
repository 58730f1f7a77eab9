from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import AuditAction, AuditLog, ChangedBy, Profile, ProfileVersion, User
from accounts.selectors.profiles import profile_for_user
from accounts.services.profiles import profile_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.com", password="a-long-password", username="root")


def _change_url(profile: Profile) -> str:
    return reverse("admin:accounts_profile_change", args=[profile.pk])


def _admin_form(profile: Profile, **overrides) -> dict:
    data = {
        "birth_date": "",
        "gender": "",
        "height_m": "",
        "bio": "",
        "location": "",
        "activity_level": "",
        "fitness_level": "",
        "primary_goal": "",
        "secondary_goal": "",
        "energy_level": "",
        "stress_level": "",
        "sleep_quality": "",
        "preferences": "{}",
        "reason": "",
    }
    data.update(overrides)
    return data


def _state(user):
    return Profile.objects.values().get(user=user), ProfileVersion.objects.filter(user=user).count()


def test_a_staff_change_goes_through_the_service_as_an_admin_version(client, superuser, member):
    profile = Profile.objects.get(user=member)
    client.force_login(superuser)
    assert client.get(_change_url(profile)).status_code == 200
    response = client.post(
        _change_url(profile),
        _admin_form(profile, fitness_level="advanced", height_m="1.9", reason="Measured at the gym"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert (profile.fitness_level, profile.version, profile.last_modified_by) == ("advanced", 2, ChangedBy.ADMIN)
    version = ProfileVersion.objects.get(user=member, version=2)
    assert (version.changed_by, version.changed_by_user, version.change_reason) == (
        "admin",
        superuser,
        "Measured at the gym",
    )
    assert version.changed_fields == ["height_m", "fitness_level"]
    (audit,) = AuditLog.objects.filter(subject_id=member.pk)  # one event: the service's, not a second admin one
    assert audit.action == AuditAction.PROFILE_UPDATE and audit.actor_id == superuser.pk
    assert audit.new_values == {"height_m": "1.900", "fitness_level": "advanced"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fitness_level": "advanced", "reason": ""}, "reason"),
        ({"primary_goal": "fat_loss", "secondary_goal": "muscle_gain", "reason": "x"}, "secondary_goal"),
        ({"height_m": "4", "reason": "x"}, "height_m"),
    ],
)
def test_a_refused_staff_change_shows_the_error_and_writes_nothing(client, superuser, member, overrides, field):
    profile = Profile.objects.get(user=member)
    client.force_login(superuser)
    before = _state(member)
    response = client.post(_change_url(profile), _admin_form(profile, **overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert _state(member) == before


def test_profiles_are_neither_added_nor_deleted_in_the_admin(client, superuser, member):
    profile = Profile.objects.get(user=member)
    client.force_login(superuser)
    assert client.get(reverse("admin:accounts_profile_add")).status_code == 403
    assert client.post(reverse("admin:accounts_profile_delete", args=[profile.pk]), {"post": "yes"}).status_code == 403
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_versions_are_read_only_in_the_admin(client, superuser, member):
    profile_update(
        profile=profile_for_user(user=member), changes={"bio": "hi"}, changed_by="user", changed_by_user=member
    )
    version = ProfileVersion.objects.get(user=member, version=2)
    client.force_login(superuser)
    listing = client.get(reverse("admin:accounts_profileversion_changelist"), {"user__exact": member.pk})
    assert listing.status_code == 200 and listing.context["cl"].result_count == 2
    change = reverse("admin:accounts_profileversion_change", args=[version.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"change_reason": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:accounts_profileversion_add")).status_code == 403
    delete = reverse("admin:accounts_profileversion_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.change_reason == ""


def test_gym_staff_may_view_and_correct_profiles_and_view_versions(client, personas):
    owner_profile = Profile.objects.get(user=personas.owner)
    client.force_login(personas.staff)
    assert client.get(reverse("admin:accounts_profile_changelist")).status_code == 200
    response = client.post(_change_url(owner_profile), _admin_form(owner_profile, bio="Fixed typo", reason="Typo"))
    assert response.status_code == 302
    version = ProfileVersion.objects.get(user=personas.owner, version=2)
    assert (version.changed_by, version.changed_by_user) == ("admin", personas.staff)
    assert client.get(reverse("admin:accounts_profileversion_changelist")).status_code == 200

    client.force_login(personas.trainer)  # the Trainer role has no profile permissions (yet)
    assert client.get(reverse("admin:accounts_profile_changelist")).status_code == 403


def test_staff_see_only_the_profiles_of_people_they_may_see(client, personas):
    # Trainers get no profile permissions from their role; give them here to test the scoping itself.
    view = Permission.objects.filter(codename__in=["view_profile", "view_profileversion"])
    personas.trainer.user_permissions.add(*view)
    owner_profile = Profile.objects.get(user=personas.owner)

    client.force_login(personas.trainer)
    listing = client.get(reverse("admin:accounts_profile_changelist"))
    assert [p.user for p in listing.context["cl"].result_list] == [personas.trainer]
    assert client.get(_change_url(owner_profile)).status_code == 302  # "doesn't exist"
    versions = client.get(reverse("admin:accounts_profileversion_changelist"))
    assert {v.user_id for v in versions.context["cl"].result_list} == {personas.trainer.pk}

    client.force_login(personas.staff)
    listing = client.get(reverse("admin:accounts_profile_changelist"))
    assert personas.owner in [p.user for p in listing.context["cl"].result_list]
    assert client.get(_change_url(owner_profile)).status_code == 200
