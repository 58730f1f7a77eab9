"""A living gym for development sites (`load_reference_data --demo`; never in production): two locations,
three trainers (the demo trainer among them), twelve clients (the demo member among them, coached by the
demo trainer) with three weeks of bookings — most done, with session cards, workouts and ratings, a few
missed or cancelled — a week of upcoming ones, weigh-ins and an assigned program; then the dashboards are
refreshed. Idempotent: a second run finds the gym and changes nothing.

Links and bookings are written as rows (demo history lies in the past, which the booking services rightly
refuse, and nobody should be mailed); cards go through the card service so the workouts, statistics and
ratings are what the product computes.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import BodyMetric, User
from accounts.services.demo import DEMO_PASSWORD
from fitjourney.hooks import roles
from training.models import ActivityType, Exercise, Program

from ..models import (
    Booking,
    BookingStatus,
    Client,
    ClientStatus,
    InvitedBy,
    Location,
    OpeningHours,
    Trainer,
    WorkingHours,
)
from . import cards as card_services
from .dashboard import trainer_dashboard_refresh

CENTRAL, RIVERSIDE = "FitJourney Central", "FitJourney Riverside"
TRAINERS = [
    # (e-mail, first, last, specialities, rate, location)
    ("trainer@fitjourney.test", "Theo", "Trainer", ["Strength", "Powerlifting"], "60.00", CENTRAL),
    ("mia.coach@fitjourney.test", "Mia", "Moreno", ["Running", "Mobility"], "55.00", CENTRAL),
    ("kofi.coach@fitjourney.test", "Kofi", "Mensah", ["Hypertrophy", "Nutrition"], "65.00", RIVERSIDE),
]
CLIENT_NAMES = [
    ("Ava", "Brooks"),
    ("Ben", "Carter"),
    ("Chloe", "Diaz"),
    ("Dev", "Evans"),
    ("Elif", "Fischer"),
    ("Finn", "Garcia"),
    ("Grace", "Hughes"),
    ("Hugo", "Ito"),
    ("Isla", "Jones"),
    ("Jonas", "Khan"),
    ("Kara", "Lopez"),
]
FEEDBACK = [
    "Good depth on the squats; keep the chest up on the last reps.",
    "Strong session. Bench moved fast — we add 2.5 kg next time.",
    "Form held up well under fatigue. Sleep more before heavy days.",
    "Great energy today. Watch the knees on lunges.",
]


def _person(email: str, first: str, last: str) -> User:
    user = User.all_objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            username=email.split("@")[0].replace(".", "_"),
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if user.intake_completed_at is None:
        user.intake_completed_at = timezone.now()
        user.save(update_fields=["intake_completed_at"])
    return user


def _locations(staff: User | None) -> dict[str, Location]:
    places = {}
    for name, opens, closes, days in ((CENTRAL, 6, 22, range(7)), (RIVERSIDE, 7, 21, range(6))):
        location, _ = Location.objects.get_or_create(
            name=name,
            defaults={"address": f"{name}, 1 Demo Street", "capacity": 40, "facilities": ["Free weights", "Cardio"]},
        )
        for weekday in days:
            OpeningHours.objects.get_or_create(
                location=location, weekday=weekday, defaults={"opens": dt.time(opens), "closes": dt.time(closes)}
            )
        places[name] = location
    if staff is not None:
        places[CENTRAL].staff.add(staff)
    return places


def _trainers(places: dict[str, Location]) -> list[Trainer]:
    trainers = []
    for email, first, last, specialities, rate, place in TRAINERS:
        user = _person(email, first, last)
        roles.assign(user=user, role=roles.TRAINER)
        trainer, _ = Trainer.objects.get_or_create(
            user=user,
            defaults={
                "bio": f"{first} coaches {', '.join(specialities).lower()}.",
                "specialities": specialities,
                "certifications": ["NASM-CPT"],
                "years_experience": 6,
                "hourly_rate": Decimal(rate),
                "languages": ["English"],
            },
        )
        trainer.locations.add(places[place])
        for weekday in range(5):
            WorkingHours.objects.get_or_create(
                trainer=trainer,
                weekday=weekday,
                defaults={"location": places[place], "starts": dt.time(8), "ends": dt.time(18)},
            )
        trainers.append(trainer)
    return trainers


def _workout(rng: random.Random, lifts: list[Exercise], strength: ActivityType) -> dict[str, Any]:
    return {
        "activity_type": strength,
        "exercises": [
            {"exercise": lift, "sets": [{"reps": 8, "weight_kg": Decimal(30 + 5 * rng.randint(0, 8))}] * 3}
            for lift in rng.sample(lifts, 3)
        ],
    }


@transaction.atomic
def gym_demo_ensure(*, accounts: dict[str, Any]) -> str:
    if (
        Location.objects.filter(name=CENTRAL).exists()
        and Client.objects.filter(trainer__user__email=TRAINERS[0][0]).exists()
    ):
        return "demo gym: already there"
    rng = random.Random(13)
    places = _locations(accounts.get("staff"))
    trainers = _trainers(places)
    strength = ActivityType.objects.get(slug="weight-training")
    lifts = list(Exercise.objects.filter(owner__isnull=True, tracks_weight=True).order_by("name")[:12])
    members = [accounts["member"]] + [
        _person(f"{first.lower()}.{last.lower()}@fitjourney.test", first, last) for first, last in CLIENT_NAMES
    ]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    links: list[Client] = []
    for n, member in enumerate(members):
        trainer = trainers[0] if n < 6 else trainers[1 + n % 2]
        link, _ = Client.objects.get_or_create(
            member=member,
            trainer=trainer,
            status=ClientStatus.ACTIVE,
            defaults={
                "invited_by": InvitedBy.MEMBER,
                "level": "intermediate",
                "membership_type": "monthly",
                "grant_training": True,
                "grant_body": True,
                "grant_write": True,
                "grant_habits": n % 2 == 0,
                "accepted_at": now - dt.timedelta(days=30),
            },
        )
        links.append(link)
        if BodyMetric.objects.filter(user=member, metric_type_id="weight").exists():
            continue  # the demo member's own weigh-ins (coaching.services.member_demo) stay as they are
        for week in range(5):
            BodyMetric.objects.get_or_create(
                user=member,
                metric_type_id="weight",
                local_date=(now - dt.timedelta(weeks=week)).date(),
                defaults={"value": Decimal(70 + n) + Decimal(week) / 2, "measured_at": now - dt.timedelta(weeks=week)},
            )
    bookings = cards = 0
    for index, link in enumerate(links):
        hour = 8 + (index % 6) * 1 + (index // 6)
        location = places[CENTRAL] if link.trainer.locations.filter(name=CENTRAL).exists() else places[RIVERSIDE]
        for days_ago in (19, 16, 12, 9, 5, 2, -2, -5):
            day = (now - dt.timedelta(days=days_ago)).date()
            while day.weekday() >= 5:  # working days only
                day -= dt.timedelta(days=1)
            start = dt.datetime.combine(day, dt.time(min(hour, 17)), tzinfo=dt.UTC)
            if Booking.objects.filter(
                trainer=link.trainer, starts_at__lt=start + dt.timedelta(hours=1), ends_at__gt=start
            ).exists():
                continue
            booking = Booking.objects.create(
                trainer=link.trainer,
                client=link,
                member=link.member,
                location=location,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=1),
                title="Personal training",
                created_by=link.trainer.user,
            )
            bookings += 1
            if start > now:
                continue
            fate = rng.random()
            if fate < 0.08:
                Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.NO_SHOW)
            elif fate < 0.15:
                Booking.objects.filter(pk=booking.pk).update(
                    status=BookingStatus.CANCELLED,
                    cancelled_at=start - dt.timedelta(hours=30),
                    cancelled_by=link.member,
                    cancellation_reason="Travelling.",
                )
            else:
                card = card_services.session_card_write(
                    user=link.trainer.user,
                    client=link,
                    booking=booking,
                    workout=_workout(rng, lifts, strength),
                    title="Strength session",
                    duration_minutes=60,
                    feedback=rng.choice(FEEDBACK),
                    next_session_goals=["Add 2.5 kg to the main lift"],
                    effort_rating=rng.randint(3, 5),
                )
                if link.member is not None and rng.random() < 0.7:
                    card_services.session_card_rate(user=link.member, card=card, rating=rng.choice([4, 5, 5]))
                cards += 1
    program = Program.objects.filter(slug="beginner-full-body", status="active").first()
    if program is not None:
        for link in links[1:4]:
            card_services.program_assign(user=link.trainer.user, client=link, program=program)
    for link in links:
        card_services.client_stats_refresh(client=link)
    for trainer in trainers:
        card_services.trainer_rating_refresh(trainer_id=trainer.pk)
        trainer_dashboard_refresh(trainer_id=trainer.pk)
    return (
        f"demo gym: 2 locations, {len(trainers)} trainers, {len(links)} clients, {bookings} bookings, {cards} cards"
        f" (trainers' password: {DEMO_PASSWORD})"
    )


__all__ = ["gym_demo_ensure"]
