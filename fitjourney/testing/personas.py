from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fitjourney.hooks import roles

from .factories import UserFactory

User = Any  # the project's user model (settings.AUTH_USER_MODEL); the kit imports no app

PERSONA_NAMES = ("anonymous", "owner", "other_member", "trainer", "staff")


@dataclass(frozen=True)
class Personas:
    """The five people every URL and API operation is tested for.

    `owner` is an ordinary member who owns the data under test; `trainer` is a trainer who does
    not coach the owner (issues that add coaching relations test the owner's own trainer too);
    `staff` is a member of the "Gym staff" group.
    """

    owner: User
    other_member: User
    trainer: User
    staff: User

    def items(self) -> list[tuple[str, User | None]]:
        return [
            ("anonymous", None),
            ("owner", self.owner),
            ("other_member", self.other_member),
            ("trainer", self.trainer),
            ("staff", self.staff),
        ]


def make_personas(user_factory: Any = UserFactory) -> Personas:
    """The personas, made with `user_factory` (the project's conftest passes the accounts app's, which
    gives each the profile every account has; the kit's own makes bare accounts)."""
    roles.groups_sync()
    trainer = roles.assign(user=user_factory(username="trainer_t"), role=roles.TRAINER)
    staff = roles.assign(user=user_factory(username="staff_s"), role=roles.GYM_STAFF)
    return Personas(
        owner=user_factory(username="owner_o"),
        other_member=user_factory(username="other_m"),
        trainer=trainer,
        staff=staff,
    )
