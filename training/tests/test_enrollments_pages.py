from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from fitjourney.testing.queries import assert_max_queries
from training.models import Enrollment, EnrollmentDay, Session
from training.services import enrollments as services
from training.tests.enrollment_helpers import give_e1rm, main_lift, published_program
from training.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

CURRENT = reverse("training:enrollment-current")
ACTIONS = ("enrollment-start", "enrollment-skip", "enrollment-pause", "enrollment-resume", "enrollment-restart-week")


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def program():
    return published_program(weeks=2, days=2)


@pytest.fixture
def enrollment(member, program):
    return services.enrollment_create(user=member, program=program)


def _url(name, enrollment):
    return reverse(f"training:{name}", args=[enrollment.pk])


def test_anonymous_is_sent_to_login(client, enrollment):
    for url in (CURRENT, _url("enrollment", enrollment), _url("enrollment-skip", enrollment)):
        response = client.post(url) if "skip" in url else client.get(url)
        assert response.status_code == 302 and "/login" in response.url


def test_enrol_from_the_program_page(client, member, program):
    client.force_login(member)
    page = client.get(reverse("training:program", args=[program.pk])).content.decode()
    assert 'id="enrol"' in page
    response = client.post(reverse("training:program-enrol", args=[program.pk]), {"start_date": ""})
    assert response.status_code == 302 and response.url == CURRENT
    assert Enrollment.objects.get(user=member).program == program


def test_the_program_page_says_when_already_following_another(client, member, enrollment):
    other = published_program(name="Second plan")
    client.force_login(member)
    page = client.get(reverse("training:program", args=[other.pk])).content.decode()
    assert 'data-testid="enrol-already"' in page and enrollment.program.name in page
    response = client.post(reverse("training:program-enrol", args=[other.pk]), follow=True)
    assert "leave it first" in response.content.decode()
    assert Enrollment.objects.get(user=member, status="active").program == enrollment.program
    client.post(reverse("training:program-enrol", args=[other.pk]), {"replace": "on"})
    assert Enrollment.objects.get(user=member, status="active").program == other


def test_enrolling_in_a_draft_or_private_program_is_404(client, member):
    client.force_login(member)
    for program in (ProgramFactory(status="draft", visibility="public"), published_program(visibility="private")):
        assert client.post(reverse("training:program-enrol", args=[program.pk])).status_code == 404


def test_enrol_rejects_a_bad_date_without_500(client, member, program):
    client.force_login(member)
    response = client.post(reverse("training:program-enrol", args=[program.pk]), {"start_date": "nope"})
    assert response.status_code == 302
    assert not Enrollment.objects.filter(user=member).exists()


def test_the_current_page_shows_targets_in_the_persons_units(client, program):
    person = UserFactory(unit_system="imperial")
    give_e1rm(person, main_lift(program), 100)
    services.enrollment_create(user=person, program=program)
    client.force_login(person)
    page = client.get(CURRENT).content.decode()
    assert "3 × 5 @ 165 lb" in page
    assert "75 % of your e1RM 220.5 lb" in page
    assert 'data-testid="week-row"' in page


def test_start_redirects_to_the_session(client, member, enrollment):
    client.force_login(member)
    response = client.post(_url("enrollment-start", enrollment))
    session = Session.objects.get(enrollment=enrollment)
    assert response.status_code == 302 and response.url == reverse("training:session", args=[session.pk])
    again = client.post(_url("enrollment-start", enrollment))
    assert again.url == response.url and Session.objects.filter(enrollment=enrollment).count() == 1


def test_actions_are_post_only(client, member, enrollment):
    client.force_login(member)
    for name in (*ACTIONS, "enrollment-leave"):
        assert client.get(_url(name, enrollment)).status_code == 405
    assert client.get(reverse("training:program-enrol", args=[enrollment.program_id])).status_code == 405


def test_another_persons_enrolment_is_404(client, enrollment):
    client.force_login(UserFactory())
    assert client.get(_url("enrollment", enrollment)).status_code == 404
    for name in (*ACTIONS, "enrollment-leave"):
        assert client.post(_url(name, enrollment), {"confirm": "yes"}).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "active" and not Session.objects.filter(enrollment=enrollment).exists()


def test_skip_pause_resume_restart_with_htmx(client, member, enrollment):
    client.force_login(member)
    response = client.post(_url("enrollment-skip", enrollment), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="enrollment-main"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert EnrollmentDay.objects.filter(enrollment=enrollment, status="skipped").count() == 1
    client.post(_url("enrollment-pause", enrollment), HTTP_HX_REQUEST="true")
    enrollment.refresh_from_db()
    assert enrollment.status == "paused"
    response = client.post(_url("enrollment-resume", enrollment))
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    client.post(_url("enrollment-restart-week", enrollment))
    enrollment.refresh_from_db()
    assert enrollment.current_day == 1 and not EnrollmentDay.objects.filter(enrollment=enrollment).exists()


def test_leave_asks_first(client, member, enrollment):
    client.force_login(member)
    response = client.post(_url("enrollment-leave", enrollment))
    assert response.status_code == 200 and "Leave the program" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    response = client.post(_url("enrollment-leave", enrollment), {"confirm": "yes"})
    assert response.status_code == 302 and response.url == _url("enrollment", enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == "abandoned"
    page = client.get(CURRENT).content.decode()
    assert "You follow no program" in page and enrollment.program.name in page
    assert client.get(_url("enrollment", enrollment)).status_code == 200


def test_the_program_page_costs_the_same_with_12_weeks_of_4_days(client, member):
    program = published_program(weeks=12, days=4, exercises=6)
    give_e1rm(member, main_lift(program), 100)
    enrollment = services.enrollment_create(user=member, program=program)
    client.force_login(member)
    client.get(CURRENT)
    with assert_max_queries(11) as few:
        response = client.get(CURRENT)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="week-row"') == 12
    for _ in range(5):
        services.enrollment_skip_day(user=member, enrollment=enrollment)
    with assert_max_queries(len(few)):
        client.get(CURRENT)
    with assert_max_queries(len(few)):
        client.get(_url("enrollment", enrollment))


def test_train_home_shows_todays_workout(client, member, enrollment):
    client.force_login(member)
    with assert_max_queries(11):
        page = client.get(reverse("training:index")).content.decode()
    assert 'data-testid="program-workout"' in page
    assert reverse("training:enrollment-start", args=[enrollment.pk]) in page
