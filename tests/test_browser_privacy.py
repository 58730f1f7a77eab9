"""Issue 3 in a real browser: a locked profile changed with a reason and seen in history and as it was;
an export built by a real Celery worker behind a progress bar, downloaded once; the account deleted."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from django.db.models import F
from playwright.sync_api import expect

from accounts.erasure_guard import erasure_writes
from accounts.models import ChangedBy, ProfileVersion, User
from accounts.services.profiles import profile_lock, profile_update
from accounts.tests.factories import PASSWORD, UserFactory
from fitjourney.celery import app
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

THREE_WEEKS = dt.timedelta(days=21)


def _person_with_a_locked_profile_from_three_weeks_ago() -> User:
    user = UserFactory.create(email="lena@example.com", username="lena", timezone="Europe/Berlin")
    profile_update(
        profile=user.profile,
        changes={"fitness_level": "beginner", "bio": "Just starting out."},
        reason="Intake",
        changed_by=ChangedBy.USER,
        changed_by_user=user,
    )
    profile_lock(profile=user.profile, reason="Intake confirmed", changed_by_user=user)
    with erasure_writes():  # test set-up only: move the existing history three weeks back
        ProfileVersion.objects.filter(user=user).update(
            valid_from=F("valid_from") - THREE_WEEKS, valid_until=F("valid_until") - THREE_WEEKS
        )
    return user


def test_locked_profile_history_export_and_erasure(page, live_server, celery_worker_process, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # the export goes through the real worker
    user = _person_with_a_locked_profile_from_three_weeks_ago()
    log_in(page, "lena@example.com", lands_on_today=True)

    # A locked profile: a change without a reason is refused, with a reason it is saved.
    page.get_by_role("link", name="Profile", exact=True).click()
    expect(page.locator(".badge.locked")).to_have_text("Locked")
    form = page.get_by_test_id("profile-form")
    form.get_by_label("Fitness level").select_option("advanced")
    form.get_by_role("button", name="Save profile").click()
    expect(form.locator(".errorlist")).to_contain_text("reason")
    assert User.objects.get(pk=user.pk).profile.fitness_level == "beginner"
    form = page.get_by_test_id("profile-form")
    form.get_by_label("Fitness level").select_option("advanced")
    form.locator("[name=reason]").fill("Coach moved me up after six months")
    form.get_by_role("button", name="Save profile").click()
    expect(page.get_by_test_id("profile-notice")).to_be_visible()
    assert User.objects.get(pk=user.pk).profile.fitness_level == "advanced"

    # History shows the new version with its reason and the change.
    page.goto("/settings/profile/history/")
    history = page.locator("#history-list")
    expect(history).to_contain_text("Coach moved me up after six months")
    expect(history).to_contain_text("Advanced")

    # As it was two weeks ago: the old value.
    page.goto("/settings/profile/as-of/")
    two_weeks_ago = (dt.date.today() - dt.timedelta(days=14)).isoformat()
    page.get_by_label("Show my profile as it was on").fill(two_weeks_ago)
    page.get_by_role("button", name="Show").click()
    result = page.locator(".as-of-result")
    expect(result).to_contain_text("Beginner")
    expect(result).not_to_contain_text("Advanced")

    # Export: a progress bar while the worker builds it, then a download that works once.
    page.goto("/settings/privacy/")
    with page.expect_response(lambda r: r.url.endswith("/privacy/exports/") and r.request.method == "POST") as sent:
        page.get_by_test_id("export-request").click()
    assert "<progress" in sent.value.text(), "the page did not show a progress bar while the export was built"
    download_button = page.get_by_test_id("export-download")
    expect(download_button).to_be_visible(timeout=60_000)
    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert re.fullmatch(r"fitjourney-export-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    profile_file = next(name for name in names if name.endswith("accounts.profile.json"))
    assert json.loads(archive.read(profile_file))[0]["bio"] == "Just starting out."
    user_file = next(name for name in names if name.endswith("accounts.user.json"))
    assert json.loads(archive.read(user_file))[0]["email"] == "lena@example.com"
    assert "password" not in json.loads(archive.read(user_file))[0]

    # Delete the account; the password no longer opens it.
    page.goto("/settings/privacy/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that my account will be deleted").check()
    page.get_by_test_id("account-erase").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill("lena@example.com")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".errorlist, .alert, [role=alert]").first).to_be_visible()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_have_count(0)
    assert not User.objects.filter(email="lena@example.com").exists()
