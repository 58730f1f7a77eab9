from __future__ import annotations

from .views import bookings, cards, checkins, coach, goals, habits, intake, journal, progress, review, today, trainers

app_name = "coaching"

urlpatterns = [
    *intake.urlpatterns,
    *today.urlpatterns,
    *review.urlpatterns,
    *habits.urlpatterns,
    *journal.urlpatterns,
    *checkins.urlpatterns,
    *progress.urlpatterns,
    *coach.urlpatterns,
    *goals.urlpatterns,
    *cards.urlpatterns,
    *bookings.urlpatterns,
    *trainers.urlpatterns,
]
