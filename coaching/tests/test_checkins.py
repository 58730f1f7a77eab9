"""The check-ins page and API: access for every persona and operation, recording, errors, the chart."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import LifestyleBaseline
from accounts.tests.factories import LifestyleBaselineFactory, UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries

pytestmark = pytest.mark.django_db

GOOD = {"energy_level": "high", "stress_level": "low", "sleep_quality": "good", "sleep_hours": "7.5", "notes": ""}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def owned(personas):
    return LifestyleBaselineFactory(user=personas.owner, notes="owner-secret-note")


# ---------------------------------------------------------------------------------------------------
# The page


def test_the_page_shows_each_person_their_own(client, personas, owned):
    expected = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(reverse("coaching:checkins")), expected)
    client.force_login(personas.owner)
    assert "owner-secret-note" in client.get(reverse("coaching:checkins")).content.decode()
    client.force_login(personas.staff)
    assert "owner-secret-note" not in client.get(reverse("coaching:checkins")).content.decode()


def test_everyone_records_their_own(client, personas):
    expected = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, lambda c: c.post(reverse("coaching:checkins"), GOOD), expected)
    assert LifestyleBaseline.objects.count() == 4


def test_delete_is_post_only_and_the_owners(client, personas, owned):
    url = reverse("coaching:checkin-delete", args=[owned.pk])
    post_only = {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405}
    assert_access(client, personas, lambda c: c.get(url), post_only)
    expected = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.post(url), expected)
    assert not LifestyleBaseline.objects.exists()


def test_recording_and_the_history(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("coaching:checkins"), GOOD)
    assert response.status_code == 302
    page = client.get(reverse("coaching:checkins")).content.decode()
    assert 'id="sleep-data"' in page and 'id="levels-data"' in page and "7.5 h" in page
    assert "7.5 hours of sleep on average" in page
    # The form starts from the latest energy and stress.
    assert 'name="energy_level" value="high" id="id_energy_level_2" required checked' in page
    assert 'name="stress_level" value="low" id="id_stress_level_0" required checked' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "sleep_hours": "30"}, "less than or equal to 24"),
        ({**GOOD, "energy_level": ""}, "This field is required"),
        ({**GOOD, "sleep_quality": "great"}, "Select a valid choice"),
        ({**GOOD, "sleep_hours": "7.25"}, "1 decimal place"),
    ],
)
def test_bad_input_shows_errors_and_saves_nothing(client, data, message):
    client.force_login(UserFactory())
    response = client.post(reverse("coaching:checkins"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not LifestyleBaseline.objects.exists()


@pytest.mark.parametrize("count", [1, 40])
def test_the_page_reads_in_a_fixed_number_of_queries(client, count):
    user = UserFactory()
    for n in range(count):
        LifestyleBaselineFactory(user=user, recorded_at=timezone.now() - dt.timedelta(days=n))
    client.force_login(user)
    # Session, person, the history, the 30-day trend.
    with assert_num_queries(4):
        assert client.get(reverse("coaching:checkins")).status_code == 200


# ---------------------------------------------------------------------------------------------------
# The API


@pytest.mark.parametrize("url", ["/api/v1/checkins/", "/api/v1/checkins/trend/"])
def test_api_lists_are_each_persons_own(personas, owned, url):
    expected = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(APIClient(), personas, lambda c: c.get(url), expected)


@pytest.mark.parametrize(("method", "owner_status"), [("get", 200), ("delete", 204)])
def test_api_check_in_is_the_owners_only(personas, owned, method, owner_status):
    expected = {"anonymous": 401, "owner": owner_status, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(APIClient(), personas, lambda c: getattr(c, method)(f"/api/v1/checkins/{owned.pk}/"), expected)


def test_api_create_is_each_persons_own(personas):
    expected = {"anonymous": 401, "owner": 201, "other_member": 201, "trainer": 201, "staff": 201}
    assert_access(APIClient(), personas, lambda c: c.post("/api/v1/checkins/", GOOD, format="json"), expected)
    assert LifestyleBaseline.objects.count() == 4


def test_api_create_and_list(personas):
    client = _client(personas.owner)
    response = client.post("/api/v1/checkins/", {**GOOD, "sleep_hours": 6}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["energy_level"] == "high" and body["sleep_hours"] == "6.0" and body["data_source"] == "user_input"
    listed = client.get("/api/v1/checkins/").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    today = timezone.localdate().isoformat()
    assert len(client.get("/api/v1/checkins/", {"from": today, "to": today}).json()["results"]) == 1
    assert client.get("/api/v1/checkins/", {"to": "2000-01-01"}).json()["results"] == []
    assert client.get("/api/v1/checkins/", {"to": "2100-12-31"}).status_code == 200
    assert client.get("/api/v1/checkins/", {"to": "9999-12-31"}).status_code == 400  # fitjourney.dates
    trend = client.get("/api/v1/checkins/trend/").json()
    assert trend["count"] == 1 and trend["average_energy"] == 3.0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**GOOD, "energy_level": "huge"}, "energy_level"),
        ({**GOOD, "sleep_hours": 25}, "sleep_hours"),
        ({**GOOD, "recorded_at": "2999-01-01T00:00:00Z"}, "recorded_at"),
        ({**GOOD, "user": str(uuid.uuid4())}, "user"),
        ({"energy_level": "low"}, "stress_level"),
    ],
)
def test_api_bad_input_is_a_400_and_saves_nothing(personas, payload, field):
    response = _client(personas.owner).post("/api/v1/checkins/", payload, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert not LifestyleBaseline.objects.exists()
