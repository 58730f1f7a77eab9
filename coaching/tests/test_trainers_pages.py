"""The trainee's trainer pages: the directory with filters, a trainer's page and invitation, the member's
links with invitations to answer, grants and ending a link; access per persona and pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from coaching.models import Client, ClientStatus, InvitedBy
from coaching.services import clients as services
from fitjourney.testing.access import assert_access

from .factories import ClientFactory, LocationFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def _trainers(count, **kwargs):
    gym = LocationFactory()
    made = []
    for _ in range(count):
        trainer = TrainerFactory(**kwargs)
        trainer.locations.add(gym)
        made.append(trainer)
    return made


def test_access_to_the_pages(client, personas):
    trainer = TrainerFactory()
    link = ClientFactory(member=personas.owner, trainer=trainer)
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    for url in (
        reverse("coaching:trainers"),
        reverse("coaching:trainer", args=[trainer.pk]),
        reverse("coaching:my-trainers"),
    ):
        assert_access(client, personas, lambda c, url=url: c.get(url), everyone)
    owner_only = {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    for url in (reverse("coaching:my-trainer", args=[link.pk]), reverse("coaching:my-trainer-end", args=[link.pk])):
        assert_access(client, personas, lambda c, url=url: c.get(url), owner_only)
    # The link's own trainer does not use the member's pages either.
    client.force_login(trainer.user)
    assert client.get(reverse("coaching:my-trainer", args=[link.pk])).status_code == 404
    assert client.post(reverse("coaching:my-trainer-end", args=[link.pk]), {"confirm": "yes"}).status_code == 404
    assert Client.objects.get(pk=link.pk).status == ClientStatus.ACTIVE


def test_state_changes_are_post_only(client, member):
    link = ClientFactory(member=member, status=ClientStatus.INVITED, invited_by=InvitedBy.TRAINER, accepted_at=None)
    client.force_login(member)
    for name in ("my-trainer-accept", "my-trainer-decline"):
        assert client.get(reverse(f"coaching:{name}", args=[link.pk])).status_code == 405
    assert client.get(reverse("coaching:trainer-invite", args=[link.trainer_id])).status_code == 405
    assert Client.objects.get(pk=link.pk).status == ClientStatus.INVITED


def test_the_directory_lists_trainers_taking_clients_with_their_details(client, member):
    shown = TrainerFactory(specialities=["Strength", "Rehab"], languages=["English", "Dutch"], hourly_rate="50.00")
    shown.rating_average, shown.rating_count = "4.50", 8
    shown.save()
    gym = LocationFactory(name="Harbour Gym")
    shown.locations.add(gym)
    hidden = TrainerFactory(accepting_clients=False)
    client.force_login(member)
    page = client.get(reverse("coaching:trainers")).content.decode()
    assert str(shown) in page and str(hidden) not in page
    assert "★ 4.5 (8 ratings)" in page and "Rehab" in page and "Dutch" in page and "Harbour Gym" in page
    assert "50.00 EUR/hour" in page


def test_the_directory_filters_by_speciality_language_and_location(client, member):
    yoga = TrainerFactory(specialities=["Yoga"], languages=["French"])
    strength = TrainerFactory(specialities=["Strength"], languages=["English"])
    gym = LocationFactory()
    strength.locations.add(gym)
    client.force_login(member)

    def names(**params):
        return {str(t) for t in client.get(reverse("coaching:trainers"), params).context["page"]}

    assert names(speciality="yoga") == {str(yoga)}
    assert names(language="English") == {str(strength)}
    assert names(location=str(gym.pk)) == {str(strength)}
    assert names() == {str(yoga), str(strength)}


def test_the_directory_answers_htmx_with_the_results_only(client, member):
    TrainerFactory()
    client.force_login(member)
    page = client.get(reverse("coaching:trainers"), headers={"HX-Request": "true"}).content.decode()
    assert page.lstrip().startswith('<div id="results">') and "<html" not in page


def test_the_directory_costs_the_same_for_3_or_25_trainers(client, member, django_assert_num_queries):
    """Session, user, count, 2 filter menus, the location menu, the page of trainers, their locations."""
    client.force_login(member)
    _trainers(3)
    with django_assert_num_queries(8):
        client.get(reverse("coaching:trainers"))
    _trainers(22)
    with django_assert_num_queries(8):
        response = client.get(reverse("coaching:trainers"))
    assert len(response.context["page"]) == 20 and response.context["page"].has_next()
    assert response.context["choices"]["specialities"] == ["Strength"]


def test_inviting_a_trainer_from_their_page(client, member):
    trainer = TrainerFactory()
    client.force_login(member)
    page = client.get(reverse("coaching:trainer", args=[trainer.pk])).content.decode()
    assert "Invite this trainer" in page
    # Training and body metrics are ticked for a new link; the journal is not.
    assert 'value="training" id="id_grants_0" checked>' in page and 'value="body" id="id_grants_1" checked>' in page
    assert 'value="journal" id="id_grants_5">' in page
    response = client.post(
        reverse("coaching:trainer-invite", args=[trainer.pk]),
        {"grants": ["training", "habits"], "message": "Coach me"},
    )
    link = Client.objects.get(member=member, trainer=trainer)
    assert response.status_code == 302 and response.url == reverse("coaching:my-trainer", args=[link.pk])
    assert link.status == ClientStatus.INVITED and link.grant_training and link.grant_habits and not link.grant_body
    assert link.invitation_message == "Coach me"
    # Now the page shows the link instead of the form.
    page = client.get(reverse("coaching:trainer", args=[trainer.pk])).content.decode()
    assert "Invite this trainer" not in page and "You are linked with" in page


def test_inviting_a_full_trainer_shows_the_refusal(client, member):
    trainer = TrainerFactory(max_active_clients=1)
    ClientFactory(trainer=trainer)
    client.force_login(member)
    response = client.post(reverse("coaching:trainer-invite", args=[trainer.pk]), {"grants": ["training"]})
    assert response.status_code == 400 and "no room" in response.content.decode()
    assert not Client.objects.filter(member=member).exists()


def test_a_trainer_not_taking_clients_has_no_form(client, member):
    trainer = TrainerFactory(accepting_clients=False)
    client.force_login(member)
    page = client.get(reverse("coaching:trainer", args=[trainer.pk])).content.decode()
    assert "not taking new clients" in page and "Invite this trainer" not in page


def test_the_member_accepts_a_trainers_invitation_with_chosen_grants(client, member):
    trainer = TrainerFactory()
    link = services.client_invite_member(trainer_user=trainer.user, email=member.email, message="Train with me")
    client.force_login(member)
    page = client.get(reverse("coaching:my-trainers")).content.decode()
    assert "Train with me" in page and "Accept" in page and "Decline" in page
    response = client.post(
        reverse("coaching:my-trainer-accept", args=[link.pk]), {f"{link.pk}-grants": ["body", "checkins"]}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == ClientStatus.ACTIVE and link.grant_body and link.grant_checkins and not link.grant_training


def test_the_member_declines_a_trainers_invitation(client, member):
    link = services.client_invite_member(trainer_user=TrainerFactory().user, email=member.email)
    client.force_login(member)
    client.post(reverse("coaching:my-trainer-decline", args=[link.pk]))
    link.refresh_from_db()
    assert link.status == ClientStatus.ENDED


def test_the_member_changes_grants(client, member):
    link = ClientFactory(member=member, grant_training=True, grant_body=True)
    client.force_login(member)
    page = client.get(reverse("coaching:my-trainer", args=[link.pk])).content.decode()
    assert page.count(" checked") == 2
    response = client.post(reverse("coaching:my-trainer", args=[link.pk]), {"grants": ["journal"]})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.grant_journal and not link.grant_training and not link.grant_body


def test_ending_a_link_asks_first(client, member):
    link = ClientFactory(member=member)
    client.force_login(member)
    page = client.get(reverse("coaching:my-trainer-end", args=[link.pk])).content.decode()
    assert "End your link" in page
    client.post(reverse("coaching:my-trainer-end", args=[link.pk]))  # no confirm: nothing happens
    assert Client.objects.get(pk=link.pk).status == ClientStatus.ACTIVE
    response = client.post(reverse("coaching:my-trainer-end", args=[link.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert Client.objects.get(pk=link.pk).status == ClientStatus.ENDED


def test_my_trainers_costs_the_same_for_2_or_12_links(client, member, django_assert_num_queries):
    """Session, user, and the links with both people joined: 3 queries however many links."""
    client.force_login(member)
    ClientFactory(member=member)
    services.client_invite_member(trainer_user=TrainerFactory().user, email=member.email)
    with django_assert_num_queries(3):
        client.get(reverse("coaching:my-trainers"))
    for _ in range(5):
        ClientFactory(member=member)
        services.client_invite_member(trainer_user=TrainerFactory().user, email=member.email)
    with django_assert_num_queries(3):
        page = client.get(reverse("coaching:my-trainers")).content.decode()
    assert page.count(">Accept</button>") == 6 and page.count("Change grants") == 6
    assert page.rindex(">Accept</button>") < page.index("Change grants")  # invitations to answer come first


def test_the_coach_page_links_to_the_trainers(client, member):
    client.force_login(member)
    page = client.get(reverse("coaching:coach")).content.decode()
    assert reverse("coaching:trainers") in page and reverse("coaching:my-trainers") in page


def test_an_unknown_trainer_is_a_404(client, member):
    client.force_login(member)
    gone = TrainerFactory()
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    assert client.get(reverse("coaching:trainer", args=[gone.pk])).status_code == 404
    assert client.get(reverse("coaching:trainer", args=[UserFactory().pk])).status_code == 404
