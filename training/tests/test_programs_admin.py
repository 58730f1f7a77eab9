from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.models import Enrollment, Program, ProgramSession, ProgramStatus, Visibility
from training.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:training_program_changelist")
ENROLLMENTS = reverse("admin:training_enrollment_changelist")


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def beginner():
    return Program.objects.get(slug="beginner-full-body")


def _change(program: Program) -> str:
    return reverse("admin:training_program_change", args=[program.pk])


def test_program_admin_access(client, personas, beginner):
    ProgramFactory(author=personas.owner, name="Owner's own plan")
    for url in (CHANGELIST, _change(beginner), ENROLLMENTS):
        assert_access(
            client,
            personas,
            lambda c, url=url: c.get(url),
            {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200},
        )


def test_staff_without_model_permissions_get_403(client):
    plain_staff = UserFactory(is_staff=True)
    client.force_login(plain_staff)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ENROLLMENTS).status_code == 403


def test_superuser_changelist_lists_official_and_peoples_programs_in_pinned_queries(client, superuser):
    for _ in range(5):
        ProgramFactory(author=UserFactory())
    client.force_login(superuser)
    client.get(CHANGELIST)  # warm the session and content types
    # Session and user, count, page (author joined), filter choices (activity types), the total.
    with assert_max_queries(6):
        response = client.get(CHANGELIST)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Beginner full body", "Upper/lower 4-day", "Couch to 5K", "Yoga and mobility"):
        assert name in html
    for _ in range(5):
        ProgramFactory(author=UserFactory())
    with assert_max_queries(6):  # the same with twice the programs
        assert client.get(CHANGELIST).status_code == 200


def test_superuser_change_page_shows_the_grid_and_no_structure_problems(client, superuser):
    program = Program.objects.get(slug="upper-lower-4-day")
    client.force_login(superuser)
    client.get(_change(program))
    # 48 days in one query (type joined, exercises counted) and one for the structure check.
    with assert_max_queries(7):
        response = client.get(_change(program))
    html = response.content.decode()
    assert response.status_code == 200
    assert "None: every week has its days." in html
    assert html.count("Upper A (strength)") >= 12  # one row per week, each linking to its day
    day = ProgramSession.objects.get(program=program, week=1, day=1)
    response = client.get(reverse("admin:training_programsession_change", args=[day.pk]))
    assert response.status_code == 200 and "Barbell Bench Press - Medium Grip" in response.content.decode()


def test_structure_problems_are_shown_for_a_broken_program(client, superuser):
    program = ProgramFactory(author=UserFactory(), duration_weeks=2, sessions_per_week=1)
    client.force_login(superuser)
    html = client.get(_change(program)).content.decode()
    assert "Week 1 has 0 of 1 session." in html and "Week 2 has 0 of 1 session." in html


def test_search_by_name_description_and_tag(client, superuser):
    client.force_login(superuser)
    html = client.get(CHANGELIST, {"q": "couch"}).content.decode()
    assert "Couch to 5K" in html and "Beginner full body" not in html
    html = client.get(CHANGELIST, {"q": "linear progression"}).content.decode()
    assert "Beginner full body" in html and "Couch to 5K" not in html


def test_filters_by_official_and_activity_type(client, superuser):
    mine = ProgramFactory(author=UserFactory(), name="A plan of someone")
    client.force_login(superuser)
    html = client.get(CHANGELIST, {"is_official__exact": "0"}).content.decode()
    assert mine.name in html and "Couch to 5K" not in html
    running = Program.objects.get(slug="couch-to-5k").activity_types.get()
    html = client.get(CHANGELIST, {"activity_types__id__exact": str(running.pk)}).content.decode()
    assert "Couch to 5K" in html and "Beginner full body" not in html


def test_staff_archive_and_mark_official(client, personas):
    published = [
        ProgramFactory(author=personas.owner, status=ProgramStatus.ACTIVE, visibility=Visibility.PRIVATE)
        for _ in range(2)
    ]
    client.force_login(personas.staff)
    response = client.post(
        CHANGELIST,
        {"action": "mark_official", "_selected_action": [str(p.pk) for p in published]},
        follow=True,
    )
    assert "Marked 2 programs official." in response.content.decode()
    assert set(Program.objects.filter(pk__in=[p.pk for p in published]).values_list("is_official", "visibility")) == {
        (True, Visibility.PUBLIC)
    }
    response = client.post(CHANGELIST, {"action": "archive", "_selected_action": [str(published[0].pk)]}, follow=True)
    assert "Archived 1 program." in response.content.decode()
    published[0].refresh_from_db()
    assert published[0].status == ProgramStatus.ARCHIVED


def test_unmark_official_keeps_shipped_programs_official(client, superuser, beginner):
    made_official = ProgramFactory(author=UserFactory(), is_official=True, visibility=Visibility.PUBLIC)
    client.force_login(superuser)
    response = client.post(
        CHANGELIST,
        {"action": "unmark_official", "_selected_action": [str(beginner.pk), str(made_official.pk)]},
        follow=True,
    )
    html = response.content.decode()
    assert "Unmarked 1 program." in html and "1 shipped as reference data stay official" in html
    made_official.refresh_from_db()
    beginner.refresh_from_db()
    assert not made_official.is_official and beginner.is_official


def test_enrolments_are_read_only(client, superuser, beginner):
    person = UserFactory()
    enrollment = Enrollment.objects.create(user=person, program=beginner, start_date=person.local_today())
    client.force_login(superuser)
    with assert_max_queries(7):
        response = client.get(ENROLLMENTS)
    assert response.status_code == 200 and "Beginner full body" in response.content.decode()
    change = reverse("admin:training_enrollment_change", args=[enrollment.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.get(reverse("admin:training_enrollment_add")).status_code == 403
    response = client.post(change, {"status": "abandoned", "current_week": 3})
    assert response.status_code == 403
    assert client.get(reverse("admin:training_enrollment_delete", args=[enrollment.pk])).status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.status == "active" and enrollment.current_week == 1


def test_trainer_sees_only_official_programs_and_their_clients(client, personas):
    # Trainers have no program permissions: the admin refuses them outright.
    client.force_login(personas.trainer)
    assert client.get(_change(Program.objects.get(slug="couch-to-5k"))).status_code == 403
