from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.models import ActivityType, Exercise, Visibility
from training.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

EXERCISES = "/api/v1/exercises/"
OK = {"anonymous": 401, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}


@pytest.fixture
def api():
    return APIClient()


def _payload(**overrides) -> dict:
    data = {
        "name": "Landmine Rotation",
        "activity_type": str(ActivityType.objects.get(slug="weight-training").id),
        "primary_muscles": ["abdominals"],
        "equipment": "barbell",
        "level": "intermediate",
        "instructions": ["Hold the bar", "Rotate"],
        "met": "4.5",
    }
    return {**data, **overrides}


def test_access_matrix(api, personas):
    private = ExerciseFactory(owner=personas.owner, visibility=Visibility.PRIVATE)
    squats = Exercise.objects.get(name="Squats", owner=None)
    assert_access(api, personas, lambda c: c.get(EXERCISES, {"q": "squat"}), OK)
    assert_access(api, personas, lambda c: c.get(f"{EXERCISES}{squats.id}/"), OK)
    assert_access(
        api,
        personas,
        lambda c: c.get(f"{EXERCISES}{private.id}/"),
        {"anonymous": 401, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404},
    )
    assert_access(api, personas, lambda c: c.get("/api/v1/activity-types/"), OK)
    assert_access(api, personas, lambda c: c.get("/api/v1/units/"), OK)
    counter = iter(range(100))
    assert_access(
        api,
        personas,
        lambda c: c.post(EXERCISES, _payload(name=f"Rotation {next(counter)}"), format="json"),
        {"anonymous": 401, "owner": 201, "other_member": 201, "trainer": 201, "staff": 201},
    )
    for method in ("put", "patch", "delete"):
        assert_access(
            api,
            personas,
            lambda c, m=method: getattr(c, m)(f"{EXERCISES}{squats.id}/", {}, format="json"),
            {"anonymous": 401, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405},
        )


def test_list_searches_filters_and_paginates(api, member):
    api.force_authenticate(member)
    body = api.get(EXERCISES, {"q": "benchpres"}).json()
    assert body["results"][0]["name"] == "Bench Press"
    assert {"count", "next", "previous", "results"} <= set(body)
    body = api.get(
        EXERCISES, {"muscle": "chest", "equipment": "dumbbell", "level": "beginner", "page_size": 100}
    ).json()
    assert body["count"] > 0
    assert all(r["equipment"] == "dumbbell" and "chest" in r["primary_muscles"] for r in body["results"])
    assert api.get(EXERCISES, {"category": "stretching"}).json()["count"] == 123
    error = api.get(EXERCISES, {"level": "godlike"}).json()["error"]
    assert error["status"] == 400 and "level" in error["fields"]


def test_list_search_knows_abbreviations_and_aliases(api, member):
    api.force_authenticate(member)
    assert api.get(EXERCISES, {"q": "OHP"}).json()["results"][0]["name"] == "Standing Military Press"
    assert api.get(EXERCISES, {"q": "DB bench"}).json()["results"][0]["name"] == "Dumbbell Bench Press"


def test_list_never_shows_another_persons_private_exercise(api, member, personas):
    ExerciseFactory(owner=personas.other_member, name="Hidden Hammer Row", visibility=Visibility.PRIVATE)
    api.force_authenticate(member)
    names = [r["name"] for r in api.get(EXERCISES, {"q": "hidden hammer row", "page_size": 100}).json()["results"]]
    assert "Hidden Hammer Row" not in names


def test_list_query_count_does_not_grow_with_the_page(api, member):
    api.force_authenticate(member)
    with assert_max_queries(2) as ctx:
        api.get(EXERCISES, {"q": "press", "page_size": 5})
    small = len(ctx)
    with assert_max_queries(small):
        api.get(EXERCISES, {"q": "press", "page_size": 100})


def test_detail_has_instructions_and_muscles(api, member):
    api.force_authenticate(member)
    bench = Exercise.objects.get(external_id="Barbell_Bench_Press_-_Medium_Grip")
    body = api.get(f"{EXERCISES}{bench.id}/").json()
    assert (
        body["instructions"]
        and body["primary_muscles"] == ["chest"]
        and body["activity_type_name"] == "Weight Training"
    )
    assert api.get(f"{EXERCISES}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_create_own_exercise_owner_comes_from_the_caller(api, member, personas):
    api.force_authenticate(member)
    response = api.post(EXERCISES, _payload(visibility="public"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_own"] and body["visibility"] == "public" and not body["is_verified"]
    exercise = Exercise.objects.get(pk=body["id"])
    assert (
        exercise.owner == member and exercise.source == "user" and exercise.instructions == ["Hold the bar", "Rotate"]
    )
    # Someone else sees it (shared, unverified) but it is not theirs.
    api.force_authenticate(personas.other_member)
    assert api.get(f"{EXERCISES}{exercise.id}/").json()["is_own"] is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"owner": "someone-else"}, "owner"),
        ({"activity_type": "00000000-0000-0000-0000-000000000000"}, "activity_type"),
        ({"met": "99"}, "met"),
        ({"primary_muscles": ["tail"]}, "primary_muscles"),
        ({"visibility": "friends"}, "visibility"),
        ({"tracks_sets": False, "tracks_reps": False, "tracks_weight": False}, "tracks_sets"),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(api, member, overrides, field):
    api.force_authenticate(member)
    response = api.post(EXERCISES, _payload(**overrides), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert not Exercise.objects.filter(owner=member).exists()


def test_create_refuses_a_duplicate_name(api, member):
    api.force_authenticate(member)
    assert api.post(EXERCISES, _payload(), format="json").status_code == 201
    response = api.post(EXERCISES, _payload(name="landmine ROTATION"), format="json")
    assert response.status_code == 400 and "already have" in response.json()["error"]["fields"]["name"][0]


def test_activity_types_nest_metric_templates_and_units(api, member):
    api.force_authenticate(member)
    with assert_max_queries(4):
        body = api.get("/api/v1/activity-types/", {"page_size": 100}).json()
    types = {t["slug"]: t for t in body["results"]}
    distance = types["running"]["metric_templates"][0]
    assert distance["name"] == "distance" and distance["is_required"] and distance["unit"]["code"] == "m"
    assert types["painting"]["is_physical"] is False and types["painting"]["category"] == "Creative"


def test_units(api, member):
    api.force_authenticate(member)
    units = {u["code"]: u for u in api.get("/api/v1/units/").json()}
    assert units["km"]["factor"] == "1000.000000000" and units["kg"]["is_base"]
