from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from training import reference
from training.models import Exercise

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("import_exercises", *args, stdout=out)
    return out.getvalue()


def test_the_test_database_holds_all_873_free_exercise_db_exercises():
    assert Exercise.objects.filter(source=reference.FREE_EXERCISE_DB_SOURCE).count() == 873


def test_a_second_run_creates_nothing_and_updates_in_place():
    before = dict(Exercise.objects.filter(source="free-exercise-db").values_list("external_id", "id"))
    Exercise.objects.filter(external_id="3_4_Sit-Up").update(name="Changed locally", usage_count=7)
    output = _run()
    assert "873 exercises (0 new, 873 updated)" in output
    after = dict(Exercise.objects.filter(source="free-exercise-db").values_list("external_id", "id"))
    assert after == before  # same rows, same ids
    sit_up = Exercise.objects.get(external_id="3_4_Sit-Up")
    assert sit_up.name == "3/4 Sit-Up"  # the data set wins on its own fields
    assert sit_up.usage_count == 7  # ours are kept
    ohp = Exercise.objects.get(external_id="Standing_Military_Press")
    assert "ohp" in ohp.aliases and ohp.popularity > 0  # so are the search terms (their own loader's)


def test_it_inserts_missing_rows(tmp_path):
    Exercise.objects.filter(external_id__in=["3_4_Sit-Up", "Ab_Roller"]).delete()
    assert "(2 new, 871 updated)" in _run()
    assert Exercise.objects.filter(source="free-exercise-db").count() == 873


def test_it_maps_categories_to_activity_types_met_and_what_is_tracked():
    rows = {
        e.external_id: e for e in Exercise.objects.select_related("activity_type").filter(source="free-exercise-db")
    }
    bench = rows["Barbell_Bench_Press_-_Medium_Grip"]
    assert (bench.activity_type.slug, bench.met) == ("weight-training", Decimal("5.00"))
    assert (bench.tracks_sets, bench.tracks_reps, bench.tracks_weight, bench.tracks_distance) == (
        True,
        True,
        True,
        False,
    )
    assert bench.primary_muscles == ["chest"] and bench.equipment == "barbell" and bench.level == "beginner"
    assert bench.instructions and bench.images[0].startswith("Barbell_Bench_Press_-_Medium_Grip/")
    assert bench.owner is None and bench.is_verified
    sit_up = rows["3_4_Sit-Up"]
    assert sit_up.equipment == "body only" and not sit_up.tracks_weight and sit_up.tracks_reps
    stretch = next(e for e in rows.values() if e.category == "stretching")
    assert stretch.activity_type.slug == "stretching" and stretch.tracks_duration and not stretch.tracks_sets
    assert rows["Bicycling"].activity_type.slug == "cycling"
    assert rows["Bicycling"].tracks_distance and rows["Bicycling"].tracks_duration
    assert rows["Rowing_Stationary"].activity_type.slug == "cardio"
    plyo = next(e for e in rows.values() if e.category == "plyometrics")
    assert plyo.activity_type.slug == "hiit" and plyo.met == Decimal("8.00")
    assert {e.activity_type.slug for e in rows.values() if e.category in ("powerlifting", "strongman")} == {
        "weight-training"
    }


def test_names_of_seed_system_exercises_win_and_the_import_skips_them(tmp_path):
    data = [
        {"id": "Bench_Press_Copy", "name": "bench PRESS", "category": "strength", "equipment": "barbell",
         "level": "beginner", "primaryMuscles": ["chest"], "secondaryMuscles": [], "instructions": [], "images": []},
        {"id": "Brand_New_Lift", "name": "Brand New Lift", "category": "strength", "equipment": "barbell",
         "level": "expert", "primaryMuscles": ["chest"], "secondaryMuscles": [], "instructions": [], "images": []},
    ]  # fmt: skip
    path = tmp_path / "exercises.json"
    path.write_text(json.dumps(data))
    output = _run("--path", str(path))
    assert "(1 new, 0 updated); skipped 1" in output and "bench PRESS" in output
    assert not Exercise.objects.filter(external_id="Bench_Press_Copy").exists()
    assert Exercise.objects.get(name__iexact="bench press", owner=None).source == "seed-000"
    assert Exercise.objects.get(external_id="Brand_New_Lift").level == "expert"


def test_it_reports_progress_and_fails_clearly_on_a_missing_file(tmp_path):
    calls = []
    reference.free_exercise_db_import(progress=lambda done, total, label: calls.append((done, total)))
    assert calls[-1] == (873, 873) and len(calls) >= 2
    with pytest.raises(Exception, match="No such file"):
        _run("--path", str(tmp_path / "missing.json"))


def test_seed_000_system_exercises_are_loaded_with_their_met_and_tracking():
    seeds = {e.name: e for e in Exercise.objects.filter(source="seed-000")}
    assert set(seeds) == {"Running", "Cycling", "Swimming", "Walking", "Bench Press", "Squats", "Deadlift",
                          "Pull-ups", "Push-ups", "Yoga", "HIIT Training"}  # fmt: skip
    assert seeds["Running"].tracks_distance and seeds["Running"].tracks_duration and not seeds["Running"].tracks_sets
    assert seeds["Deadlift"].met == Decimal("6.00") and seeds["Deadlift"].tracks_weight
    assert not seeds["Pull-ups"].tracks_weight and seeds["Push-ups"].met == Decimal("3.80")
    assert all(e.owner_id is None and e.is_verified for e in seeds.values())
