"""coaching's API under /api/v1/: each module ends with its `urlpatterns`."""

from __future__ import annotations

from . import bookings, cards, checkins, goals, gym, habits, intake, journal, summaries, trainers

urlpatterns = [
    *intake.urlpatterns,
    *habits.urlpatterns,
    *journal.urlpatterns,
    *checkins.urlpatterns,
    *summaries.urlpatterns,
    *goals.urlpatterns,
    *cards.urlpatterns,
    *bookings.urlpatterns,
    *trainers.urlpatterns,
    *gym.urlpatterns,
]
