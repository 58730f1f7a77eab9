from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_max_queries
from training.models import ActivityType, IdempotencyKey, Program, ProgramExercise, ProgramSession
from training.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/programs/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(weeks=4, per_week=3, name="Four Weeks"):
    strength = ActivityType.objects.get(slug="weight-training")
    running = ActivityType.objects.get(slug="running")
    exercises = [ExerciseFactory() for _ in range(3)]
    days = []
    for d in range(1, per_week + 1):
        if d == per_week:
            days.append(
                {
                    "day": d,
                    "name": "Easy run",
                    "activity_type": str(running.pk),
                    "target_duration_seconds": 1500,
                    "target_intensity": "run 60 s / walk 90 s × 8",
                    "target_metrics": {"distance": "3000"},
                }
            )
        else:
            days.append(
                {
                    "day": d,
                    "name": f"Strength {d}",
                    "activity_type": str(strength.pk),
                    "exercises": [
                        {"exercise": str(e.pk), "sets": 3, "reps_min": 8, "reps_max": 10, "percent_1rm": "75"}
                        for e in exercises
                    ],
                }
            )
    return {
        "name": name,
        "difficulty": "beginner",
        "duration_weeks": weeks,
        "sessions_per_week": per_week,
        "equipment": ["barbell"],
        "weeks": [{"week": w, "days": days} for w in range(1, weeks + 1)],
    }


