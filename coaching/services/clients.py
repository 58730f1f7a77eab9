"""Trainers and their clients: a trainer's public profile, and the link between a member and a trainer with
the member's consent.

A link starts as an invitation from either side; the invited side accepts or declines. The member alone
chooses and changes the grants (what the trainer may see, and whether they may record on the member's
behalf), at any time, taking effect at once: the scoping resolver reads the link's row on every request.
Either side may pause, resume or end a link; ending it ends the trainer's access at once.

`Trainer.active_clients` is derived after commit in one UPDATE from the links themselves: a trainer's row
is shared by all their clients, so touching it inside a member's transaction would serialise them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import NotificationType, User
from accounts.services.notifications import notify
from fitjourney.errors import NotAllowed, NotFound
from fitjourney.hooks.scoping import is_trainer

from ..models import Client, ClientStatus, InvitedBy, Location, Trainer
from ..models.gym import OPEN_CLIENT_STATUSES
from ..selectors.clients import GRANT_NAMES, active_clients_count
from .trainer_stats import trainers_active_clients_refresh_later

# What the trainer profile form, serializer and admin send.
TRAINER_PROFILE_FIELDS = (
    "bio",
    "specialities",
    "certifications",
    "years_experience",
    "hourly_rate",
    "currency",
    "languages",
    "max_active_clients",
    "locations",
    "accepting_clients",
)
# The grants a member chooses: each names a `grant_<name>` boolean of the link.
CLIENT_GRANT_FIELDS = GRANT_NAMES
# What the invitation form ticks for the member (the journal stays off unless they tick it).
DEFAULT_GRANTS: Mapping[str, bool] = {"training": True, "body": True}
MESSAGE_MAX = 1000


# ---------------------------------------------------------------------------------------------------
# Helpers


def _grant_values(grants: Mapping[str, bool] | None, *, base: Mapping[str, bool] | None = None) -> dict[str, bool]:
    """`grant_<name>` column values: the given grants over `base` (all off when none)."""
    unknown = set(grants or {}) - set(GRANT_NAMES)
    if unknown:
        raise ValidationError({"grants": f"Unknown grants: {', '.join(sorted(unknown))}."})
    values = {name: bool((base or {}).get(name, False)) for name in GRANT_NAMES}
    values.update({name: bool(value) for name, value in (grants or {}).items()})
    return {f"grant_{name}": value for name, value in values.items()}


def _message(message: str) -> str:
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": f"Keep the message under {MESSAGE_MAX} characters."})
    return message


def _party(client: Client, by: User) -> str:
    """ "member" or "trainer": which side of the link `by` is; anybody else does not see the link."""
    if by.pk == client.member_id:
        return InvitedBy.MEMBER
    if by.pk == client.trainer.user_id:
        return InvitedBy.TRAINER
    raise NotFound("No such trainer link.")


def _other_side(client: Client, by: User) -> User | None:
    """The other person of the link (None: a member who erased their account)."""
    return client.trainer.user if _party(client, by) == InvitedBy.MEMBER else client.member


def _locked(client: Client) -> Client:
    """The link's row, locked for this transaction (two answers to one invitation: one wins)."""
    return (
        Client.objects.select_for_update(of=("self",))
        .select_related("member", "trainer", "trainer__user")
        .get(pk=client.pk)
    )


