from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import ChangedBy, Profile, ProfileVersion
from accounts.selectors.profiles import profile_for_user
from accounts.services.profiles import profile_lock, profile_update
from accounts.tests.factories import UserFactory
from accounts.tests.profile_kit import Clock, image_upload, noise_png_upload
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries, assert_num_queries

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
LOCK = reverse("accounts:profile-lock")
UNLOCK = reverse("accounts:profile-unlock")
HISTORY = reverse("accounts:profile-history")
AS_OF = reverse("accounts:profile-as-of")

SIGNED_IN_OWN = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
# A change redirects back to the page (PRG); anonymous is sent to log in.
CHANGED_OWN = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}


def _form(**overrides):
    data = {
        "birth_date": "1990-06-15",
        "gender": "female",
        "height_cm": "168",
        "bio": "Morning runner.",
        "location": "Lisbon",
        "activity_level": "moderately_active",
        "fitness_level": "intermediate",
        "primary_goal": "general_fitness",
        "secondary_goal": "strength",
        "energy_level": "medium",
        "stress_level": "low",
        "sleep_quality": "good",
        "reason": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _change(user, reason="", **changes):
    return profile_update(
        profile=profile_for_user(user=user), changes=changes, reason=reason, changed_by="user", changed_by_user=user
    )


def _snapshot_of_state(user):
    return Profile.objects.values().get(user=user), ProfileVersion.objects.filter(user=user).count()


# Access


@pytest.mark.parametrize("url", [PROFILE, HISTORY, AS_OF, f"{AS_OF}?date=2025-01-01"])
def test_every_page_is_for_signed_in_people_and_shows_their_own(client, personas, url):
    assert_access(client, personas, lambda c: c.get(url), SIGNED_IN_OWN)


@pytest.mark.parametrize(
    ("url", "data"), [(PROFILE, _form()), (LOCK, {"lock-reason": ""}), (UNLOCK, {"lock-reason": "Done"})]
)
def test_every_change_is_for_signed_in_people_and_changes_only_their_own(client, personas, url, data):
    assert_access(client, personas, lambda c: c.post(url, data), CHANGED_OWN)
    assert client.post(url, data).url.startswith(reverse("account_login"))
    versions = {user: Profile.objects.get(user=user).version for _, user in personas.items() if user}
    assert set(versions.values()) == ({1} if url == UNLOCK else {2})  # unlocking an unlocked profile: no-op


@pytest.mark.parametrize("url", [LOCK, UNLOCK])
def test_state_changes_refuse_get(client, member, url):
    client.force_login(member)
    assert client.get(url).status_code == 405
    assert not Profile.objects.get(user=member).is_locked


def test_nobody_sees_another_persons_profile_or_history(client, personas):
    _change(personas.owner, bio="Owner's secret bio", location="Owner Town", reason="owner's own reason")
    client.force_login(personas.other_member)
    for url in (PROFILE, HISTORY, f"{AS_OF}?date={date.today().isoformat()}"):
        page = client.get(url).content.decode()
        assert "Owner&#x27;s secret bio" not in page and "Owner Town" not in page, url
        assert "owner&#x27;s own reason" not in page
    # No URL takes an id: asking for someone else's history by query string changes nothing.
    page = client.get(HISTORY, {"user": personas.owner.pk}).content.decode()
    assert "Owner Town" not in page
    assert 'data-testid="version-2"' not in page


# The profile page


def test_the_page_shows_the_profile_in_the_persons_units_and_their_age(client):
    user = UserFactory(unit_system="imperial")
    today = user.local_today()
    born = date(today.year - 30, 1, 1)
    _change(user, birth_date=born, height_m=Decimal("1.778"), fitness_level="advanced")
    client.force_login(user)
    response = client.get(PROFILE)
    page = response.content.decode()
    form = response.context["form"]
    assert form["height_ft"].value() == 5 and form["height_in"].value() == Decimal("10.0")
    assert "height_cm" not in form.fields
    assert re.search(r'data-testid="age">\s*30\s*<', page)
    assert 'value="advanced" selected' in page


def test_saving_the_form_makes_a_new_version(client, member):
    client.force_login(member)
    response = client.post(PROFILE, _form(reason="Starting out"))
    assert response.status_code == 302 and response.url == PROFILE
    profile = Profile.objects.get(user=member)
    assert profile.version == 2
    assert (profile.birth_date, profile.height_m, profile.secondary_goal) == (
        date(1990, 6, 15),
        Decimal("1.680"),
        "strength",
    )
    version = ProfileVersion.objects.get(user=member, version=2)
    assert version.change_reason == "Starting out" and version.changed_by == ChangedBy.USER
    assert "saved (version 2)" in client.get(PROFILE).content.decode()


def test_saving_the_same_values_again_changes_nothing(client, member):
    client.force_login(member)
    client.post(PROFILE, _form())
    before = _snapshot_of_state(member)
    response = client.post(PROFILE, _form(), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert _snapshot_of_state(member) == before


@pytest.mark.parametrize(
    ("fields", "metres"),
    [
        ({"height_cm": "175.5"}, Decimal("1.755")),
        ({"height_cm": "50"}, Decimal("0.500")),
        ({"height_cm": ""}, None),
    ],
)
def test_metric_people_give_centimetres(client, member, fields, metres):
    client.force_login(member)
    client.post(PROFILE, _form(**fields))
    assert Profile.objects.get(user=member).height_m == metres


@pytest.mark.parametrize(
    ("fields", "metres"),
    [
        ({"height_ft": "5", "height_in": "10"}, Decimal("1.778")),
        ({"height_ft": "6", "height_in": ""}, Decimal("1.829")),
        ({"height_ft": "", "height_in": "70"}, Decimal("1.778")),
        ({"height_ft": "5", "height_in": "9.5"}, Decimal("1.765")),
        ({"height_ft": "", "height_in": ""}, None),
    ],
)
def test_imperial_people_give_feet_and_inches_or_inches(client, fields, metres):
    user = UserFactory(unit_system="imperial")
    client.force_login(user)
    response = client.post(PROFILE, _form(height_cm=None, **fields))
    assert response.status_code == 302, response.context["form"].errors
    assert Profile.objects.get(user=user).height_m == metres


@pytest.mark.parametrize(
    ("unit_system", "fields", "field"),
    [
        ("metric", {"height_cm": "49.9"}, "height_cm"),
        ("metric", {"height_cm": "276"}, "height_cm"),
        ("metric", {"height_cm": "tall"}, "height_cm"),
        ("imperial", {"height_ft": "5", "height_in": "12"}, "height_in"),
        ("imperial", {"height_ft": "9", "height_in": "11"}, "height_ft"),
        ("imperial", {"height_ft": "", "height_in": "10"}, "height_in"),
    ],
)
def test_heights_out_of_range_are_refused_in_the_persons_units(client, unit_system, fields, field):
    user = UserFactory(unit_system=unit_system)
    client.force_login(user)
    base = _form(height_cm=None) if unit_system == "imperial" else _form()
    response = client.post(PROFILE, {**base, **fields})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Profile.objects.get(user=user).version == 1


def test_an_untouched_imperial_height_keeps_the_stored_millimetres(client):
    # 1.751 m shows as 5 ft 8.9 in, which converts back to 1.750 m: resubmitting must not change it.
    user = UserFactory(unit_system="imperial")
    _change(user, height_m=Decimal("1.751"))
    client.force_login(user)
    form = client.get(PROFILE).context["form"]
    shown = {"height_ft": form["height_ft"].value(), "height_in": form["height_in"].value()}
    assert shown == {"height_ft": 5, "height_in": Decimal("8.9")}
    client.post(PROFILE, _form(height_cm=None, **shown))
    assert Profile.objects.get(user=user).height_m == Decimal("1.751")
    assert "height_m" not in ProfileVersion.objects.get(user=user, version=3).changed_fields


def test_a_locked_profile_needs_a_reason_on_the_form_and_nothing_changes_without_one(client, member):
    profile_lock(profile=profile_for_user(user=member), changed_by_user=member)
    client.force_login(member)
    page = client.get(PROFILE)
    assert page.context["form"].fields["reason"].required
    assert "Your profile is locked" in page.content.decode()

    before = _snapshot_of_state(member)
    response = client.post(PROFILE, _form())
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert _snapshot_of_state(member) == before

    assert client.post(PROFILE, _form(reason="New season")).status_code == 302
    assert ProfileVersion.objects.get(user=member, version=3).change_reason == "New season"


@pytest.mark.parametrize(("primary", "secondary"), [("fat_loss", "muscle_gain"), ("muscle_gain", "fat_loss")])
def test_incompatible_goals_are_refused_on_the_form(client, member, primary, secondary):
    client.force_login(member)
    before = _snapshot_of_state(member)
    response = client.post(PROFILE, _form(primary_goal=primary, secondary_goal=secondary))
    assert response.status_code == 400
    assert "cannot be paired" in " ".join(response.context["form"].errors["secondary_goal"])
    assert _snapshot_of_state(member) == before


def test_a_photo_is_uploaded_and_previewed(client, member):
    client.force_login(member)
    response = client.post(PROFILE, {**_form(), "avatar": image_upload("JPEG")})
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.avatar.name.endswith(".jpg")
    page = client.get(PROFILE).content.decode()
    assert f'src="{profile.avatar.url}"' in page and 'data-testid="current-avatar"' in page

    client.post(PROFILE, {**_form(), "remove_avatar": "on"})
    assert not Profile.objects.get(user=member).avatar


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (noise_png_upload, "at most 2 MB"),
        (lambda: image_upload("GIF"), "JPEG, PNG or WebP"),
        (lambda: SimpleUploadedFile("cv.png", b"%PDF-1.7 not an image", "image/png"), "JPEG, PNG or WebP"),
    ],
)
def test_a_bad_photo_is_refused_with_a_clear_message_on_the_page(client, member, upload, message):
    client.force_login(member)
    before = _snapshot_of_state(member)
    response = client.post(PROFILE, {**_form(), "avatar": upload()})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["avatar"])
    assert message in response.content.decode()
    assert _snapshot_of_state(member) == before


