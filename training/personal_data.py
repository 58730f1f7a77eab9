"""How training's models are exported and erased (see fitjourney/hooks/personal_data.py)."""

from __future__ import annotations

from accounts.models import User
from fitjourney.hooks import personal_data as pd

from .models import (
    ActivityType,
    Enrollment,
    EnrollmentDay,
    Exercise,
    IdempotencyKey,
    PersonalRecord,
    Program,
    Session,
    SessionExercise,
    SessionMedia,
    SessionMetric,
    Set,
    Streak,
    WorkoutSchedule,
)


def register_all() -> None:
    # Sessions and everything in them: hidden from others at once (their owner is deleted), deleted
    # with the account after 90 days.
    pd.register(Session, owner="user", exclude=("search_vector",), csv=True)
    pd.register(SessionExercise, owner="session__user", csv=True)
    pd.register(Set, owner="session_exercise__session__user", csv=True)
    pd.register(SessionMetric, owner="session__user", csv=True)
    pd.register(SessionMedia, owner="user", files=("file",))
    pd.register(PersonalRecord, owner="user", csv=True)
    pd.register(Streak, owner="user")
    pd.register(WorkoutSchedule, owner="user")
    pd.register(Exercise, owner="owner", exclude=("search_vector",), csv=True)
    # The activity types a person defined: exported; at erasure a private one loses its name (the
    # person's sessions keep pointing at it until the purge), a public one only its author.
    pd.register(ActivityType, owner="owner", csv=True, erase="training.personal_data.activity_types_erase")
    # Programs a person wrote: exported; at erasure the ones nobody follows go, the followed ones are
    # archived (out of browse, still readable by the people finishing them), see programs_erase.
    pd.register(
        Program,
        owner="author",
        exclude=("search_vector",),
        files=("cover_image",),
        erase="training.personal_data.programs_erase",
    )
    # The programs a person follows (or was assigned) and the days they did or skipped: exported, deleted
    # with the account. A trainer's `assigned_by` is SET_NULL when the trainer goes.
    pd.register(Enrollment, owner="user", csv=True)
    pd.register(EnrollmentDay, owner="enrollment__user", csv=True)
    pd.register(IdempotencyKey, owner="user", exclude=("response_body",), erase=pd.DELETE_NOW)


def activity_types_erase(user: User) -> None:
    ActivityType.all_types.filter(owner=user, is_public=True).update(owner=None)
    for activity_type in ActivityType.all_types.filter(owner=user):
        activity_type.name = f"Private activity {activity_type.pk.hex[:8]}"
        activity_type.description = ""
        activity_type.save(update_fields=["name", "description"])


def programs_erase(user: User) -> None:
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from .models import CURRENT_ENROLLMENT_STATUSES, Enrollment, ProgramStatus

    followed = Exists(Enrollment.objects.filter(program=OuterRef("pk"), status__in=CURRENT_ENROLLMENT_STATUSES))
    mine = Program.objects.filter(author=user, deleted_at__isnull=True).alias(followed=followed)
    mine.filter(followed=True).update(status=ProgramStatus.ARCHIVED)
    mine.filter(followed=False).update(deleted_at=timezone.now())
