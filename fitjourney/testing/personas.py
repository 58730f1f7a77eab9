from __future__ import annotations

from dataclasses import dataclass

from accounts import roles, services
from accounts.models import User
from accounts.tests.factories import UserFactory

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


def make_personas() -> Personas:
    services.role_groups_sync()
    trainer = services.user_assign_role(user=UserFactory(username="trainer_t"), role=roles.TRAINER)
    staff = services.user_assign_role(user=UserFactory(username="staff_s"), role=roles.GYM_STAFF)
    return Personas(
        owner=UserFactory(username="owner_o"),
        other_member=UserFactory(username="other_m"),
        trainer=trainer,
        staff=staff,
    )