def test_htmx_gets_the_profile_region_back(client, member):
    client.force_login(member)
    response = client.post(PROFILE, _form(), headers={"HX-Request": "true", "HX-Target": "profile-body"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and 'id="profile-body"' in page
    assert "saved (version 2)" in page

    response = client.post(PROFILE, _form(height_cm="999"), headers={"HX-Request": "true", "HX-Target": "profile-body"})
    assert response.status_code == 400 and "<html" not in response.content.decode()


# Lock and unlock buttons


def test_the_person_locks_and_unlocks_their_profile_from_the_page(client, member):
    client.force_login(member)
    assert "Lock my profile" in client.get(PROFILE).content.decode()
    assert client.post(LOCK, {"lock-reason": ""}).status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.is_locked and profile.version == 2
    assert "Unlock my profile" in client.get(PROFILE).content.decode()

    response = client.post(UNLOCK, {"lock-reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["reason_form"].errors
    assert Profile.objects.get(user=member).is_locked

    assert client.post(UNLOCK, {"lock-reason": "Switching coach"}).status_code == 302
    profile.refresh_from_db()
    assert not profile.is_locked and profile.version == 3


def test_locking_with_htmx_swaps_the_region(client, member):
    client.force_login(member)
    response = client.post(LOCK, {"lock-reason": "steady"}, headers={"HX-Request": "true", "HX-Target": "profile-body"})
    assert response.status_code == 200
    assert "Unlock my profile" in response.content.decode()
    assert "<html" not in response.content.decode()


# History


def test_history_lists_what_changed_who_why_and_when_with_human_labels(client, personas):
    user = UserFactory(unit_system="metric", date_format="d/m/Y")
    _change(user, fitness_level="beginner", height_m=Decimal("1.7"), reason="Starting")
    profile_update(
        profile=profile_for_user(user=user),
        changes={"fitness_level": "intermediate", "primary_goal": "fat_loss"},
        reason="Progress review",
        changed_by=ChangedBy.ADMIN,
        changed_by_user=personas.staff,
    )
    client.force_login(user)
    page = client.get(HISTORY).content.decode()
    v3 = page[page.index('data-testid="version-3"') : page.index('data-testid="version-2"')]
    assert "Fitness level" in v3 and "Beginner — new to fitness" in v3 and "Intermediate — consistent" in v3
    assert "Primary goal" in v3 and "Fat loss" in v3
    assert f"Staff ({personas.staff.display_name})" in v3 and "Progress review" in v3
    v2 = page[page.index('data-testid="version-2"') : page.index('data-testid="version-1"')]
    assert "Height" in v2 and "170 cm" in v2 and "by You" in v2 and "Starting" in v2
    assert "Your profile was created" in page


def test_history_is_paginated_newest_first(client, member):
    for i in range(25):
        _change(member, bio=f"bio {i}")
    client.force_login(member)
    first = client.get(HISTORY)
    versions = [e["version"].version for e in first.context["entries"]]
    assert versions == list(range(26, 6, -1))
    second = client.get(HISTORY, {"page": 2})
    assert [e["version"].version for e in second.context["entries"]] == [6, 5, 4, 3, 2, 1]
    # The oldest change on page 2 still shows its "before" value (from a version on page 3's side).
    assert "bio 0" in second.content.decode()
    partial = client.get(HISTORY, {"page": 2}, headers={"HX-Request": "true", "HX-Target": "history-list"})
    assert "<html" not in partial.content.decode() and 'id="history-list"' in partial.content.decode()


def test_history_page_queries_do_not_grow_with_versions(client, member):
    client.force_login(member)
    _change(member, bio="one")
    with assert_max_queries(4) as few:
        client.get(HISTORY)
    for i in range(30):
        _change(member, bio=f"again {i}", location=f"place {i}")
    with assert_num_queries(len(few)):
        client.get(HISTORY)


# As it was on a date


def test_as_of_shows_the_snapshot_at_the_end_of_that_local_day(client, monkeypatch):
    # Kiritimati is UTC+14: 2025-05-01 12:00 UTC is already 2 May there.
    clock = Clock(monkeypatch, datetime(2025, 4, 1, tzinfo=UTC))
    user = UserFactory(timezone="Pacific/Kiritimati", unit_system="metric")
    _change(user, fitness_level="beginner", height_m=Decimal("1.6"))
    clock.set(datetime(2025, 5, 1, 12, 0, tzinfo=UTC))
    _change(user, fitness_level="advanced")
    clock.set(datetime(2025, 6, 1, tzinfo=UTC))
    client.force_login(user)

    first_may = client.get(AS_OF, {"date": "2025-05-01"})
    assert first_may.context["version"].version == 2
    assert "Beginner — new to fitness" in first_may.content.decode() and "160 cm" in first_may.content.decode()
    second_may = client.get(AS_OF, {"date": "2025-05-02"})
    assert second_may.context["version"].version == 3
    assert "Advanced — years of training" in second_may.content.decode()
    assert "still your current profile" in second_may.content.decode()


def test_as_of_before_the_profile_existed_says_so(client, member):
    client.force_login(member)
    response = client.get(AS_OF, {"date": "2001-01-01"})
    assert response.status_code == 200 and response.context["version"] is None
    assert 'data-testid="as-of-none"' in response.content.decode()


@pytest.mark.parametrize("day", ["not-a-date", "", "2024-02-30", (date.today() + timedelta(days=3)).isoformat()])
def test_as_of_refuses_bad_and_future_dates(client, member, day):
    client.force_login(member)
    response = client.get(AS_OF, {"date": day})
    assert response.status_code == 400
    assert "date" in response.context["form"].errors


def test_as_of_page_queries_are_few(client, member):
    client.force_login(member)
    for i in range(10):
        _change(member, bio=f"v{i}")
    with assert_max_queries(3):
        client.get(AS_OF, {"date": date.today().isoformat()})


# Query counts


def test_profile_page_queries_are_pinned_and_do_not_grow_with_versions(client, member):
    client.force_login(member)
    with assert_max_queries(5) as few:
        response = client.get(PROFILE)
    assert response.status_code == 200
    for i in range(30):
        _change(member, bio=f"bio {i}", location=f"town {i}")
    with assert_num_queries(len(few)):
        client.get(PROFILE)


def test_an_account_without_a_profile_sees_a_blank_one_and_its_first_save_creates_it(client):
    user = UserFactory(profile=False)
    client.force_login(user)
    assert client.get(PROFILE).status_code == 200
    assert not Profile.objects.filter(user=user).exists()  # a GET never writes
    assert client.post(PROFILE, _form()).status_code == 302
    assert list(ProfileVersion.objects.filter(user=user).values_list("version", flat=True)) == [2, 1]
