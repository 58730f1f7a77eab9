"""What a trainer sees of a client in the admin: only the kinds of data the client granted, only while the
link is active; nothing of anyone else's clients; each opening of a client's row recorded in the audit trail.
Gym staff and superusers see everyone, as before."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.admin.base import CLIENT_DATA_VIEW, ScopedAdmin
from accounts.models import AuditLog
from accounts.tests.factories import UserFactory
from coaching.models import Client, ClientStatus
from coaching.services import clients as services
from fitjourney.hooks import scoping
from training.tests.factories import SessionFactory

from .factories import ClientFactory, HabitFactory, LocationFactory, TrainerFactory
from .goals_kit import weigh

pytestmark = pytest.mark.django_db

SESSIONS = "admin:training_session_changelist"
METRICS = "admin:accounts_bodymetric_changelist"


def _listed(client, url_name, **params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


@pytest.fixture
def setup(personas):
    """The owner coached by their own trainer, sharing training and body metrics; data of both the owner
    and another member."""
    link = ClientFactory(member=personas.owner, grant_training=True, grant_body=True)
    data = {
        "session": SessionFactory(user=personas.owner),
        "weight": weigh(personas.owner, 80),
        "other_session": SessionFactory(user=personas.other_member),
        "other_weight": weigh(personas.other_member, 70),
    }
    return link, data


def test_a_trainer_sees_what_the_client_granted(client, personas, setup):
    link, data = setup
    client.force_login(link.trainer.user)
    assert _listed(client, SESSIONS) == {data["session"].pk}
    assert _listed(client, METRICS) == {data["weight"].pk}
    page = client.get(reverse("admin:training_session_change", args=[data["session"].pk]))
    assert page.status_code == 200
    # Another member's row does not exist for this trainer.
    assert client.get(reverse("admin:training_session_change", args=[data["other_session"].pk])).status_code == 302


def test_opening_a_clients_row_is_audited_and_listing_is_not(client, personas, setup):
    link, data = setup
    client.force_login(link.trainer.user)
    _listed(client, SESSIONS)
    assert not AuditLog.objects.filter(action=CLIENT_DATA_VIEW).exists()
    client.get(reverse("admin:accounts_bodymetric_change", args=[data["weight"].pk]))
    entry = AuditLog.objects.get(action=CLIENT_DATA_VIEW)
    assert entry.actor_id == link.trainer.user_id and entry.subject_id == personas.owner.pk
    assert entry.entity_type == "accounts.bodymetric" and entry.entity_id == str(data["weight"].pk)
    assert entry.new_values == {"area": "body", "admin": "BodyMetricAdmin"}
    # Staff looking are not "a trainer opening a client's data".
    client.force_login(personas.staff)
    client.get(reverse("admin:accounts_bodymetric_change", args=[data["weight"].pk]))
    assert AuditLog.objects.filter(action=CLIENT_DATA_VIEW).count() == 1


def test_without_the_grant_the_data_does_not_exist_for_the_trainer(client, personas, setup):
    link, data = setup
    services.client_grants_update(client=link, by=personas.owner, grants={"training": False})
    client.force_login(link.trainer.user)
    assert _listed(client, SESSIONS) == set()
    assert _listed(client, METRICS) == {data["weight"].pk}
    response = client.get(reverse("admin:training_session_change", args=[data["session"].pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert not AuditLog.objects.filter(action=CLIENT_DATA_VIEW).exists()


@pytest.mark.parametrize("status", [ClientStatus.ENDED, ClientStatus.PAUSED, ClientStatus.INVITED])
def test_a_link_that_is_not_active_shows_nothing(client, personas, setup, status):
    link, data = setup
    Client.objects.filter(pk=link.pk).update(
        status=status, ended_at=link.accepted_at if status == ClientStatus.ENDED else None
    )
    client.force_login(link.trainer.user)
    assert _listed(client, SESSIONS) == set() and _listed(client, METRICS) == set()
    assert client.get(reverse("admin:accounts_bodymetric_change", args=[data["weight"].pk])).status_code == 302


def test_ending_the_link_ends_access_at_once(client, personas, setup):
    link, data = setup
    client.force_login(link.trainer.user)
    assert _listed(client, METRICS) == {data["weight"].pk}
    services.client_end(client=link, by=personas.owner)
    assert _listed(client, METRICS) == set()


def test_another_trainer_sees_nothing_of_the_client(client, personas, setup):
    client.force_login(personas.trainer)
    assert _listed(client, SESSIONS) == set() and _listed(client, METRICS) == set()
    link, data = setup
    assert client.get(reverse("admin:training_session_change", args=[data["session"].pk])).status_code == 302


def test_superusers_see_everyone_and_gym_staff_are_not_given_these_pages(client, personas, setup):
    _, data = setup
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert _listed(client, METRICS) == {data["weight"].pk, data["other_weight"].pk}
    assert _listed(client, SESSIONS) == {data["session"].pk, data["other_session"].pk}
    # Gym staff see everyone where they have a permission (sees_everyone, unchanged), but people's
    # sessions and body metrics are not among their permissions: forbidden, not scoped.
    client.force_login(personas.staff)
    assert client.get(reverse(SESSIONS)).status_code == 403
    assert client.get(reverse(METRICS)).status_code == 403


def test_a_members_own_trainer_lists_them_as_a_person_with_any_active_link(client, personas, setup):
    link, _ = setup
    invited = ClientFactory(trainer=link.trainer, status=ClientStatus.INVITED, accepted_at=None)
    services.client_grants_update(client=link, by=personas.owner, grants={"training": False, "body": False})
    client.force_login(link.trainer.user)
    people = _listed(client, "admin:accounts_user_changelist")
    assert personas.owner.pk in people and invited.member.pk not in people
    assert personas.other_member.pk not in people


def test_the_filter_asks_for_the_area_and_refuses_unknown_ones(personas, setup):
    link, _ = setup
    from accounts.models import User

    trainer = link.trainer.user
    for area, expected in (("training", True), ("body", True), ("habits", False), ("journal", False), (None, True)):
        scope = scoping.visible_people_filter(trainer, "pk", area=area)
        assert User.objects.filter(scope, pk=personas.owner.pk).exists() is expected, area
    with pytest.raises(ValueError):
        scoping.visible_people_filter(trainer, "pk", area="diary")


def test_habits_admin_needs_the_habits_grant(personas, setup, rf):
    link, _ = setup
    habit = HabitFactory(user=personas.owner)
    model_admin = admin.site._registry[type(habit)]
    request = rf.get("/")
    request.user = link.trainer.user
    assert not model_admin.get_queryset(request).filter(pk=habit.pk).exists()
    services.client_grants_update(client=link, by=personas.owner, grants={"habits": True})
    assert model_admin.get_queryset(request).filter(pk=habit.pk).exists()


def test_every_scoped_admin_says_which_area_its_rows_are():
    undeclared = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        declared = any("access_area" in vars(cls) for cls in type(model_admin).__mro__ if cls is not ScopedAdmin)
        if not declared:
            undeclared.append(model._meta.label)
        assert model_admin.access_area in (None, *scoping.AREAS), model._meta.label
    assert not undeclared, f"ScopedAdmins without an access_area: {undeclared}"


def test_a_trainer_without_a_link_still_sees_only_themselves(client, personas):
    trainer = TrainerFactory()
    mine = weigh(trainer.user, 75)
    weigh(personas.owner, 80)
    client.force_login(trainer.user)
    assert _listed(client, METRICS) == {mine.pk}


# --- The trainer's own links (ClientAdmin) ------------------------------------------------------------

LINKS = "admin:coaching_client_changelist"


def test_a_trainer_sees_their_own_links_with_invitations_and_nobody_elses(client, personas):
    own = TrainerFactory()
    active = ClientFactory(trainer=own)
    invitation = services.client_invite_trainer(member=personas.owner, trainer=own, grants={"training": True})
    elsewhere = ClientFactory()
    client.force_login(own.user)
    listing = client.get(reverse(LINKS)).content.decode()
    assert {row.pk for row in client.get(reverse(LINKS)).context["cl"].result_list} == {active.pk, invitation.pk}
    assert "training, body" in listing  # what each client shares
    page = client.get(reverse("admin:coaching_client_change", args=[active.pk]))
    assert page.status_code == 200 and str(active.member) in page.content.decode()
    assert client.get(reverse("admin:coaching_client_change", args=[elsewhere.pk])).status_code == 302
    # Gym staff see the links of the trainers working at their locations, and no others.
    location = LocationFactory()
    location.staff.add(personas.staff)
    own.locations.add(location)
    client.force_login(personas.staff)
    assert _listed(client, LINKS) == {active.pk, invitation.pk}
    assert client.get(reverse("admin:coaching_client_change", args=[elsewhere.pk])).status_code == 302
    client.force_login(personas.owner)
    assert client.get(reverse(LINKS)).status_code == 302  # members are not admin users


def test_the_trainer_accepts_an_invitation_in_the_admin(client, personas):
    own = TrainerFactory()
    invitation = services.client_invite_trainer(member=personas.owner, trainer=own, grants={"body": True})
    assert own.user.notifications.get().action_url == reverse("admin:coaching_client_change", args=[invitation.pk])
    client.force_login(own.user)
    response = client.post(reverse(LINKS), {"action": "accept", "_selected_action": [str(invitation.pk)]})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == ClientStatus.ACTIVE and invitation.grant_body and not invitation.grant_training
    # Now the trainer sees the client's body metrics.
    weight = weigh(personas.owner, 81)
    assert _listed(client, METRICS) == {weight.pk}


def test_staff_cannot_answer_for_a_trainer(client, personas):
    invitation = services.client_invite_trainer(member=personas.owner, trainer=TrainerFactory(), grants={})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse(LINKS), {"action": "accept", "_selected_action": [str(invitation.pk)]}, follow=True)
    assert "No such trainer link" in response.content.decode()
    assert Client.objects.get(pk=invitation.pk).status == ClientStatus.INVITED


# --- Trainer profiles (TrainerAdmin) ------------------------------------------------------------------

PROFILE = {
    "bio": "Kettlebells.",
    "specialities": "Strength,Rehab",
    "certifications": "",
    "years_experience": "3",
    "hourly_rate": "",
    "currency": "eur",
    "languages": "English",
    "max_active_clients": "10",
    "accepting_clients": "on",
}


def test_a_trainer_writes_their_own_profile_once(client, personas):
    from coaching.models import Trainer

    from .factories import LocationFactory

    gym = LocationFactory()
    client.force_login(personas.trainer)
    add = reverse("admin:coaching_trainer_add")
    response = client.post(add, {**PROFILE, "user": str(personas.other_member.pk), "locations": [str(gym.pk)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    trainer = Trainer.objects.get()
    assert trainer.user == personas.trainer  # their own, whatever was posted
    assert trainer.specialities == ["Strength", "Rehab"] and trainer.currency == "EUR"
    assert list(trainer.locations.all()) == [gym]
    assert client.get(add).status_code == 403  # one profile each
    change = reverse("admin:coaching_trainer_change", args=[trainer.pk])
    response = client.post(change, {**PROFILE, "max_active_clients": "0"})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert Trainer.objects.get().max_active_clients == 10


def test_a_trainer_sees_only_their_own_profile_and_staff_those_of_their_locations(client, personas):
    mine, other = TrainerFactory(), TrainerFactory()
    client.force_login(mine.user)
    assert _listed(client, "admin:coaching_trainer_changelist") == {mine.pk}
    assert client.get(reverse("admin:coaching_trainer_change", args=[other.pk])).status_code == 302
    location = LocationFactory()
    location.staff.add(personas.staff)
    mine.locations.add(location)
    client.force_login(personas.staff)
    assert _listed(client, "admin:coaching_trainer_changelist") == {mine.pk}
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert _listed(client, "admin:coaching_trainer_changelist") == {mine.pk, other.pk}


def test_staff_give_a_profile_only_to_people_in_the_trainer_group(client, personas):
    location, elsewhere = LocationFactory(), LocationFactory()
    location.staff.add(personas.staff)
    client.force_login(personas.staff)
    response = client.post(reverse("admin:coaching_trainer_add"), {**PROFILE, "user": str(personas.owner.pk)})
    assert response.status_code == 200 and "Trainer group first" in response.content.decode()
    # ... at one of their own locations (else the profile would leave their sight).
    for places, error in (([], "at least one of your locations"), ([elsewhere.pk], "among your own locations")):
        data = {**PROFILE, "user": str(personas.trainer.pk), "locations": [str(pk) for pk in places]}
        response = client.post(reverse("admin:coaching_trainer_add"), data)
        assert response.status_code == 200 and error in response.content.decode()
    data = {**PROFILE, "user": str(personas.trainer.pk), "locations": [str(location.pk)]}
    response = client.post(reverse("admin:coaching_trainer_add"), data)
    assert response.status_code == 302
    assert personas.trainer.trainer_profile.bio == "Kettlebells."
