from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coaching.models import Goal, GoalRole, GoalStatus
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

PAGE = "/coach/"


def test_the_coach_page_needs_a_login_and_shows_only_ones_own_goals(client, personas):
    Goal.objects.create(user=personas.owner, role=GoalRole.PRIMARY, category="fat_loss", target_weight_kg=70)
    Goal.objects.create(user=personas.other_member, role=GoalRole.PRIMARY, category="muscle_gain")
    assert_access(
        client,
        personas,
        lambda c: c.get(PAGE),
        {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200},
    )
    client.force_login(personas.owner)
    with assert_max_queries(4):
        page = client.get(PAGE).content.decode()
    assert "Fat loss" in page and "target weight 70.0 kg" in page
    assert "Muscle gain" not in page


def test_finished_goals_are_not_listed(client, member):
    Goal.objects.create(user=member, role=GoalRole.PRIMARY, category="fat_loss", status=GoalStatus.ABANDONED)
    client.force_login(member)
    assert "none are active" in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("coaching:habits", "coaching:coach"),
        ("coaching:journal", "coaching:coach"),
        ("coaching:checkins", "coaching:coach"),
        ("coaching:review", "coaching:today"),
    ],
)
def test_coaching_pages_mark_their_section_in_the_navigation(client, member, url, section):
    client.force_login(member)
    page = client.get(reverse(url)).content.decode()
    nav = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == [reverse(section)]
