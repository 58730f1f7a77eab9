"""The intake in the admin: the list, the funnel (numbers and cost), the reset (action and button), goals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile, User
from accounts.tests.factories import UserFactory
from coaching.models import Goal, GoalStatus, OnboardingState
from coaching.selectors.intake import intake_funnel
from coaching.services.intake import intake_confirm
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_num_queries

from .factories import OnboardingStateFactory
from .intake_kit import answer_steps

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:coaching_onboardingstate_changelist")
FUNNEL = reverse("admin:coaching_onboardingstate_funnel")


def _state(**fields):
    return OnboardingStateFactory(**fields)


@pytest.fixture
def funnel_people():
    """Five intakes: two complete, one stopped at the goals, one at the body step, one not past the welcome."""
    everything = list(range(12))
    _state(completed_steps=everything, current_step=11, completed_at=None, step_seconds={"0": 10, "1": 20, "2": 60})
    _state(completed_steps=everything, current_step=11, step_seconds={"0": 30, "1": 40, "2": 20})
    OnboardingState.objects.filter(completed_steps=everything).update(completed_at="2030-01-01T00:00:00Z")
    _state(completed_steps=[0, 1], current_step=2, step_seconds={"0": 50, "1": 60})
    _state(completed_steps=[0, 1, 2], current_step=3, step_seconds={"0": 5, "1": 6, "2": 100})
    _state(completed_steps=[], current_step=0)


def test_the_funnel_counts_people_at_each_step(funnel_people):
    with assert_num_queries(2):
        funnel = intake_funnel()
    assert (funnel["started"], funnel["completed"], funnel["completion_rate"]) == (5, 2, 40.0)
    steps = {row["number"]: row for row in funnel["steps"]}
    assert [steps[n]["reached"] for n in range(5)] == [5, 4, 4, 3, 2]
    assert [steps[n]["completed"] for n in range(5)] == [4, 4, 3, 2, 2]
    assert [steps[n]["dropped"] for n in range(5)] == [1, 0, 1, 1, 0]
    assert steps[11]["dropped"] == 0 and steps[11]["reached"] == 2
    assert steps[1]["reached_pct"] == 80.0
    # Medians of the seconds people spent: step 0 of 10, 30, 50, 5 → 20; step 2 of 60, 20, 100 → 60.
    assert (steps[0]["median_seconds"], steps[0]["timed"]) == (20.0, 4)
    assert (steps[2]["median_seconds"], steps[2]["timed"]) == (60.0, 3)
    assert steps[5]["median_seconds"] is None


def test_the_funnel_costs_two_queries_however_many_people(funnel_people):
    for _ in range(5):
        _state(completed_steps=[0, 1, 2, 3], current_step=4, step_seconds={str(n): n for n in range(4)})
    with assert_num_queries(2):
        funnel = intake_funnel()
    assert funnel["started"] == 10


def test_an_empty_funnel(db):
    funnel = intake_funnel()
    assert (funnel["started"], funnel["completion_rate"]) == (0, None)


def test_access_to_the_intake_admin(client, personas):
    state = _state(user=UserFactory(intake_completed_at=None))
    change = reverse("admin:coaching_onboardingstate_change", args=[state.pk])
    staff_only = {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200}
    for url in (CHANGELIST, FUNNEL, change):
        assert_access(client, personas, lambda c, url=url: c.get(url), staff_only)


def test_staff_see_the_funnel_page_linked_from_the_list(client, personas, funnel_people):
    client.force_login(personas.staff)
    listing = client.get(CHANGELIST).content.decode()
    assert f'href="{FUNNEL}"' in listing
    page = client.get(FUNNEL).content.decode()
    assert '<td data-testid="started">5</td>' in page
    assert '<td data-testid="completion-rate">40.0 %</td>' in page
    assert "3. Goals" in page


def test_staff_filter_and_search_intakes(client, personas):
    done = _state(user=UserFactory(email="done@example.com"), completed_steps=list(range(12)), current_step=11)
    OnboardingState.objects.filter(pk=done.pk).update(completed_at="2030-01-01T00:00:00Z")
    _state(user=UserFactory(email="halfway@example.com", intake_completed_at=None), current_step=4)
    client.force_login(personas.staff)
    incomplete = client.get(CHANGELIST, {"complete": "no"}).content.decode()
    assert "halfway@example.com" in incomplete and "done@example.com" not in incomplete
    assert "done@example.com" in client.get(CHANGELIST, {"complete": "yes"}).content.decode()
    assert "halfway@example.com" in client.get(CHANGELIST, {"current_step__exact": "4"}).content.decode()
    found = client.get(CHANGELIST, {"q": "halfway@"}).content.decode()
    assert "halfway@example.com" in found and "done@example.com" not in found


def _confirmed_person():
    person = UserFactory(intake_completed_at=None)
    answer_steps(person)
    intake_confirm(user=person)
    return person


def test_the_reset_action_sends_people_through_the_intake_again(client, personas):
    person = _confirmed_person()
    state = OnboardingState.objects.get(user=person)
    client.force_login(personas.staff)
    response = client.post(CHANGELIST, {"action": "reset_intake", "_selected_action": [str(state.pk)]})
    assert response.status_code == 302
    state.refresh_from_db()
    assert (state.current_step, state.completed_steps, state.reset_count) == (0, [], 1)
    assert User.objects.get(pk=person.pk).intake_completed_at is None
    assert not Profile.objects.get(user=person).is_locked


def test_the_reset_button_posts_and_get_is_refused(client, personas):
    person = _confirmed_person()
    state = OnboardingState.objects.get(user=person)
    url = reverse("admin:coaching_onboardingstate_reset", args=[state.pk])
    client.force_login(personas.staff)
    assert url in client.get(reverse("admin:coaching_onboardingstate_change", args=[state.pk])).content.decode()
    assert client.get(url).status_code == 405
    assert User.objects.get(pk=person.pk).intake_completed_at is not None
    response = client.post(url)
    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).intake_completed_at is None
    # Trainers may not reset (nor even see someone they do not coach).
    client.force_login(personas.trainer)
    assert client.post(url).status_code == 403


def test_intakes_cannot_be_added_or_deleted_in_the_admin(client, personas):
    state = _state(user=UserFactory(intake_completed_at=None))
    client.force_login(personas.staff)
    assert client.get(reverse("admin:coaching_onboardingstate_add")).status_code == 403
    assert client.get(reverse("admin:coaching_onboardingstate_delete", args=[state.pk])).status_code == 403


def test_goals_are_read_mostly(client, personas):
    goal = Goal.objects.create(user=personas.owner, role="primary", category="fat_loss", target_weight_kg=70)
    change = reverse("admin:coaching_goal_change", args=[goal.pk])
    assert_access(
        client,
        personas,
        lambda c: c.get(reverse("admin:coaching_goal_changelist")),
        # Trainers read no goals until they have clients to scope them to.
        {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200},
    )
    client.force_login(personas.staff)
    page = client.get(change).content.decode()
    assert 'name="status"' in page and 'name="target_weight_kg"' not in page
    # Staff may only change its status; an achieved goal gets its date.
    response = client.post(change, {"status": GoalStatus.ACHIEVED, "target_weight_kg": "50"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED and goal.achieved_at is not None and goal.target_weight_kg == 70


def test_a_second_active_goal_of_a_role_is_refused_with_a_message(client, personas):
    Goal.objects.create(user=personas.owner, role="primary", category="fat_loss")
    paused = Goal.objects.create(user=personas.owner, role="primary", category="general_fitness", status="abandoned")
    client.force_login(personas.staff)
    response = client.post(reverse("admin:coaching_goal_change", args=[paused.pk]), {"status": "active"})
    assert response.status_code == 200
    assert "already has an active goal of this role" in response.content.decode()
    paused.refresh_from_db()
    assert paused.status == "abandoned"


def test_access_to_the_reset_button(client, personas):
    state = _state(user=UserFactory(intake_completed_at=None), completed_steps=[0, 1], current_step=2)
    url = reverse("admin:coaching_onboardingstate_reset", args=[state.pk])
    assert_access(
        client,
        personas,
        lambda c: c.post(url),
        {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 302},
    )
    state.refresh_from_db()
    assert (state.reset_count, state.completed_steps) == (1, [])  # staff's reset, and only theirs
