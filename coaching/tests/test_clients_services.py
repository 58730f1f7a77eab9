"""Trainer profiles and the member–trainer link: invitations both ways, answers, grants, pause, end,
refusals, the derived active client count and the notifications each side gets."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Notification
from accounts.tests.factories import UserFactory
from coaching.models import Client, ClientStatus, InvitedBy, Trainer
from coaching.services import clients as services
from coaching.services.trainer_stats import trainers_active_clients_refresh
from fitjourney.errors import NotAllowed, NotFound

from .factories import ClientFactory, LocationFactory, TrainerFactory, _trainer_user

pytestmark = pytest.mark.django_db


def _invite(member, trainer, **grants):
    return services.client_invite_trainer(member=member, trainer=trainer, grants=grants or {"training": True})


# --- Trainer profiles -------------------------------------------------------------------------------


def test_a_trainer_creates_then_changes_their_profile():
    user = _trainer_user()
    gym = LocationFactory()
    trainer = services.trainer_profile_upsert(
        user=user, bio="Lifts.", specialities=[" Strength ", ""], hourly_rate="45.50", currency="eur", locations=[gym]
    )
    assert trainer.specialities == ["Strength"] and trainer.currency == "EUR" and str(trainer.hourly_rate) == "45.50"
    assert list(trainer.locations.all()) == [gym]
    again = services.trainer_profile_upsert(user=user, accepting_clients=False, max_active_clients=3)
    assert again.pk == trainer.pk and not again.accepting_clients and again.bio == "Lifts."
    assert Trainer.objects.filter(user=user).count() == 1


def test_a_member_has_no_trainer_profile():
    with pytest.raises(NotAllowed):
        services.trainer_profile_upsert(user=UserFactory(), bio="Me too.")
    assert not Trainer.objects.exists()


def test_a_profile_refuses_bad_values():
    user = _trainer_user()
    with pytest.raises(ValidationError) as error:
        services.trainer_profile_upsert(user=user, max_active_clients=0)
    assert "max_active_clients" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.trainer_profile_upsert(user=user, rating_average=5)
    assert "rating_average" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.trainer_profile_upsert(user=user, locations=[LocationFactory(is_active=False)])


# --- A member invites a trainer ---------------------------------------------------------------------


def test_a_member_invites_a_trainer_who_is_told_in_app_and_by_mail(django_capture_on_commit_callbacks):
    member, trainer = UserFactory(), TrainerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        link = services.client_invite_trainer(
            member=member, trainer=trainer, grants={"training": True, "journal": False}, message="Hi!"
        )
    assert link.status == ClientStatus.INVITED and link.invited_by == InvitedBy.MEMBER
    assert link.grant_training and not link.grant_body and not link.grant_journal and not link.grant_write
    assert link.invitation_message == "Hi!"
    note = Notification.objects.get(user=trainer.user)
    assert "asks you to be their trainer" in note.title and note.related_id == str(link.pk)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [trainer.user.email]


def test_a_trainer_not_taking_clients_is_refused():
    trainer = TrainerFactory(accepting_clients=False)
    with pytest.raises(ValidationError, match="not taking new clients"):
        _invite(UserFactory(), trainer)
    assert not Client.objects.exists()


def test_a_full_trainer_is_refused():
    trainer = TrainerFactory(max_active_clients=1)
    ClientFactory(trainer=trainer)
    with pytest.raises(ValidationError, match="no room"):
        _invite(UserFactory(), trainer)
    assert Client.objects.count() == 1


def test_a_second_link_to_the_same_trainer_is_refused_but_one_after_the_end_is_fine():
    member, trainer = UserFactory(), TrainerFactory()
    link = _invite(member, trainer)
    with pytest.raises(ValidationError, match="already linked"):
        _invite(member, trainer)
    services.client_end(client=link, by=member)
    assert _invite(member, trainer).status == ClientStatus.INVITED


def test_nobody_is_their_own_client():
    trainer = TrainerFactory()
    with pytest.raises(ValidationError):
        _invite(trainer.user, trainer)


def test_unknown_grants_are_refused():
    with pytest.raises(ValidationError) as error:
        services.client_invite_trainer(member=UserFactory(), trainer=TrainerFactory(), grants={"diary": True})
    assert "grants" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_invitations_of_one_pair_make_one_link():
    member, trainer = UserFactory(), TrainerFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def invite() -> None:
        try:
            barrier.wait()
            _invite(member, trainer)
            outcomes.append("made")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=invite) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["You and this trainer are already linked.", "made"]
    assert Client.objects.filter(member=member, trainer=trainer).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acceptances_for_the_last_place_let_one_client_in():
    """The trainer has room for one more: two members accepting the trainer's invitations at the same
    moment make one active link and one clear refusal (the capacity check is serialised per trainer)."""
    trainer = TrainerFactory(max_active_clients=1)
    links = [services.client_invite_member(trainer_user=trainer.user, email=UserFactory().email) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(link: Client) -> None:
        try:
            barrier.wait()
            assert link.member is not None
            services.client_accept(client=link, by=link.member, grants={"training": True})
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["accepted", f"{trainer} has no room for another client at the moment."])
    assert Client.objects.filter(trainer=trainer, status=ClientStatus.ACTIVE).count() == 1


# --- A trainer invites a member ---------------------------------------------------------------------


def test_a_trainer_invites_a_member_by_email_who_accepts_choosing_grants(django_capture_on_commit_callbacks):
    trainer, member = TrainerFactory(), UserFactory(email="Ann@Example.com")
    link = services.client_invite_member(trainer_user=trainer.user, email="ann@example.COM", message="Join me")
    assert link.member == member and link.invited_by == InvitedBy.TRAINER and link.status == ClientStatus.INVITED
    assert not any(getattr(link, f"grant_{name}") for name in services.CLIENT_GRANT_FIELDS)
    assert Notification.objects.get(user=member).action_url == f"/coach/my-trainers/{link.pk}/"
    # The trainer cannot answer their own invitation.
    with pytest.raises(NotAllowed):
        services.client_accept(client=link, by=trainer.user)
    with django_capture_on_commit_callbacks(execute=True):
        link = services.client_accept(client=link, by=member, grants={"body": True, "nutrition": True})
    assert link.status == ClientStatus.ACTIVE and link.accepted_at is not None
    assert link.grant_body and link.grant_nutrition and not link.grant_training
    assert Notification.objects.filter(user=trainer.user, title__contains="accepted").exists()
    trainer.refresh_from_db()
    assert trainer.active_clients == 1


def test_a_trainer_invitation_names_an_existing_member():
    trainer = TrainerFactory()
    with pytest.raises(ValidationError) as error:
        services.client_invite_member(trainer_user=trainer.user, email="nobody@example.com")
    assert "email" in error.value.message_dict


def test_a_member_cannot_invite_members_as_a_trainer():
    with pytest.raises(NotAllowed):
        services.client_invite_member(trainer_user=UserFactory(), email=UserFactory().email)


# --- Answers ----------------------------------------------------------------------------------------


def test_the_trainer_accepts_a_members_invitation_keeping_the_members_grants(django_capture_on_commit_callbacks):
    member, trainer = UserFactory(), TrainerFactory()
    link = _invite(member, trainer, training=True, body=True)
    with pytest.raises(NotAllowed):
        services.client_accept(client=link, by=member)
    with django_capture_on_commit_callbacks(execute=True):
        link = services.client_accept(client=link, by=trainer.user, grants={"journal": True})
    assert link.status == ClientStatus.ACTIVE and link.grant_training and link.grant_body and not link.grant_journal
    assert Notification.objects.filter(user=member, title__contains="accepted").exists()
    assert Trainer.objects.get(pk=trainer.pk).active_clients == 1
    with pytest.raises(ValidationError, match="already been answered"):
        services.client_accept(client=link, by=trainer.user)


def test_accepting_is_refused_when_the_trainer_filled_up_meanwhile():
    trainer = TrainerFactory(max_active_clients=1)
    link = _invite(UserFactory(), trainer)
    ClientFactory(trainer=trainer)
    with pytest.raises(ValidationError, match="no room"):
        services.client_accept(client=link, by=trainer.user)
    assert Client.objects.get(pk=link.pk).status == ClientStatus.INVITED


def test_the_invited_side_declines_and_the_inviter_is_told():
    member, trainer = UserFactory(), TrainerFactory()
    link = _invite(member, trainer)
    link = services.client_decline(client=link, by=trainer.user)
    assert link.status == ClientStatus.ENDED and link.ended_at is not None
    assert Notification.objects.filter(user=member, title__contains="declined").exists()
    with pytest.raises(ValidationError):
        services.client_decline(client=link, by=trainer.user)


def test_a_stranger_does_not_see_the_link():
    link = ClientFactory()
    stranger = UserFactory()
    for action in (services.client_end, services.client_pause, services.client_decline):
        with pytest.raises(NotFound):
            action(client=link, by=stranger)
    with pytest.raises(NotFound):
        services.client_grants_update(client=link, by=TrainerFactory().user, grants={"journal": True})


# --- Grants, pause, end -----------------------------------------------------------------------------


def test_the_member_changes_grants_at_once_and_the_trainer_is_told():
    link = ClientFactory(grant_training=True, grant_body=True)
    link = services.client_grants_update(client=link, by=link.member, grants={"body": False, "habits": True})
    fresh = Client.objects.get(pk=link.pk)
    assert fresh.grant_training and not fresh.grant_body and fresh.grant_habits and not fresh.grant_journal
    note = Notification.objects.get(user=link.trainer.user)
    assert "changed what you may see" in note.title and "habits" in note.message and "body" not in note.message


def test_only_the_member_changes_grants():
    link = ClientFactory()
    with pytest.raises(NotAllowed):
        services.client_grants_update(client=link, by=link.trainer.user, grants={"journal": True})
    assert not Client.objects.get(pk=link.pk).grant_journal


def test_grants_of_an_ended_link_cannot_change():
    link = ClientFactory(status=ClientStatus.ENDED, ended_at="2026-01-01T00:00Z")
    with pytest.raises(ValidationError):
        services.client_grants_update(client=link, by=link.member, grants={"training": True})


def test_either_side_pauses_and_resumes(django_capture_on_commit_callbacks):
    link = ClientFactory()
    with django_capture_on_commit_callbacks(execute=True):
        link = services.client_pause(client=link, by=link.trainer.user)
    assert link.status == ClientStatus.PAUSED and Trainer.objects.get(pk=link.trainer_id).active_clients == 0
    with pytest.raises(ValidationError):
        services.client_pause(client=link, by=link.member)
    with django_capture_on_commit_callbacks(execute=True):
        link = services.client_resume(client=link, by=link.member)
    assert link.status == ClientStatus.ACTIVE and Trainer.objects.get(pk=link.trainer_id).active_clients == 1


def test_either_side_ends_the_link_and_the_count_follows(django_capture_on_commit_callbacks):
    trainer = TrainerFactory()
    kept = ClientFactory(trainer=trainer)
    link = ClientFactory(trainer=trainer)
    trainers_active_clients_refresh([trainer.pk])
    assert Trainer.objects.get(pk=trainer.pk).active_clients == 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        link = services.client_end(client=link, by=link.member)
    assert callbacks, "the count is refreshed after commit, not inside the member's transaction"
    assert link.status == ClientStatus.ENDED and link.ended_at is not None
    assert Trainer.objects.get(pk=trainer.pk).active_clients == 1
    assert Notification.objects.filter(user=trainer.user, title__contains="ended").exists()
    with pytest.raises(ValidationError, match="already ended"):
        services.client_end(client=link, by=trainer.user)
    services.client_end(client=kept, by=trainer.user)
    assert Notification.objects.filter(user=kept.member, title__contains="ended").exists()


def test_the_active_count_is_not_written_inside_the_members_transaction(django_assert_num_queries):
    """The trainer's row is shared by all their clients: no UPDATE of it may run before commit."""
    link = ClientFactory()
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as ctx:
        services.client_pause(client=link, by=link.member)
    assert not any('UPDATE "coaching_trainer"' in q["sql"] for q in ctx.captured_queries)
