"""`load_reference_data --demo` builds a living gym (issue 13, item 7): the demo trainer has clients,
past bookings with cards and ratings, upcoming bookings and a dashboard; a second run changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.services.demo import demo_accounts_ensure
from coaching.models import Booking, Client, Location, SessionCard, Trainer, TrainerDashboard
from fitjourney.hooks import reference, roles

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_gym_is_alive_and_loading_it_twice_changes_nothing(reference_data):
    roles.groups_sync()
    accounts = demo_accounts_ensure()
    (summary,) = [line for line in reference.load_demo(dict(accounts)) if line.startswith("demo gym")]
    assert "2 locations, 3 trainers, 12 clients" in summary
    assert Location.objects.count() == 2 and Trainer.objects.count() == 3
    theo = Trainer.objects.get(user=accounts["trainer"])
    assert Client.objects.filter(trainer=theo, member=accounts["member"], status="active").exists()
    assert Client.objects.filter(trainer=theo).count() == 6
    assert Booking.objects.filter(trainer=theo, starts_at__gt=timezone.now()).exists()
    assert SessionCard.objects.filter(trainer=theo).count() >= 10
    theo.refresh_from_db()
    assert theo.rating_count > 0 and theo.rating_average >= 4
    dashboard = TrainerDashboard.objects.get(trainer=theo)
    assert dashboard.active_clients == 6 and dashboard.completed_90d > 0
    cards, bookings = SessionCard.objects.count(), Booking.objects.count()
    assert reference.load_demo(dict(accounts))[-1] == "demo gym: already there"
    assert (SessionCard.objects.count(), Booking.objects.count()) == (cards, bookings)
