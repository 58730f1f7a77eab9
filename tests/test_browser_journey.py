"""A newcomer's first visit, in a real browser: sign up, verify, log in, the intake's welcome, API token, log out."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import ApiToken, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase"


def test_sign_up_verify_log_in_see_the_intake_create_and_revoke_a_token_log_out(page, live_server):
    page.goto("/")
    page.get_by_role("link", name="Create your account").click()

    page.get_by_label("Email:").fill("newcomer@example.com")
    page.get_by_label("Username:").fill("newcomer")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert User.objects.filter(email="newcomer@example.com").exists()

    # Open the verification link from the mail that was sent.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill("newcomer@example.com")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # A newcomer is led to the intake, which starts with the welcome step.
    expect(page).to_have_url(re.compile(r"/intake/0/$"))
    expect(page.get_by_role("heading", name="Welcome", exact=True)).to_be_visible()
    expect(page.get_by_role("progressbar", name="Step 1 of 12")).to_be_visible()
    expect(page.get_by_label("Metric (kg, cm, km)")).to_be_visible()

    # Settings stay reachable before the intake: create an API token there (htmx swaps the list in place).
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Device or script name").fill("My script")
    page.get_by_role("button", name="Create token").click()
    token_box = page.get_by_test_id("new-token")
    expect(token_box).to_be_visible()
    expect(token_box).to_be_focused()
    raw = token_box.input_value()
    assert raw.startswith("fj_")
    me = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"})
    assert me.status == 200 and me.json()["email"] == "newcomer@example.com"

    # Revoke it: the row says so and the token stops working.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke My script").click()
    expect(page.locator("#api-tokens .badge.revoked")).to_have_text("Revoked")
    assert ApiToken.objects.get(name="My script").revoked_at is not None
    assert page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {raw}"}).status == 401

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/today/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/today/"))
