"""Journal API: access for every persona and operation, PUT per day (201 then 200), filters, strictness."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import JournalEntry
from coaching.tests.factories import JournalEntryFactory
from fitjourney.testing.access import assert_access

pytestmark = pytest.mark.django_db

EVERYONE_OWN = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
OWNER_ONLY = {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _today():
    return timezone.localdate()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def owned(personas):
    return JournalEntryFactory(user=personas.owner, entry_date=_today(), title="Legs", tags=["training"])


@pytest.mark.parametrize("url", ["/api/v1/journal/", "/api/v1/journal/tags/"])
def test_lists_are_each_persons_own(api, personas, owned, url):
    assert_access(api, personas, lambda c: c.get(url), EVERYONE_OWN)


@pytest.mark.parametrize(
    ("method", "by", "data", "owner_status"),
    [
        ("get", "id", None, 200),
        ("patch", "id", {"content": "Squats"}, 200),
        ("get", "day", None, 200),
        ("delete", "id", None, 204),
    ],
)
def test_an_entry_is_its_owners_only(api, personas, owned, method, by, data, owner_status):
    url = f"/api/v1/journal/{owned.pk if by == 'id' else owned.entry_date.isoformat()}/"
    expected = {**OWNER_ONLY, "owner": owner_status}
    assert_access(api, personas, lambda c: getattr(c, method)(url, data, format="json"), expected)


def test_delete_by_day_is_the_owners(api, personas, owned):
    url = f"/api/v1/journal/{_today().isoformat()}/"
    expected = {**OWNER_ONLY, "owner": 204}
    assert_access(api, personas, lambda c: c.delete(url), expected)
    assert not JournalEntry.objects.exists()


def test_put_writes_each_persons_own_day(api, personas, owned):
    url = f"/api/v1/journal/{_today().isoformat()}/"
    # The owner replaces their entry (200); everybody else creates their own (201).
    expected = {"anonymous": 401, "owner": 200, "other_member": 201, "trainer": 201, "staff": 201}
    assert_access(api, personas, lambda c: c.put(url, {"title": "Mine"}, format="json"), expected)
    owned.refresh_from_db()
    assert owned.title == "Mine" and owned.tags == []  # PUT is the whole entry
    assert JournalEntry.objects.count() == 4


def test_put_then_put_again_never_duplicates(personas):
    client = _client(personas.owner)
    url = f"/api/v1/journal/{_today().isoformat()}/"
    first = client.put(url, {"title": "Day", "tags": ["Work", " work"], "energy_level": 6}, format="json")
    assert first.status_code == 201 and first.json()["tags"] == ["work"]
    second = client.put(url, {"content": "Better", "mood": "good"}, format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert second.json()["title"] == "" and second.json()["energy_level"] is None
    assert JournalEntry.objects.filter(user=personas.owner).count() == 1


def test_patch_changes_only_what_is_sent(personas, owned):
    response = _client(personas.owner).patch(f"/api/v1/journal/{owned.pk}/", {"stress_level": 9}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["stress_level"] == 9 and body["title"] == "Legs" and body["tags"] == ["training"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "content": "", "mood": ""}, "content"),
        ({"title": "x", "energy_level": 11}, "energy_level"),
        ({"title": "x", "mood": "ecstatic"}, "mood"),
        ({"title": "x", "tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"title": "x", "tags": "a,b"}, "tags"),
        ({"title": "x", "entry_date": "2026-01-01"}, "entry_date"),
        ({"title": "x", "user": str(uuid.uuid4())}, "user"),
        ({"title": "x", "ai_summary": "nice"}, "ai_summary"),
    ],
)
def test_bad_input_is_a_400_and_saves_nothing(personas, payload, field):
    response = _client(personas.owner).put(f"/api/v1/journal/{_today().isoformat()}/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert not JournalEntry.all_objects.exists()


def test_the_future_is_a_400(personas):
    tomorrow = (_today() + dt.timedelta(days=1)).isoformat()
    response = _client(personas.owner).put(f"/api/v1/journal/{tomorrow}/", {"title": "Soon"}, format="json")
    assert response.status_code == 400 and "entry_date" in response.json()["error"]["fields"]


def test_a_bad_or_empty_day_is_a_404(personas):
    client = _client(personas.owner)
    assert client.get("/api/v1/journal/2026-02-30/").status_code == 404
    assert client.put("/api/v1/journal/someday/", {"title": "x"}, format="json").status_code == 404
    assert client.get(f"/api/v1/journal/{_today().isoformat()}/").status_code == 404
    assert client.get(f"/api/v1/journal/{uuid.uuid4()}/").status_code == 404


def test_list_filters(personas):
    user = personas.owner
    JournalEntryFactory(user=user, entry_date=_today(), title="Leg day", content="Squats", tags=["legs"])
    JournalEntryFactory(
        user=user, entry_date=_today() - dt.timedelta(1), title="Calm", content="Meditation", tags=["mind"]
    )
    JournalEntryFactory(user=user, entry_date=_today() - dt.timedelta(5), title="Old", content="Squats", tags=["legs"])
    client = _client(user)

    def titles(**params):
        return [e["title"] for e in client.get("/api/v1/journal/", params).json()["results"]]

    assert titles() == ["Leg day", "Calm", "Old"]
    assert titles(tag="legs") == ["Leg day", "Old"]
    assert titles(q="squats") == ["Leg day", "Old"]
    assert titles(q="medit") == ["Calm"]
    assert titles(tag="legs", **{"from": (_today() - dt.timedelta(2)).isoformat()}) == ["Leg day"]
    assert titles(to=(_today() - dt.timedelta(1)).isoformat()) == ["Calm", "Old"]
    response = client.get("/api/v1/journal/", {"from": "soon"})
    assert response.status_code == 400 and "date_from" in response.json()["error"]["fields"]
    tags = client.get("/api/v1/journal/tags/").json()
    assert tags == [{"tag": "legs", "count": 2}, {"tag": "mind", "count": 1}]
