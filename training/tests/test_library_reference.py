from __future__ import annotations

import json
from decimal import Decimal

import pytest

from accounts.models import BodyMetricType, Unit
from fitjourney.hooks import reference
from fitjourney.units import convert, from_base, to_base
from training.models import ActivityCategory, ActivityType, Exercise, MetricTemplate
from training.reference import exercise_search_terms_load

pytestmark = pytest.mark.django_db


def test_units_have_one_base_per_type_and_correct_factors():
    units = {u.code: u for u in Unit.objects.all()}
    assert {"kg", "g", "lb", "m", "cm", "km", "mi", "in", "ft", "s", "min", "h", "count", "m-s", "km-h", "mph",
            "kcal", "kj", "percent", "bpm", "ml", "l", "fl-oz"} <= set(units)  # fmt: skip
    assert {u.code for u in units.values() if u.is_base} >= {"kg", "m", "s", "m-s", "kcal", "ml"}
    assert units["lb"].factor == Decimal("0.45359237")
    assert convert(Decimal("1"), units["mi"], units["km"], places=3) == Decimal("1.609")
    assert convert(100, units["kg"], units["lb"], places=1) == Decimal("220.5")
    assert to_base(5, units["km"]) == Decimal("5000") and from_base(90, units["min"]) == Decimal("1.5")
    with pytest.raises(ValueError):
        convert(1, units["kg"], units["m"])


def test_body_metric_types_store_in_base_units():
    types = {t.code: t for t in BodyMetricType.objects.all()}
    assert types["weight"].unit_id == "kg" and types["weight"].max_value == Decimal("499.99")
    assert types["body_fat"].unit_id == "percent"
    for code in ("neck", "chest", "waist", "hips", "thigh", "calf", "biceps", "forearm"):
        assert types[code].unit_id == "m" and types[code].min_value == Decimal("0.05")


def test_activity_taxonomy_and_metric_templates():
    assert set(ActivityCategory.objects.values_list("name", flat=True)) == {
        "Physical", "Creative", "Wellness", "Cognitive", "Social"}  # fmt: skip
    painting = ActivityType.objects.get(slug="painting")
    assert not painting.is_physical and painting.met == Decimal("1.80") and painting.category.slug == "creative"
    assert ActivityType.objects.get(slug="weight-training").uses_exercises
    running = {t.name: t for t in MetricTemplate.objects.filter(activity_type__slug="running")}
    assert running["distance"].is_required and running["distance"].unit_id == "m"
    assert "pace" not in " ".join(running)  # derived, never stored
    result = MetricTemplate.objects.get(activity_type__slug="chess", name="result")
    assert result.input_type == "text" and result.validation_regex == r"^(win|loss|draw)$"


def test_every_loader_is_idempotent():
    counts = lambda: [m.objects.count() for m in (Unit, BodyMetricType, ActivityCategory, ActivityType,  # noqa: E731
                                                  MetricTemplate, Exercise)]  # fmt: skip
    before = counts()
    ids = set(ActivityType.objects.values_list("id", flat=True))
    summaries = reference.load_all()
    assert counts() == before
    assert set(ActivityType.objects.values_list("id", flat=True)) == ids
    assert any("free-exercise-db: 873" in s for s in summaries)


def test_exercise_search_terms_name_only_library_exercises_and_a_second_load_writes_nothing():
    ohp = Exercise.objects.get(external_id="Standing_Military_Press")
    assert {"ohp", "overhead press", "military press"} <= set(ohp.aliases) and ohp.popularity == 95
    assert (
        Exercise.objects.get(external_id="seed-000:deadlift").popularity
        < Exercise.objects.get(external_id="Barbell_Deadlift").popularity
    )  # the documented twin first
    summary = exercise_search_terms_load()
    assert "(0 changed, 0 cleared)" in summary and "not in the library" not in summary


def test_exercise_search_terms_follow_the_file(tmp_path):
    path = tmp_path / "terms.json"
    terms = {"Standing_Military_Press": {"popularity": 50, "aliases": ["  OHP ", "ohp", "Strict   Press"]},
             "No_Such_Exercise": {"popularity": 1, "aliases": ["nothing"]}}  # fmt: skip
    path.write_text(json.dumps({"exercises": terms}), encoding="utf-8")
    summary = exercise_search_terms_load(path=path)
    ohp = Exercise.objects.get(external_id="Standing_Military_Press")
    assert (ohp.aliases, ohp.popularity) == (["ohp", "strict press"], 50)  # lowercase, single spaces, once
    squat = Exercise.objects.get(external_id="Barbell_Squat")  # no longer named: back to nothing
    assert (squat.aliases, squat.popularity) == ([], 0)
    assert Exercise.objects.filter(external_id="Barbell_Squat", search_text__contains="back squat").count() == 0
    assert "not in the library: No_Such_Exercise" in summary
    path.write_text(json.dumps({"exercises": {"Barbell_Squat": {"popularity": 101}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="Barbell_Squat"):
        exercise_search_terms_load(path=path)
