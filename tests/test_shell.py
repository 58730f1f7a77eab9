"""The page shell: navigation, htmx, CSRF header, static files, nothing from a CDN."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

SECTIONS = [
    "coaching:today",
    "training:index",
    "nutrition:index",
    "coaching:progress",
    "coaching:coach",
    "social:index",
]


@pytest.mark.parametrize("name", SECTIONS)
def test_every_section_needs_a_login(client, personas, name):
    url = reverse(name)
    assert_access(
        client,
        personas,
        lambda c: c.get(url),
        {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )
    assert client.get(url).url.startswith(reverse("account_login"))


def test_the_navigation_marks_the_current_section(client, member):
    client.force_login(member)
    page = client.get(reverse("training:index")).content.decode()
    for label in ("Today", "Train", "Eat", "Progress", "Coach", "Community"):
        assert f"<span>{label}</span>" in page
    current = re.search(r'<a href="([^"]+)" aria-current="page">', page)
    assert current and current.group(1) == reverse("training:index")


def test_the_body_carries_the_csrf_header_for_htmx(client, member):
    client.force_login(member)
    response = client.get(reverse("coaching:today"))
    token = response.context["csrf_token"]
    assert f'hx-headers=\'{{"x-csrftoken": "{token}"}}\'' in response.content.decode()


def test_htmx_comes_from_our_own_static_files_and_nothing_from_a_cdn(client, member):
    client.force_login(member)
    for url in (reverse("coaching:today"), reverse("home"), "/api/v1/docs/"):
        page = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', page)
        assert external == [], f"{url} loads {external}"
    page = client.get(reverse("coaching:today")).content.decode()
    script = re.search(r'<script src="(/static/django-htmx/[^"]+)"', page) or re.search(
        r'<script src="(/static/[^"]*htmx[^"]*)"', page
    )
    assert script, "htmx script tag missing"
    assert finders.find(script.group(1).removeprefix("/static/"))


def test_the_home_page_invites_sign_up_and_sends_members_to_today(client, member):
    page = client.get(reverse("home")).content.decode()
    assert reverse("account_signup") in page
    client.force_login(member)
    assert client.get(reverse("home")).url == reverse("coaching:today")


def test_flash_messages_are_announced(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:settings"),
        {
            "username": member.username,
            "timezone": "UTC",
            "language": "en",
            "unit_system": "metric",
            "date_format": "Y-m-d",
        },
        follow=True,
    )
    assert 'role="status"' in response.content.decode()
    assert "Your settings are saved." in response.content.decode()


def test_pages_are_keyboard_friendly(client, member):
    client.force_login(member)
    page = client.get(reverse("coaching:today")).content.decode()
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert '<nav class="mainnav" aria-label="Main">' in page
    assert '<html lang="en">' in page
