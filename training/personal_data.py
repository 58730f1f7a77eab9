"""How training's models are exported and erased (see fitjourney/hooks/personal_data.py)."""

from __future__ import annotations

from fitjourney.hooks import personal_data as pd

from .models import (
    Exercise,
    IdempotencyKey,
    PersonalRecord,
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
    pd.register(IdempotencyKey, owner="user", exclude=("response_body",), erase=pd.DELETE_NOW)