def _check_capacity(trainer: Trainer) -> None:
    """Room for one more active client. Two acceptances for the same trainer at once are serialised by a
    transaction-level advisory lock on the trainer (not a lock on the trainer's row, which the rating
    and count refreshes update), so the second counts the first and the limit holds."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"coaching.capacity:{trainer.pk}"])
    if active_clients_count(trainer=trainer) >= trainer.max_active_clients:
        raise ValidationError({"trainer": f"{trainer} has no room for another client at the moment."})


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _tell(*, user: User | None, title: str, message: str, link: Client, for_trainer: bool) -> None:
    if user is None:
        return
    # SCHEDULE: the coaching relationship's type, which people get in-app and by e-mail unless they chose
    # otherwise. The member answers on their trainers page, the trainer in the admin (or the API).
    action_url = reverse("admin:coaching_client_change" if for_trainer else "coaching:my-trainer", args=[link.pk])
    notify(user=user, type=NotificationType.SCHEDULE, title=title, message=message, related=link, action_url=action_url)


def _refresh_after_commit(trainer_id: Any) -> None:
    trainers_active_clients_refresh_later([trainer_id])


# ---------------------------------------------------------------------------------------------------
# The trainer's profile


def _check_profile(trainer: Trainer) -> None:
    """The table's rules as field errors (the constraints would only name themselves)."""
    errors = {}
    if trainer.max_active_clients is None or trainer.max_active_clients < 1:
        errors["max_active_clients"] = "Take at least one client."
    if trainer.years_experience is None or not 0 <= trainer.years_experience <= 70:
        errors["years_experience"] = "Enter years from 0 to 70."
    if trainer.hourly_rate is not None and trainer.hourly_rate < 0:
        errors["hourly_rate"] = "Enter a rate of zero or more."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def trainer_profile_upsert(*, user: User, **fields: Any) -> Trainer:
    """Creates or changes the profile of a user in the Trainer group; anyone else is refused.

    `fields` are among TRAINER_PROFILE_FIELDS; `locations` is a sequence of Locations (active ones)."""
    if not is_trainer(user):
        raise NotAllowed("Only trainers have a trainer profile.")
    unknown = set(fields) - set(TRAINER_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    locations: Sequence[Location] | None = fields.pop("locations", None)
    trainer = Trainer.objects.select_for_update().filter(user=user).first() or Trainer(user=user)
    for name, value in fields.items():
        if name in ("specialities", "certifications", "languages"):
            value = [str(item).strip() for item in (value or []) if str(item).strip()]
        if name == "hourly_rate" and value not in (None, ""):
            value = Decimal(str(value))
        if name == "currency":
            value = str(value or "").upper()
        setattr(trainer, name, value)
    _check_profile(trainer)
    trainer.full_clean(exclude=["user", "rating_average", "rating_count", "active_clients"])
    trainer.save()
    if locations is not None:
        inactive = [location for location in locations if not location.is_active]
        if inactive:
            raise ValidationError({"locations": "Choose locations that are open."})
        trainer.locations.set(locations)
    return trainer


# ---------------------------------------------------------------------------------------------------
# Invitations


def _create_link(**values: Any) -> Client:
    """Inserts the link; the partial unique constraint refuses a second standing link for the pair — also
    when two requests race past the check before it (then one insert wins, the other gets this message)."""
    try:
        with transaction.atomic():
            return Client.objects.create(**values)
    except IntegrityError as error:
        if "coaching_client_one_open_link" in str(error):
            raise ValidationError({"trainer": "You and this trainer are already linked."}) from error
        raise


@transaction.atomic
def client_invite_trainer(
    *, member: User, trainer: Trainer, grants: Mapping[str, bool] | None = None, message: str = ""
) -> Client:
    """A member asks a trainer to coach them, with the grants the member chose. The trainer accepts or
    declines; nothing is visible to the trainer before they accept."""
    message = _message(message)
    if trainer.user_id == member.pk:
        raise ValidationError({"trainer": "You cannot be your own client."})
    if not trainer.accepting_clients:
        raise ValidationError({"trainer": f"{trainer} is not taking new clients."})
    _check_capacity(trainer)
    if Client.objects.filter(member=member, trainer=trainer, status__in=OPEN_CLIENT_STATUSES).exists():
        raise ValidationError({"trainer": "You and this trainer are already linked."})
    link = _create_link(
        member=member,
        trainer=trainer,
        status=ClientStatus.INVITED,
        invited_by=InvitedBy.MEMBER,
        invitation_message=message,
        **_grant_values(grants),
    )
    _tell(
        user=trainer.user,
        title=f"{_name(member)} asks you to be their trainer",
        message=message or f"{_name(member)} would like you to coach them.",
        link=link,
        for_trainer=True,
    )
    return link


@transaction.atomic
def client_invite_member(*, trainer_user: User, email: str, message: str = "") -> Client:
    """A trainer invites a member by e-mail; the member accepts (choosing the grants) or declines. Until
    then the link grants nothing."""
    message = _message(message)
    trainer = Trainer.objects.filter(user=trainer_user).select_related("user").first()
    if trainer is None or not is_trainer(trainer_user):
        raise NotAllowed("Only trainers with a profile invite clients.")
    member = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if member is None:
        raise ValidationError({"email": "No member has this e-mail address."})
    if member.pk == trainer_user.pk:
        raise ValidationError({"email": "You cannot be your own client."})
    if Client.objects.filter(member=member, trainer=trainer, status__in=OPEN_CLIENT_STATUSES).exists():
        raise ValidationError({"email": "You and this member are already linked."})
    _check_capacity(trainer)
    link = _create_link(
        member=member,
        trainer=trainer,
        status=ClientStatus.INVITED,
        invited_by=InvitedBy.TRAINER,
        invitation_message=message,
        **_grant_values(None),
    )
    _tell(
        user=member,
        title=f"{_name(trainer_user)} invites you to train with them",
        message=message or "Accept to choose what they may see, or decline.",
        link=link,
        for_trainer=False,
    )
    return link


# ---------------------------------------------------------------------------------------------------
# Answers and changes


def _invited_side(link: Client) -> str:
    return InvitedBy.TRAINER if link.invited_by == InvitedBy.MEMBER else InvitedBy.MEMBER


@transaction.atomic
def client_accept(*, client: Client, by: User, grants: Mapping[str, bool] | None = None) -> Client:
    """The invited side accepts: the link becomes active. A member accepting chooses the grants (`grants`);
    a trainer accepting keeps the grants the member sent."""
    link = _locked(client)
    side = _party(link, by)
    if link.status != ClientStatus.INVITED:
        raise ValidationError({"status": "This invitation has already been answered."})
    if side != _invited_side(link):
        raise NotAllowed("The invited side answers an invitation.")
    _check_capacity(link.trainer)
    if side == InvitedBy.MEMBER:
        for name, value in _grant_values(grants).items():
            setattr(link, name, value)
    link.status = ClientStatus.ACTIVE
    link.accepted_at = timezone.now()
    link.save()
    _refresh_after_commit(link.trainer_id)
    _tell(
        user=_other_side(link, by),
        title=f"{_name(by)} accepted your invitation",
        message="You are now linked." if side == InvitedBy.TRAINER else "You are now their trainer.",
        link=link,
        for_trainer=side == InvitedBy.MEMBER,
    )
    return link


@transaction.atomic
def client_decline(*, client: Client, by: User) -> Client:
    link = _locked(client)
    side = _party(link, by)
    if link.status != ClientStatus.INVITED:
        raise ValidationError({"status": "This invitation has already been answered."})
    if side != _invited_side(link):
        raise NotAllowed("The invited side answers an invitation.")
    link.status = ClientStatus.ENDED
    link.ended_at = timezone.now()
    link.save()
    _tell(
        user=_other_side(link, by),
        title=f"{_name(by)} declined your invitation",
        message="The invitation is closed.",
        link=link,
        for_trainer=side == InvitedBy.MEMBER,
    )
    return link


@transaction.atomic
def client_grants_update(*, client: Client, by: User, grants: Mapping[str, bool]) -> Client:
    """The member changes what the trainer may see; grants not named stay as they are. At once: the next
    request of the trainer is scoped by the new values."""
    link = _locked(client)
    if _party(link, by) != InvitedBy.MEMBER:
        raise NotAllowed("Only the member changes what their trainer may see.")
    if link.status == ClientStatus.ENDED:
        raise ValidationError({"status": "This link has ended."})
    before = {name: bool(getattr(link, f"grant_{name}")) for name in GRANT_NAMES}
    values = _grant_values(grants, base=before)
    for name, value in values.items():
        setattr(link, name, value)
    link.save()
    after = {name: values[f"grant_{name}"] for name in GRANT_NAMES}
    if after != before and link.status != ClientStatus.INVITED:
        shared = [name for name, on in after.items() if on and name != "write"]
        _tell(
            user=link.trainer.user,
            title=f"{_name(by)} changed what you may see",
            message="Shared now: " + (", ".join(shared) or "nothing") + ".",
            link=link,
            for_trainer=True,
        )
    return link


@transaction.atomic
def client_pause(*, client: Client, by: User) -> Client:
    """Either side pauses an active link: the trainer sees nothing while it is paused."""
    link = _locked(client)
    _party(link, by)
    if link.status != ClientStatus.ACTIVE:
        raise ValidationError({"status": "Only an active link can be paused."})
    link.status = ClientStatus.PAUSED
    link.save()
    _refresh_after_commit(link.trainer_id)
    return link


@transaction.atomic
def client_resume(*, client: Client, by: User) -> Client:
    link = _locked(client)
    _party(link, by)
    if link.status != ClientStatus.PAUSED:
        raise ValidationError({"status": "Only a paused link can be resumed."})
    _check_capacity(link.trainer)
    link.status = ClientStatus.ACTIVE
    link.save()
    _refresh_after_commit(link.trainer_id)
    return link


@transaction.atomic
def client_end(*, client: Client, by: User) -> Client:
    """Either side ends a standing link (an invitation is withdrawn the same way): access ends at once."""
    link = _locked(client)
    side = _party(link, by)
    if link.status == ClientStatus.ENDED:
        raise ValidationError({"status": "This link has already ended."})
    was_active = link.status in (ClientStatus.ACTIVE, ClientStatus.PAUSED)
    link.status = ClientStatus.ENDED
    link.ended_at = timezone.now()
    link.save()
    _refresh_after_commit(link.trainer_id)
    if was_active:
        _tell(
            user=_other_side(link, by),
            title=f"{_name(by)} ended your coaching link",
            message="The trainer no longer sees any of the member's data.",
            link=link,
            for_trainer=side == InvitedBy.MEMBER,
        )
    return link
