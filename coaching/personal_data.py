"""How coaching's models are exported and erased (see fitjourney/hooks/personal_data.py)."""

from __future__ import annotations

from accounts.models import User
from fitjourney.hooks import personal_data as pd

from .models import (
    Booking,
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
    # At erasure the member's side is anonymised now (gym_member_erase) and the rows stay with the trainer,
    # so the trainer's sessions, attendance and rating stay true.
    pd.register(Client, owner="member", csv=True, erase="coaching.personal_data.gym_member_erase")
    pd.register(Booking, owner="member", csv=True, erase=pd.KEEP, reason="Anonymised by gym_member_erase.")
    pd.register(SessionCard, owner="client__member", csv=True, erase=pd.KEEP, reason="Anonymised by gym_member_erase.")
    pd.exempt(GoalKind._meta.label, "Reference data: the kinds of goal, nobody's personal data.")
    pd.exempt(PendingSummary._meta.label, "A to-do marker for the summary refresh: a date and nothing else.")


def gym_member_erase(user: User) -> None:
    """The member's side of the gym at erasure: links end now (the trainer's access with them) and lose
    the member and what they told the trainer (medical notes, injuries, allergies, emergency contact);
    upcoming bookings are cancelled; every booking loses the member; cards keep the rating and totals
    (the trainer's statistics stay true) but lose the member's comment."""
    from django.utils import timezone

    from .models import OPEN_CLIENT_STATUSES, UPCOMING_BOOKING_STATUSES, BookingStatus, ClientStatus
    from .services.trainer_stats import trainers_active_clients_refresh_later

    now = timezone.now()
    links = Client.objects.filter(member=user)
    trainer_ids = list(links.values_list("trainer_id", flat=True).distinct())
    link_ids = list(links.values_list("pk", flat=True))
    SessionCard.objects.filter(client_id__in=link_ids).update(client_comment="", updated_at=now)
    Booking.objects.filter(member=user, status__in=UPCOMING_BOOKING_STATUSES, starts_at__gt=now).update(
        status=BookingStatus.CANCELLED,
        cancelled_at=now,
        cancellation_reason="The member's account was erased.",
        updated_at=now,
    )
    Booking.objects.filter(member=user).update(member=None, notes="", updated_at=now)
    links.filter(status__in=OPEN_CLIENT_STATUSES).update(status=ClientStatus.ENDED, ended_at=now)
    Client.objects.filter(pk__in=link_ids).update(
        member=None,
        invitation_message="",
        medical_notes="",
        injuries=[],
        allergies=[],
        emergency_contact_name="",
        emergency_contact_phone="",
        emergency_contact_relationship="",
        updated_at=now,
    )
    trainers_active_clients_refresh_later(trainer_ids)