def test_builds_a_four_week_program_in_one_request_and_reads_it_back():
    user = UserFactory()
    client = _client(user)
    body = _body()
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["is_mine"] is True
    assert data["units"] == {"weight": "kg", "distance": "m", "duration": "s", "percent_1rm": "%"}
    assert [w["week"] for w in data["weeks"]] == [1, 2, 3, 4]
    assert len(data["weeks"][0]["days"]) == 3
    assert data["weeks"][0]["days"][0]["exercises"][0]["percent_1rm"] == "75.00"
    assert data["weeks"][0]["days"][2]["target_metrics"] == {"distance": "3000"}
    program = Program.objects.get(pk=data["id"])
    assert ProgramSession.objects.filter(program=program).count() == 12
    assert ProgramExercise.objects.filter(session__program=program).count() == 4 * 2 * 3
    with assert_max_queries(8):
        read = client.get(f"{URL}{program.pk}/")
    assert read.json() == data
    published = client.post(f"{URL}{program.pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "active"


def test_idempotent_replay_and_reused_key():
    user = UserFactory()
    client = _client(user)
    body = _body(weeks=1)
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Program.objects.filter(author=user).count() == 1
    other = client.post(URL, {**body, "name": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    # A refused body stores no key: the same key works once the body is right.
    bad = client.post(URL, {**body, "duration_weeks": 0}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert bad.status_code == 400 and not IdempotencyKey.objects.filter(key="k2").exists()


def test_bad_input_is_400_with_field_paths():
    user = UserFactory()
    client = _client(user)
    body = _body(weeks=1)
    body["weeks"][0]["days"][0]["exercises"][0]["percent_1rm"] = "111"
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert "weeks[0].days[0].exercises[0].percent_1rm" in response.json()["error"]["fields"]
    body = _body(weeks=1)
    body["weeks"][0]["days"][1]["day"] = 1
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["weeks[0].days[1].day"] == ["Week 1 already has a day 1."]
    body = _body(weeks=1)
    body["weeks"][0]["days"][0]["exercises"][0]["exercise"] = str(ExerciseFactory(owner=UserFactory()).pk)
    response = client.post(URL, body, format="json")
    assert (
        response.status_code == 400 and "weeks[0].days[0].exercises[0].exercise" in response.json()["error"]["fields"]
    )
    assert client.post(URL, {**_body(weeks=1), "surprise": 1}, format="json").status_code == 400
    assert not Program.objects.filter(author=user).exists()


def test_publish_refusal_names_the_weeks():
    user = UserFactory()
    client = _client(user)
    body = _body(weeks=3)
    body["weeks"] = body["weeks"][:2]
    program_id = client.post(URL, body, format="json").json()["id"]
    response = client.post(f"{URL}{program_id}/publish/")
    assert response.status_code == 400
    assert "Week 3 has 0 of 3 sessions." in response.json()["error"]["message"] + str(response.json()["error"])


def test_access_for_every_operation(personas):
    owner = personas.owner
    draft_id = _client(owner).post(URL, _body(weeks=1), format="json").json()["id"]
    anonymous = APIClient()
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{draft_id}/").status_code == 401
    assert anonymous.post(URL, _body(weeks=1), format="json").status_code == 401
    for who in (personas.other_member, personas.trainer, personas.staff):
        client = _client(who)
        assert client.get(f"{URL}{draft_id}/").status_code == 404
        assert client.patch(f"{URL}{draft_id}/", {"name": "x"}, format="json").status_code == 404
        assert client.put(f"{URL}{draft_id}/", _body(weeks=1), format="json").status_code == 404
        assert client.delete(f"{URL}{draft_id}/").status_code == 404
        for action in ("publish", "archive", "copy"):
            assert client.post(f"{URL}{draft_id}/{action}/").status_code == 404
        assert draft_id not in [p["id"] for p in client.get(URL).json()["results"]]
    owner_client = _client(owner)
    assert owner_client.post(f"{URL}{draft_id}/publish/").status_code == 200
    assert owner_client.patch(f"{URL}{draft_id}/", {"visibility": "public"}, format="json").status_code == 200
    # Published and public: everyone reads and copies it, nobody else writes it.
    reader = _client(personas.other_member)
    assert reader.get(f"{URL}{draft_id}/").status_code == 200
    assert draft_id in [p["id"] for p in reader.get(URL).json()["results"]]
    copy = reader.post(f"{URL}{draft_id}/copy/")
    assert copy.status_code == 201 and copy.json()["status"] == "draft" and copy.json()["is_mine"]
    assert reader.patch(f"{URL}{draft_id}/", {"name": "x"}, format="json").status_code == 404
    assert owner_client.post(f"{URL}{draft_id}/archive/").status_code == 200
    assert draft_id not in [p["id"] for p in reader.get(URL).json()["results"]]
    assert owner_client.delete(f"{URL}{draft_id}/").status_code == 204
    assert Program.objects.get(pk=draft_id).deleted_at is not None


def test_put_replaces_the_tree_and_patch_keeps_it():
    user = UserFactory()
    client = _client(user)
    program_id = client.post(URL, _body(weeks=2), format="json").json()["id"]
    patched = client.patch(f"{URL}{program_id}/", {"description": "Three days."}, format="json")
    assert patched.status_code == 200 and len(patched.json()["weeks"]) == 2
    replaced = client.put(f"{URL}{program_id}/", _body(weeks=1, per_week=1, name="Smaller"), format="json")
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "Smaller" and len(replaced.json()["weeks"]) == 1
    assert ProgramSession.objects.filter(program_id=program_id).count() == 1


def test_list_filters_and_search():
    author, reader = UserFactory(), UserFactory()
    client = _client(author)
    for name, weeks in (("Beginner Full Body", 2), ("Marathon Base Builder", 10)):
        pid = client.post(URL, {**_body(weeks=weeks, name=name), "visibility": "public"}, format="json").json()["id"]
        client.post(f"{URL}{pid}/publish/")
    reader_client = _client(reader)

    def authors(params):  # the official programs (reference data) are published too: leave them out
        results = reader_client.get(URL, params).json()["results"]
        return [p["name"] for p in results if p["author"] == str(author.pk)]

    assert authors({"q": "begginer ful body"})[0] == "Beginner Full Body"
    assert authors({"weeks_min": 9}) == ["Marathon Base Builder"]
    assert reader_client.get(URL, {"weeks_min": 0}).status_code == 400
    assert reader_client.get(URL, {"mine": "true"}).json()["count"] == 0
    assert reader_client.get(URL, {"bogus": 1}).status_code == 400


def test_a_read_only_token_cannot_write(member):
    issued = account_services.api_token_create(user=member, name="ro", scopes=["read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert client.get(URL).status_code == 200
    assert client.post(URL, _body(weeks=1), format="json").status_code == 403
    assert Program.objects.filter(author=member).count() == 0
