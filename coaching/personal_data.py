"""How coaching's models are exported and erased (see fitjourney/hooks/personal_data.py)."""

from __future__ import annotations

from fitjourney.hooks import personal_data as pd

from .models import (
    Booking,
    CalendarFeed,
    Client,
    DailySummary,
    Goal,
    GoalKind,
    GoalMilestone,
    Habit,
    HabitLog,
    HabitTemplate,
    JournalEntry,
    OnboardingState,
    PendingSummary,
    SessionCard,
    TimeOff,
    Trainer,
    WeeklySummary,
    WorkingHours,
)


def register_all() -> None:
    pd.register(OnboardingState, owner="user", erase=pd.DELETE_NOW)
    pd.register(Goal, owner="user", csv=True)
    pd.register(GoalMilestone, owner="goal__user", csv=True)
    pd.register(HabitTemplate, owner="created_by", exclude=("is_system",))
    pd.register(Habit, owner="user", csv=True)
    pd.register(HabitLog, owner="habit__user", csv=True)
    # A journal is the most private thing a person writes here: gone at erasure, not after 90 days.
    pd.register(JournalEntry, owner="user", exclude=("search_vector",), csv=True, erase=pd.DELETE_NOW)
    pd.register(DailySummary, owner="user", exclude=("net_calories",), csv=True, erase=pd.DELETE_NOW)
    pd.register(WeeklySummary, owner="user", exclude=("weight_change_kg",), csv=True, erase=pd.DELETE_NOW)
    # The gym (issue 13): a trainer's profile and hours are theirs; a link, its bookings and cards are the
    # member's (the trainer sees them while the link stands).
    pd.register(Trainer, owner="user")
    pd.register(WorkingHours, owner="trainer__user")
    pd.register(TimeOff, owner="trainer__user")
    pd.register(Client, owner="member", csv=True)
    pd.register(Booking, owner="member", csv=True)
    pd.register(SessionCard, owner="client__member", csv=True)
    # The feed's secret is a hash: nothing to export, gone at erasure.
    pd.register(CalendarFeed, owner="user", exclude=("token_hash",), erase=pd.DELETE_NOW)
    pd.exempt(GoalKind._meta.label, "Reference data: the kinds of goal, nobody's personal data.")
    pd.exempt(PendingSummary._meta.label, "A to-do marker for the summary refresh: a date and nothing else.")
