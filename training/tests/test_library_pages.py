from __future__ import annotations

import pytest
from django.urls import reverse

from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries, assert_num_queries
from training.models import ActivityType, Exercise, Visibility
from training.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

LIBRARY = "/train/exercises/"
CREATE = "/train/exercises/new/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "exercise-results"}


def test_urls():
    assert reverse("training:library") == LIBRARY
    assert reverse("training:exercise-create") == CREATE


def test_access_matrix_library_page(client, personas):
    ok = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(LIBRARY), ok)
    assert_access(client, personas, lambda c: c.get(LIBRARY, {"q": "squat"}, **HTMX), ok)
    assert_access(client, personas, lambda c: c.get(CREATE), ok)
    assert_access(client, personas, lambda c: c.post(LIBRARY), {**ok, "anonymous": 302, **dict.fromkeys(
        ("owner", "other_member", "trainer", "staff"), 405)})  # fmt: skip
    assert_access(
        client,
        personas,
        lambda c: c.post(CREATE, {"name": "", "visibility": "private"}),
        {"anonymous": 302, "owner": 400, "other_member": 400, "trainer": 400, "staff": 400},
    )


def test_the_page_searches_without_javascript(client, member):
    client.force_login(member)
    response = client.get(LIBRARY, {"q": "benchpres", "equipment": "barbell"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'id="exercise-results"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert "Bench Press" in html and 'value="benchpres"' in html
    assert '<option value="barbell" selected>' in html


def test_htmx_gets_only_the_results_fragment(client, member):
    client.force_login(member)
    response = client.get(LIBRARY, {"q": "squatt"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.strip().startswith('<div id="exercise-results"')
    assert "Squats" in html
    squats = Exercise.objects.get(name="Squats", owner=None)
    assert f'data-exercise-id="{squats.id}"' in html


def test_results_link_to_the_exercise_detail_page(client, member):
    client.force_login(member)
    squats = Exercise.objects.get(name="Squats", owner=None)
    html = client.get(LIBRARY, {"q": "squats"}, **HTMX).content.decode()
    assert reverse("training:exercise-detail", args=[squats.id]) in html


def test_empty_results_say_so(client, member):
    client.force_login(member)
    html = client.get(LIBRARY, {"q": "zzqxvw"}, **HTMX).content.decode()
    assert "No exercise matches" in html


def test_bad_filter_values_are_ignored_not_errors(client, member):
    client.force_login(member)
    response = client.get(LIBRARY, {"level": "godlike", "activity_type": "not-a-uuid", "q": "curl"})
    assert response.status_code == 200 and "Curl" in response.content.decode()


def test_shared_unverified_exercises_are_marked(client, member, personas):
    ExerciseFactory(owner=personas.owner, name="Kettlebell Halo Twist", visibility=Visibility.PUBLIC)
    client.force_login(member)
    html = client.get(LIBRARY, {"q": "halo twist"}, **HTMX).content.decode()
    assert "Kettlebell Halo Twist" in html and "Unverified" in html and "Community" in html


def _queries_for(client, params, **headers) -> int:
    with assert_max_queries(50) as ctx:
        response = client.get(LIBRARY, params, **headers)
    assert response.status_code == 200
    return len(ctx)


def test_query_counts_are_pinned_and_do_not_grow_with_data(client, member):
    client.force_login(member)
    client.get(LIBRARY)  # warm up session and caches
    page = _queries_for(client, {"q": "press"})
    fragment = _queries_for(client, {"q": "press"}, **HTMX)
    for n in range(30):
        ExerciseFactory(owner=member, name=f"Extra Press {n}", primary_muscles=["chest", f"muscle{n}"],
                        equipment=f"kit{n}")  # fmt: skip
    assert _queries_for(client, {"q": "press"}) == page
    assert _queries_for(client, {"q": "press"}, **HTMX) == fragment
    assert (page, fragment) == (PAGE_QUERIES, FRAGMENT_QUERIES)


# Session and person (2), the search (1); the full page adds the three facet queries.
PAGE_QUERIES = 6
FRAGMENT_QUERIES = 3


def test_nothing_loads_lazily_after_the_search(member):
    from training.selectors.library import exercises_search

    with assert_num_queries(1):
        rows = list(exercises_search(user=member, q="press"))
    with assert_num_queries(0):
        for row in rows:
            _ = (row.name, row.activity_type.name, row.primary_muscles, row.level, row.owner_id, row.is_verified)


def _valid(**overrides) -> dict:
    data = {
        "name": "Zercher Carry",
        "activity_type": str(ActivityType.objects.get(slug="weight-training").id),
        "category": "strength",
        "equipment": "Barbell",
        "level": "intermediate",
        "primary_muscles": ["quadriceps", "abdominals"],
        "instructions": "Cradle the bar.\n\nWalk.",
        "tracks_sets": "on",
        "tracks_duration": "on",
        "met": "6",
        "visibility": "private",
    }
    return {**data, **overrides}


def test_a_person_adds_their_own_private_exercise(client, member):
    client.force_login(member)
    response = client.post(CREATE, _valid())
    assert response.status_code == 302 and response["Location"].startswith(LIBRARY + "?q=Zercher")
    exercise = Exercise.objects.get(owner=member, name="Zercher Carry")
    assert exercise.visibility == "private" and not exercise.is_verified and exercise.source == "user"
    assert exercise.instructions == ["Cradle the bar.", "Walk."] and exercise.equipment == "barbell"
    assert (exercise.tracks_sets, exercise.tracks_reps, exercise.tracks_duration) == (True, False, True)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "   "}, "name", "This field is required"),
        ({"activity_type": "00000000-0000-0000-0000-000000000000"}, "activity_type", "Select a valid choice"),
        ({"met": "40"}, "met", "less than or equal to 24.99"),
        ({"level": "godlike"}, "level", "Select a valid choice"),
        ({"primary_muscles": ["tail"]}, "primary_muscles", "Select a valid choice"),
        ({"tracks_sets": "", "tracks_duration": ""}, "tracks_sets", "at least one thing to track"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(client, member, overrides, field, message):
    client.force_login(member)
    data = {key: value for key, value in _valid(**overrides).items() if value != ""}
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "nothing was saved" in response.content.decode()
    assert not Exercise.objects.filter(owner=member).exists()


def test_the_same_name_twice_is_refused(client, member):
    client.force_login(member)
    client.post(CREATE, _valid())
    response = client.post(CREATE, _valid(name="zercher  CARRY"))
    assert response.status_code == 400 and "already have an exercise called" in response.content.decode()
    assert Exercise.objects.filter(owner=member).count() == 1
