from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries, assert_num_queries
from training.models import ActivityType, Program, ProgramExercise, ProgramSession, ProgramStatus, Visibility
from training.selectors import programs as selectors
from training.services import programs as services
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _program(user, *, weeks=2, per_week=2, exercises=1, name="Strong Start", publish=False, **fields):
    strength = ActivityType.objects.get(slug="weight-training")
    data = {
        "name": name,
        "duration_weeks": weeks,
        "sessions_per_week": per_week,
        **fields,
        "weeks": [
            {
                "week": w,
                "days": [
                    {
                        "day": d,
                        "name": f"Day {d}",
                        "activity_type": strength.pk,
                        "exercises": [
                            {
                                "exercise": ExerciseFactory().pk,
                                "sets": 3,
                                "reps_min": 8,
                                "reps_max": 10,
                                "percent_1rm": Decimal("75"),
                                "target_rpe": Decimal("8"),
                                "rest_seconds": 120,
                            }
                            for _ in range(exercises)
                        ],
                    }
                    for d in range(1, per_week + 1)
                ],
            }
            for w in range(1, weeks + 1)
        ],
    }
    program = services.program_save_nested(user=user, program=None, data=data)
    if publish:
        services.program_publish(user=user, program=program)
        program.refresh_from_db()
    return program


# ---------------------------------------------------------------------------------------------------
# Access


