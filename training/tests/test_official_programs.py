from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_max_queries
from training import reference
from training.models import (
    Difficulty,
    Enrollment,
    EnrollmentDay,
    Program,
    ProgramExercise,
    ProgramSession,
    ProgramStatus,
    Visibility,
)
from training.reference import programs as program_files
from training.selectors.program_checks import program_structure_problems
from training.services.official_programs import OfficialProgramError, official_program_sync

pytestmark = pytest.mark.django_db

SLUGS = {
    "beginner-full-body": (8, 3, Difficulty.BEGINNER),
    "upper-lower-4-day": (12, 4, Difficulty.INTERMEDIATE),
    "couch-to-5k": (9, 3, Difficulty.BEGINNER),
    "yoga-mobility-4-week": (4, 3, Difficulty.BEGINNER),
}


def _data(slug: str) -> dict:
    return json.loads((reference.OFFICIAL_PROGRAMS_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def _snapshot() -> dict:
    return {
        "programs": sorted(Program.objects.filter(is_official=True).values_list("pk", "slug", "updated_at")),
        "sessions": sorted(ProgramSession.objects.filter(program__is_official=True).values_list("pk", flat=True)),
        "exercises": sorted(
            ProgramExercise.objects.filter(session__program__is_official=True).values_list("pk", flat=True)
        ),
    }


@pytest.fixture
def copy_dir(tmp_path) -> Path:
    for path in reference.OFFICIAL_PROGRAMS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_the_four_official_programs_are_loaded_whole():
    for slug, (weeks, per_week, difficulty) in SLUGS.items():
        program = Program.objects.get(slug=slug)
        assert program.is_official and program.author is None
        assert program.visibility == Visibility.PUBLIC and program.status == ProgramStatus.ACTIVE
        assert (program.duration_weeks, program.sessions_per_week, program.difficulty) == (weeks, per_week, difficulty)
        assert program_structure_problems(program) == []
        counts = {}
        for week in ProgramSession.objects.filter(program=program).values_list("week", flat=True):
            counts[week] = counts.get(week, 0) + 1
        assert counts == dict.fromkeys(range(1, weeks + 1), per_week)
    assert set(Program.objects.published().filter(is_official=True).values_list("slug", flat=True)) == set(SLUGS)


def test_loading_twice_changes_nothing():
    before = _snapshot()
    with assert_max_queries(60):
        summary = reference.official_programs_load()
    assert summary == "Official programs: 4 (4 unchanged)"
    assert _snapshot() == before


def test_beginner_plan_rises_by_percent_of_1rm_with_no_absolute_weights():
    rows = ProgramExercise.objects.filter(
        session__program__slug="beginner-full-body", exercise__external_id="Barbell_Squat"
    ).values_list("session__week", "percent_1rm", "target_weight_kg")
    by_week: dict[int, set[Decimal]] = {}
    for week, percent, weight in rows:
        assert weight is None
        by_week.setdefault(week, set()).add(percent)
    weekly = [by_week[w] for w in range(1, 9)]
    assert all(len(p) == 1 for p in weekly)
    percents = [p.pop() for p in weekly]
    assert percents == sorted(percents) and len(set(percents)) == 8
    assert percents[0] == Decimal("65") and percents[-1] == Decimal("80")
    lifts = set(
        ProgramExercise.objects.filter(session__program__slug="beginner-full-body").values_list(
            "exercise__external_id", flat=True
        )
    )
    assert {
        "Barbell_Squat",
        "Barbell_Bench_Press_-_Medium_Grip",
        "Bent_Over_Barbell_Row",
        "Standing_Military_Press",
        "Barbell_Deadlift",
    } <= lifts
    assert not ProgramExercise.objects.filter(session__program__is_official=True, target_weight_kg__isnull=False)


def test_upper_lower_waves_deload_every_fourth_week():
    bench = dict(
        ProgramExercise.objects.filter(
            session__program__slug="upper-lower-4-day", exercise__external_id="Barbell_Bench_Press_-_Medium_Grip"
        ).values_list("session__week", "percent_1rm")
    )
    assert [bench[w] for w in (1, 2, 3, 4)] == [Decimal(70), Decimal(75), Decimal(80), Decimal(60)]
    assert bench[8] == bench[12] == Decimal(60) and bench[9] > bench[5] > bench[1]
    sets_of_reps = ProgramExercise.objects.filter(session__program__slug="upper-lower-4-day", reps_min__isnull=False)
    assert not sets_of_reps.filter(target_rpe__isnull=True)


def test_couch_to_5k_is_27_runs_ending_at_5_km():
    runs = ProgramSession.objects.filter(program__slug="couch-to-5k")
    assert runs.count() == 27 and set(runs.values_list("activity_type__slug", flat=True)) == {"running"}
    assert not runs.filter(target_duration_seconds__isnull=True) and not runs.filter(target_intensity="")
    assert runs.get(week=1, day=1).target_intensity == "8 × (60 s run / 90 s walk)"
    assert set(runs.filter(week=9).values_list("target_distance_m", flat=True)) == {Decimal(5000)}


def test_yoga_plan_is_20_to_40_minutes_with_library_stretches():
    days = ProgramSession.objects.filter(program__slug="yoga-mobility-4-week")
    minutes = sorted(s // 60 for s in days.values_list("target_duration_seconds", flat=True))
    assert minutes[0] == 20 and minutes[-1] == 40
    assert set(days.values_list("activity_type__slug", flat=True)) == {"yoga"}
    stretches = ProgramExercise.objects.filter(session__program__slug="yoga-mobility-4-week")
    assert stretches.exists() and not stretches.filter(exercise__owner__isnull=False)


def test_a_missing_exercise_fails_the_load_and_names_it(copy_dir, monkeypatch):
    data = json.loads((copy_dir / "couch-to-5k.json").read_text())
    data["weeks"][0]["days"][0]["exercises"] = [{"exercise": "No_Such_Exercise", "sets": 1}]
    (copy_dir / "couch-to-5k.json").write_text(json.dumps(data))
    monkeypatch.setattr(program_files, "OFFICIAL_PROGRAMS_DIR", copy_dir)
    before = _snapshot()
    with pytest.raises(OfficialProgramError, match="'couch-to-5k', week 1, day 1, exercise 1: exercise 'No_Such"):
        reference.official_programs_load()
    assert _snapshot() == before


def test_a_broken_week_is_refused(copy_dir):
    data = json.loads((copy_dir / "yoga-mobility-4-week.json").read_text())
    data["weeks"][2]["days"].pop()
    with pytest.raises(OfficialProgramError, match="not whole: Week 3 has 2 of 3 sessions"):
        official_program_sync(data=data)


def test_a_file_must_be_named_by_its_slug(copy_dir):
    (copy_dir / "renamed.json").write_text((copy_dir / "couch-to-5k.json").read_text())
    with pytest.raises(OfficialProgramError, match="renamed.json: its slug must be its file name"):
        reference.official_programs_load(directory=copy_dir)


def test_a_changed_file_replaces_the_tree_while_nobody_is_enrolled():
    data = _data("couch-to-5k")
    data["weeks"][0]["days"][0]["target_intensity"] = "7 × (60 s run / 90 s walk)"
    program = Program.objects.get(slug="couch-to-5k")
    old_ids = set(ProgramSession.objects.filter(program=program).values_list("pk", flat=True))
    result = official_program_sync(data=data)
    assert result.outcome == "replaced"
    new = ProgramSession.objects.filter(program=program)
    assert new.get(week=1, day=1).target_intensity.startswith("7 ×")
    assert not old_ids & set(new.values_list("pk", flat=True)) and new.count() == 27
    assert Program.objects.filter(slug="couch-to-5k").count() == 1


def test_with_people_enrolled_the_tree_is_updated_in_place():
    program = Program.objects.get(slug="beginner-full-body")
    person = UserFactory()
    enrollment = Enrollment.objects.create(user=person, program=program, start_date=person.local_today())
    first = ProgramSession.objects.get(program=program, week=1, day=1)
    EnrollmentDay.objects.create(
        enrollment=enrollment, program_session=first, week=1, day=1, status="done", local_date=person.local_today()
    )
    ids = set(ProgramSession.objects.filter(program=program).values_list("pk", flat=True))
    data = _data("beginner-full-body")
    data["weeks"][0]["days"][0]["exercises"][0]["percent_1rm"] = 60
    data["weeks"][0]["days"][0]["exercises"].append({"exercise": "Plank", "sets": 2, "target_duration_seconds": 30})
    result = official_program_sync(data=data)
    assert result.outcome == "updated in place" and "people are enrolled" in " ".join(result.notes)
    assert set(ProgramSession.objects.filter(program=program).values_list("pk", flat=True)) == ids
    squat = ProgramExercise.objects.get(session=first, order=1)
    assert squat.percent_1rm == Decimal(60)
    assert ProgramExercise.objects.filter(session=first).count() == 5
    assert EnrollmentDay.objects.filter(enrollment=enrollment).count() == 1


def test_staff_archive_is_respected_but_official_fields_are_restored():
    Program.objects.filter(slug="couch-to-5k").update(status=ProgramStatus.ARCHIVED, name="Renamed by hand")
    result = official_program_sync(data=_data("couch-to-5k"))
    program = Program.objects.get(slug="couch-to-5k")
    assert result.outcome == "updated" and program.name == "Couch to 5K"
    assert program.status == ProgramStatus.ARCHIVED
