"""Admin for habits: staff look after the system templates; habits and check-ins are read-only and scoped;
journal entries are not in the admin at all."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from coaching.models import HabitTemplate, JournalEntry
from coaching.tests.factories import HabitFactory, HabitLogFactory
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

TEMPLATES = reverse("admin:coaching_habittemplate_changelist")
HABITS = reverse("admin:coaching_habit_changelist")
LOGS = reverse("admin:coaching_habitlog_changelist")


@pytest.mark.parametrize("url", [TEMPLATES, HABITS, LOGS])
def test_who_reaches_the_changelists(client, personas, url):
    expected = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200}
    assert_access(client, personas, lambda c: c.get(url), expected)


def test_staff_change_a_system_template(client, personas):
    water = HabitTemplate.objects.get(name="Drink Water", is_system=True)
    client.force_login(personas.staff)
    url = reverse("admin:coaching_habittemplate_change", args=[water.pk])
    data = {"name": "Drink Water", "description": "Glasses a day", "category": "hydration",
            "tracking_type": "numeric", "unit": "glasses", "default_target": "9", "frequency": "daily",
            "icon_name": "glass"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    water.refresh_from_db()
    assert water.default_target == 9 and water.is_system


def test_what_staff_add_is_a_system_template(client, personas):
    client.force_login(personas.staff)
    data = {"name": "Read", "description": "", "category": "custom", "tracking_type": "duration",
            "unit": "minutes", "default_target": "20", "frequency": "daily", "icon_name": ""}  # fmt: skip
    assert client.post(reverse("admin:coaching_habittemplate_add"), data).status_code == 302
    created = HabitTemplate.objects.get(name="Read")
    assert created.is_system and created.created_by is None


def test_habits_and_logs_are_read_only_and_scoped(client, personas):
    habit = HabitFactory(user=personas.owner, name="Owners habit")
    log = HabitLogFactory(habit=habit)
    client.force_login(personas.staff)
    assert "Owners habit" in client.get(HABITS).content.decode()
    change = client.get(reverse("admin:coaching_habit_change", args=[habit.pk])).content.decode()
    assert 'name="_save"' not in change  # a view page, not a form
    assert client.post(reverse("admin:coaching_habitlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    # A trainer has no habit permission here.
    client.force_login(personas.trainer)
    assert client.get(reverse("admin:coaching_habit_change", args=[habit.pk])).status_code == 403


def test_journal_entries_are_not_in_the_admin():
    assert JournalEntry not in admin.site._registry
    with pytest.raises(NoReverseMatch):
        reverse("admin:coaching_journalentry_changelist")
