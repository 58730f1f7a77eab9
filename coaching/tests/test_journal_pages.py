"""The journal pages: access for every persona, one entry per day, filters, errors, pinned queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from coaching.models import JournalEntry
from coaching.tests.factories import JournalEntryFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db

EVERYONE_OWN = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}


def _today():
    return timezone.localdate()


def _day_url(day):
    return reverse("coaching:journal-day", args=[day.isoformat()])


@pytest.fixture
def owned(personas):
    return JournalEntryFactory(user=personas.owner, entry_date=_today(), title="Owners day", content="Private")


def test_the_list_shows_each_person_their_own(client, personas, owned):
    assert_access(client, personas, lambda c: c.get(reverse("coaching:journal")), EVERYONE_OWN)
    client.force_login(personas.owner)
    assert "Owners day" in client.get(reverse("coaching:journal")).content.decode()
    client.force_login(personas.other_member)
    assert "Owners day" not in client.get(reverse("coaching:journal")).content.decode()


def test_a_day_shows_each_person_their_own_entry(client, personas, owned):
    assert_access(client, personas, lambda c: c.get(_day_url(_today())), EVERYONE_OWN)
    client.force_login(personas.trainer)
    page = client.get(_day_url(_today())).content.decode()
    assert "Private" not in page and "How was the day?" in page


def test_writing_touches_only_the_writers_own_day(client, personas, owned):
    expected = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, lambda c: c.post(_day_url(_today()), {"title": "Mine"}), expected)
    assert JournalEntry.objects.count() == 4
    owned.refresh_from_db()
    assert owned.title == "Mine" and owned.content == ""  # the page sends the whole entry


def test_delete_is_post_only_and_the_owners(client, personas, owned):
    url = reverse("coaching:journal-delete", args=[_today().isoformat()])
    post_only = {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405}
    assert_access(client, personas, lambda c: c.get(url), post_only)
    expected = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.post(url), expected)
    assert not JournalEntry.objects.exists() and JournalEntry.all_objects.get().deleted_at is not None


def test_not_a_date_is_a_404(client):
    client.force_login(UserFactory())
    assert client.get("/journal/2026-02-30/").status_code == 404
    assert client.get("/journal/yesterday/").status_code == 404


def test_write_then_edit_the_days_entry(client):
    user = UserFactory()
    client.force_login(user)
    day = _today() - dt.timedelta(days=1)
    data = {"title": "Leg day", "content": "Squats", "mood": "good", "energy_level": "8", "stress_level": "2",
            "tags": "Training, legs, training"}  # fmt: skip
    response = client.post(_day_url(day), data)
    assert response.status_code == 302 and response["Location"] == _day_url(day)
    entry = JournalEntry.objects.get(user=user)
    assert entry.tags == ["training", "legs"] and entry.energy_level == 8 and entry.entry_date == day
    page = client.get(_day_url(day)).content.decode()
    assert 'value="Leg day"' in page and 'value="training, legs"' in page and "Delete the entry" in page
    client.post(_day_url(day), {**data, "content": "Squats and lunges"})
    assert JournalEntry.objects.get(user=user).content == "Squats and lunges"
    assert JournalEntry.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "content": "", "mood": ""}, "Write something, or choose a mood."),
        ({"title": "x", "energy_level": "11"}, "Select a valid choice"),
        ({"title": "x", "mood": "ecstatic"}, "Select a valid choice"),
        ({"title": "x", "tags": ",".join(f"t{n}" for n in range(25))}, "at most 20 tags"),
    ],
)
def test_bad_input_shows_errors_and_saves_nothing(client, data, message):
    client.force_login(UserFactory())
    response = client.post(_day_url(_today()), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not JournalEntry.all_objects.exists()


def test_the_future_cannot_be_written(client):
    client.force_login(UserFactory())
    tomorrow = _today() + dt.timedelta(days=1)
    page = client.get(_day_url(tomorrow)).content.decode()
    assert "This day has not come yet" in page and "<textarea" not in page
    response = client.post(_day_url(tomorrow), {"title": "Soon"})
    assert response.status_code == 400 and "has not come yet" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_filters_by_tag_and_text(client):
    user = UserFactory()
    JournalEntryFactory(user=user, entry_date=_today(), title="Leg day", content="Squats", tags=["legs"])
    JournalEntryFactory(
        user=user, entry_date=_today() - dt.timedelta(1), title="Calm", content="Meditation", tags=["mind"]
    )
    client.force_login(user)
    page = client.get(reverse("coaching:journal")).content.decode()
    assert 'href="?tag=legs"' in page and "Leg day" in page and "Calm" in page
    page = client.get(reverse("coaching:journal"), {"tag": "legs"}).content.decode()
    assert "Leg day" in page and "Calm" not in page and "1 matching entry" in page
    page = client.get(reverse("coaching:journal"), {"q": "medit"}).content.decode()
    assert "Calm" in page and "Leg day" not in page
    response = client.get(reverse("coaching:journal"), {"date_from": "soon"})
    assert response.status_code == 200 and "Enter a valid date" in response.content.decode()


def _entries(user, count):
    for n in range(count):
        JournalEntryFactory(user=user, entry_date=_today() - dt.timedelta(days=n), tags=["a", f"t{n % 5}"])


@pytest.mark.parametrize("count", [1, 45])
def test_the_list_reads_in_a_fixed_number_of_queries(client, count):
    user = UserFactory()
    _entries(user, count)
    client.force_login(user)
    # Session, person, count, the page of entries, the tags.
    with assert_num_queries(5):
        response = client.get(reverse("coaching:journal"), {"q": "slept", "tag": "a"})
    assert response.status_code == 200
    with assert_num_queries(5):
        assert client.get(reverse("coaching:journal")).status_code == 200


def test_the_list_is_paged(client):
    user = UserFactory()
    _entries(user, 25)
    client.force_login(user)
    page = client.get(reverse("coaching:journal")).content.decode()
    assert "Page 1 of 2" in page and page.count('class="journal-entry"') == 20
    page = client.get(reverse("coaching:journal"), {"page": 2}).content.decode()
    assert page.count('class="journal-entry"') == 5