def test_access_to_a_draft(client, personas):
    program = _program(personas.owner)
    ps = program.sessions.first()
    pe = ProgramExercise.objects.filter(session=ps).first()
    reads = {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    for url in (
        reverse("training:program", args=[program.pk]),
        reverse("training:program-edit", args=[program.pk]),
        reverse("training:program-day-edit", args=[ps.pk]),
        reverse("training:program-day-search", args=[ps.pk]) + "?q=squat",
        reverse("training:program-exercise-edit", args=[pe.pk]),
        reverse("training:program-archive", args=[program.pk]),
        reverse("training:program-delete", args=[program.pk]),
    ):
        assert_access(client, personas, lambda c, url=url: c.get(url), reads)
    # Writes: others get 404 and nothing changes (the owner's answers are checked in the flows below).
    writes = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(
        client,
        personas,
        lambda c: c.post(reverse("training:program-exercise-move", args=[pe.pk]), {"direction": "down"}),
        writes,
    )
    for name, args, data in (
        ("training:program-day-add", [program.pk], {"week": 1}),
        ("training:program-week-copy", [program.pk], {"from_week": 1, "to_week": 2}),
        ("training:program-publish", [program.pk], {}),
        ("training:program-copy", [program.pk], {}),
        ("training:program-day-move", [ps.pk], {"direction": "down"}),
        ("training:program-exercise-add", [ps.pk], {"exercise": pe.exercise_id}),
        ("training:program-exercise-delete", [pe.pk], {}),
        ("training:program-day-delete", [ps.pk], {}),
        ("training:program-archive", [program.pk], {"confirm": "yes"}),
        ("training:program-delete", [program.pk], {"confirm": "yes"}),
    ):
        for who in (None, personas.other_member, personas.trainer, personas.staff):
            client.logout()
            if who is not None:
                client.force_login(who)
            response = client.post(reverse(name, args=args), data)
            assert response.status_code == (302 if who is None else 404), (name, who)
    assert ProgramSession.objects.filter(program=program).count() == 4
    program.refresh_from_db()
    assert program.deleted_at is None and program.status == ProgramStatus.DRAFT


def test_access_to_a_published_public_program(client, personas):
    program = _program(personas.owner, publish=True, visibility=Visibility.PUBLIC)
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(reverse("training:program", args=[program.pk])), everyone)
    assert_access(client, personas, lambda c: c.get(reverse("training:programs")), everyone)
    assert_access(client, personas, lambda c: c.get(reverse("training:program-create")), everyone)
    only_owner = {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    assert_access(client, personas, lambda c: c.get(reverse("training:program-edit", args=[program.pk])), only_owner)


def test_state_changes_refuse_get(client):
    user = UserFactory()
    program = _program(user)
    client.force_login(user)
    for name in ("training:program-publish", "training:program-copy", "training:program-day-add"):
        assert client.get(reverse(name, args=[program.pk])).status_code == 405


def test_staff_edit_official_programs_and_trainers_do_not(client, personas):
    official = services.program_create(
        user=personas.staff, is_official=True, name="FJ Official", duration_weeks=1, sessions_per_week=1
    )
    client.force_login(personas.staff)
    assert client.get(reverse("training:program-edit", args=[official.pk])).status_code == 200
    client.force_login(personas.trainer)
    assert client.get(reverse("training:program-edit", args=[official.pk])).status_code == 404
    assert client.get(reverse("training:program", args=[official.pk])).status_code == 404  # a draft


# ---------------------------------------------------------------------------------------------------
# Browse and the program page


def test_browse_finds_typos_filters_and_tabs(client):
    author, reader = UserFactory(), UserFactory()
    beginner = _program(
        author, name="Beginner Full Body", publish=True, visibility=Visibility.PUBLIC, equipment=["barbell"]
    )
    _program(author, name="Advanced Powerbuilding", weeks=12, per_week=1, publish=True, visibility=Visibility.PUBLIC)
    draft = _program(author, name="Secret Full Body Draft")
    client.force_login(reader)
    body = client.get(reverse("training:programs"), {"q": "begginer ful body"}).content.decode()
    assert "Beginner Full Body" in body and "Secret" not in body
    results = client.get(reverse("training:programs"), {"q": "powerbilding"}, **HTMX, HTTP_HX_TARGET="program-results")
    text = results.content.decode()
    assert "<html" not in text and "Advanced Powerbuilding" in text and "Beginner Full Body" not in text
    short = client.get(reverse("training:programs"), {"length": "short"}).content.decode()
    assert "Beginner Full Body" in short and "Advanced Powerbuilding" not in short
    kit = client.get(reverse("training:programs"), {"equipment": "barbell"}).content.decode()
    assert "Beginner Full Body" in kit and "Advanced Powerbuilding" not in kit
    bad = client.get(reverse("training:programs"), {"difficulty": "godlike", "activity_type": "nope"})
    assert bad.status_code == 200
    client.force_login(author)
    mine = client.get(reverse("training:programs"), {"tab": "mine"}).content.decode()
    assert "Secret Full Body Draft" in mine and reverse("training:program", args=[draft.pk]) in mine
    assert reverse("training:program", args=[beginner.pk]) in mine


def test_browse_costs_the_same_whatever_the_catalogue(client, django_assert_max_num_queries):
    author, reader = UserFactory(), UserFactory()
    for i in range(3):
        _program(author, name=f"Plan {i}", weeks=1, per_week=1, publish=True, visibility=Visibility.PUBLIC)
    client.force_login(reader)
    client.get(reverse("training:programs"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:programs"), {"q": "plan"})
    for i in range(3, 25):
        _program(author, name=f"Plan {i}", weeks=1, per_week=1, publish=True, visibility=Visibility.PUBLIC)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("training:programs"), {"q": "plan"})
    assert len(many) == len(few)
    # The selector alone: a count, a page, its activity types.
    with assert_num_queries(3):
        qs = selectors.programs_browse(user=reader, q="plan")
        from django.core.paginator import Paginator

        page = Paginator(qs, 20).get_page(1)
        [list(p.activity_types.all()) for p in page.object_list]


def test_program_page_with_12_weeks_4_days_6_exercises_costs_at_most_8_queries(client):
    user = UserFactory()
    program = _program(user, weeks=12, per_week=4, exercises=6, publish=True, visibility=Visibility.PUBLIC)
    reader = UserFactory(unit_system="imperial")
    client.force_login(reader)
    client.get(reverse("training:program", args=[program.pk]))  # warm caches
    with assert_max_queries(8):
        response = client.get(reverse("training:program", args=[program.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="exercise-target"') == 12 * 4 * 6
    assert "3 × 8–10 @ 75 % 1RM" in body and "RPE 8" in body and "Rest 2:00" in body
    assert "Week 12" in body
    # The tree is all prefetched: the selector plus presenting it is four queries, then none.
    with assert_num_queries(4):
        detail = selectors.program_detail(user=reader, program_id=program.pk)
    from training import presenters

    with assert_num_queries(0):
        presenters.program_weeks(detail, reader)


def test_run_days_show_targets_in_the_persons_units(client):
    user = UserFactory(unit_system="imperial")
    running = ActivityType.objects.get(slug="running")
    program = services.program_create(user=user, name="Couch to 5K", duration_weeks=1, sessions_per_week=1)
    services.program_session_add(
        user=user,
        program=program,
        week=1,
        activity_type=running,
        target_duration_seconds=1500,
        target_distance_m=Decimal("3000"),
        target_intensity="run 60 s / walk 90 s × 8",
    )
    client.force_login(user)
    body = client.get(reverse("training:program", args=[program.pk])).content.decode()
    assert "25 min · 1.86 mi · run 60 s / walk 90 s × 8" in body


# ---------------------------------------------------------------------------------------------------
# The builder


def test_create_then_build_then_publish(client):
    user = UserFactory(unit_system="imperial")
    client.force_login(user)
    response = client.post(
        reverse("training:program-create"),
        {
            "name": "My Plan",
            "difficulty": "beginner",
            "duration_weeks": 2,
            "sessions_per_week": 1,
            "visibility": "public",
        },
    )
    program = Program.objects.get(author=user)
    assert response.status_code == 302 and response.url == reverse("training:program-edit", args=[program.pk])
    strength = ActivityType.objects.get(slug="weight-training")
    response = client.post(
        reverse("training:program-day-add", args=[program.pk]),
        {"week": 1, "activity_type": strength.pk, "name": "Full body"},
        **HTMX,
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    ps = program.sessions.get()
    search = client.get(reverse("training:program-day-search", args=[ps.pk]), {"q": "benchpres"}, **HTMX)
    assert "Add " in search.content.decode() and "Bench" in search.content.decode()
    exercise = ExerciseFactory(name="Zq Goblet Squat")
    client.post(reverse("training:program-exercise-add", args=[ps.pk]), {"exercise": exercise.pk}, **HTMX)
    pe = ps.exercises.get()
    edit = client.post(
        reverse("training:program-exercise-edit", args=[pe.pk]),
        {"sets": 3, "reps_min": 8, "reps_max": 12, "weight": "135", "rest": "1:30"},
        **HTMX,
    )
    assert edit.status_code == 200 and "3 × 8–12 @ 135 lb" in edit.content.decode()
    pe.refresh_from_db()
    assert pe.target_weight_kg == Decimal("61.23") and pe.rest_seconds == 90
    bad = client.post(
        reverse("training:program-exercise-edit", args=[pe.pk]), {"sets": 3, "percent_1rm": "111"}, **HTMX
    )
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    # Publishing with week 2 empty says so; copying week 1 fixes it.
    client.post(reverse("training:program-publish", args=[program.pk]))
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT
    page = client.get(reverse("training:program-edit", args=[program.pk])).content.decode()
    assert "Week 2 has 0 of 1 session." in page
    client.post(reverse("training:program-week-copy", args=[program.pk]), {"from_week": 1, "to_week": 2}, **HTMX)
    response = client.post(reverse("training:program-publish", args=[program.pk]))
    assert response.url == reverse("training:program", args=[program.pk])
    program.refresh_from_db()
    assert program.status == ProgramStatus.ACTIVE


def test_builder_errors_come_back_in_the_partial(client):
    user = UserFactory()
    program = _program(user, weeks=1, per_week=1)
    client.force_login(user)
    strength = ActivityType.objects.get(slug="weight-training")
    response = client.post(
        reverse("training:program-day-add", args=[program.pk]), {"week": 1, "activity_type": strength.pk}, **HTMX
    )
    assert response.status_code == 400 and "already has its 1 days" in response.content.decode()
    ps = program.sessions.get()
    day = client.post(
        reverse("training:program-day-edit", args=[ps.pk]),
        {"week": 1, "day": 1, "activity_type": strength.pk, "estimated_duration_minutes": 0},
        **HTMX,
    )
    assert day.status_code == 400 and day["HX-Retarget"] == f"#day-edit-{ps.pk}"


def test_delete_and_archive_have_a_confirm_step(client):
    user = UserFactory()
    program = _program(user, publish=True)
    client.force_login(user)
    confirm = client.get(reverse("training:program-archive", args=[program.pk]))
    assert confirm.status_code == 200 and 'name="confirm" value="yes"' in confirm.content.decode()
    client.post(reverse("training:program-archive", args=[program.pk]))  # no confirm: the question again
    program.refresh_from_db()
    assert program.status == ProgramStatus.ACTIVE
    client.post(reverse("training:program-archive", args=[program.pk]), {"confirm": "yes"})
    program.refresh_from_db()
    assert program.status == ProgramStatus.ARCHIVED
    client.post(reverse("training:program-delete", args=[program.pk]), {"confirm": "yes"})
    program.refresh_from_db()
    assert program.deleted_at is not None
    assert client.get(reverse("training:program", args=[program.pk])).status_code == 404


def test_copy_from_the_program_page(client):
    author, reader = UserFactory(), UserFactory()
    program = _program(author, publish=True, visibility=Visibility.PUBLIC)
    client.force_login(reader)
    response = client.post(reverse("training:program-copy", args=[program.pk]))
    copy = Program.objects.get(author=reader)
    assert response.url == reverse("training:program-edit", args=[copy.pk])
    assert copy.sessions.count() == 4


def test_train_page_links_to_programs(client):
    user = UserFactory()
    ActivityTypeFactory()
    client.force_login(user)
    assert reverse("training:programs") in client.get(reverse("training:index")).content.decode()
