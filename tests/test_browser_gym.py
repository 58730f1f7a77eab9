"""The gym in a real browser (issue 13, "Done when"): a member finds a trainer and invites them, sharing
training and body data and letting them record sessions; the trainer — in the admin — accepts, sets
working hours, books the client, is refused a second booking of the same slot, writes the session card
with three exercises and assigns the beginner program; the client sees the booking, the card and the
program on their pages and rates the trainer; the trainer's dashboard shows the completed session and
the new rating.

Two browser contexts, one per person. Between the booking and the card the session has to happen: the
test moves the booking's time to an hour ago in the database, as the clock would (a card is written
after the session started; the booking could not be made in the past)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from coaching.models import Booking, BookingStatus, Client, ClientStatus, Location, OpeningHours, SessionCard, Trainer
from fitjourney.hooks import roles
from tests.browser import log_in
from training.models import Enrollment, EnrollmentStatus, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)

ZONE = "Europe/Berlin"
SQUAT = "Barbell Squat"
BENCH = "Barbell Bench Press - Medium Grip"
ROW = "Bent Over Barbell Row"
PROGRAM = "Beginner full body"


@pytest.fixture
def gym(reference_data):
    roles.groups_sync()
    location = Location.objects.create(name="Downtown Gym", timezone=ZONE, address="1 Main Street")
    for weekday in range(7):
        OpeningHours.objects.create(location=location, weekday=weekday, opens=dt.time(6), closes=dt.time(22))
    coach = roles.assign(
        user=UserFactory(email="tess@example.com", first_name="Tess", last_name="Trainer", timezone=ZONE),
        role=roles.TRAINER,
    )
    trainer = Trainer.objects.create(user=coach, bio="Strength and conditioning.", specialities=["Strength"])
    trainer.locations.add(location)
    member = UserFactory(email="mia@example.com", first_name="Mia", last_name="Member", timezone=ZONE)
    return location, trainer, member


@pytest.fixture
def trainer_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _run_action(page: Page, action: str) -> None:
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name=re.compile("^(Run|Go)$")).click()


def _book(page: Page, day: dt.date) -> None:
    page.goto("/admin/coaching/booking/add/")
    page.get_by_label("Client:").select_option(label="Mia Member (with Tess Trainer)")
    page.get_by_label("Location:").select_option(label="Downtown Gym")
    page.locator("input[name=starts_at_0]").fill(day.isoformat())
    page.locator("input[name=starts_at_1]").fill("10:00")
    page.get_by_label("Minutes:").fill("60")
    page.get_by_label("Title:").fill("First session")
    page.get_by_role("button", name="Save", exact=True).click()


def test_member_and_trainer_from_invitation_to_a_rated_session(page, trainer_page, live_server, gym):
    location, trainer, member = gym
    errors: list[str] = []
    for each in (page, trainer_page):
        each.on("pageerror", lambda error: errors.append(str(error)))

    # The member finds the trainer and invites them, sharing training and body data (ticked already)
    # and letting them record sessions.
    log_in(page, "mia@example.com")
    page.goto("/coach/trainers/")
    page.get_by_role("link", name="Tess Trainer").click()
    expect(page.get_by_role("heading", name="Tess Trainer", level=1)).to_be_visible()
    expect(page.get_by_label("Training (sessions, records, programs)")).to_be_checked()
    expect(page.get_by_label("Body metrics", exact=True)).to_be_checked()
    expect(page.get_by_label("Journal", exact=True)).not_to_be_checked()
    page.get_by_label("Record sessions and body metrics for me").check()
    page.get_by_role("button", name="Invite this trainer").click()
    expect(page.get_by_text("Invited", exact=False).first).to_be_visible()
    link = Client.objects.get(member=member, trainer=trainer)
    assert (link.status, link.grant_training, link.grant_body, link.grant_write) == ("invited", True, True, True)

    # The trainer accepts in the admin.
    log_in(trainer_page, "tess@example.com")
    trainer_page.goto("/admin/coaching/client/")
    expect(trainer_page.locator("#result_list")).to_contain_text(re.compile("mia", re.IGNORECASE))
    _run_action(trainer_page, "accept")
    expect(trainer_page.get_by_text("Accepted 1 link")).to_be_visible()
    link.refresh_from_db()
    assert link.status == ClientStatus.ACTIVE

    # ... sets working hours for tomorrow's weekday ...
    tomorrow = timezone.localdate(timezone.now(), trainer.user.zone) + dt.timedelta(days=1)
    trainer_page.goto("/admin/coaching/workinghours/add/")
    trainer_page.get_by_label("Location:").select_option(label="Downtown Gym")
    trainer_page.get_by_label("Weekday:").select_option(label=tomorrow.strftime("%A"))
    trainer_page.get_by_label("Starts:").fill("08:00")
    trainer_page.get_by_label("Ends:").fill("18:00")
    trainer_page.get_by_role("button", name="Save", exact=True).click()
    expect(trainer_page.get_by_text("was added successfully")).to_be_visible()

    # ... books the client tomorrow at 10:00 (Berlin time) ...
    _book(trainer_page, tomorrow)
    expect(trainer_page.get_by_text("was added successfully")).to_be_visible()
    booking = Booking.objects.get()
    assert timezone.localtime(booking.starts_at, trainer.user.zone).time() == dt.time(10)
    # ... and a second booking of the same slot is refused, with the reason, and nothing saved.
    _book(trainer_page, tomorrow)
    expect(trainer_page.get_by_text("already has a booking at this time")).to_be_visible()
    assert Booking.objects.count() == 1

    # The client sees the booking on their page.
    page.goto("/coach/bookings/")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Upcoming"))
    expect(upcoming).to_contain_text("First session with Tess Trainer")

    # The session happens (see the module's docstring).
    start = timezone.now() - dt.timedelta(hours=1, minutes=5)
    Booking.objects.filter(pk=booking.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))

    # The trainer writes the card from the booking list, with three exercises.
    trainer_page.goto("/admin/coaching/booking/")
    trainer_page.get_by_role("link", name="Write the card").click()
    expect(trainer_page.get_by_role("heading", name="Write a session card")).to_be_visible()
    expect(trainer_page.get_by_label("Title:")).to_have_value("First session")
    for index, (name, sets, reps, weight) in enumerate(((SQUAT, 3, 5, 60), (BENCH, 3, 8, 40), (ROW, 3, 10, 30))):
        number = index + 1
        trainer_page.get_by_label(f"Exercise {number}", exact=True).fill(name)
        trainer_page.get_by_label(f"Sets of exercise {number}").fill(str(sets))
        trainer_page.get_by_label(f"Reps of exercise {number}").fill(str(reps))
        trainer_page.get_by_label(f"Weight of exercise {number} in kg").fill(str(weight))
    trainer_page.get_by_label("Feedback:").fill("Great depth on the squats.")
    trainer_page.get_by_label("Next session goals:").fill("Add 2.5 kg to the squat")
    trainer_page.get_by_label("Client's effort (1–5):").select_option("4")
    trainer_page.get_by_role("button", name="Write the card").click()
    expect(trainer_page.get_by_text("Card written for Mia Member")).to_be_visible()
    expect(trainer_page.get_by_text(SQUAT)).to_be_visible()
    card = SessionCard.objects.get()
    assert (card.total_exercises, card.total_sets) == (3, 9)
    session = Session.objects.get(pk=card.session_id)
    assert (session.user, session.recorded_by) == (member, trainer.user)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED

    # ... and assigns the beginner program.
    trainer_page.goto("/admin/coaching/client/")
    trainer_page.get_by_role("link", name="Assign a program").click()
    trainer_page.get_by_label("Program:").select_option(label=PROGRAM)
    trainer_page.get_by_role("button", name="Save").click()
    expect(trainer_page.get_by_text(f"now follows {PROGRAM}")).to_be_visible()
    enrollment = Enrollment.objects.get(user=member, status=EnrollmentStatus.ACTIVE)
    assert enrollment.assigned_by == trainer.user

    # The client sees the completed booking, the card with its workout, rates the trainer ...
    page.goto("/coach/bookings/")
    past = page.locator("section", has=page.get_by_role("heading", name="Past and cancelled"))
    expect(past).to_contain_text("First session with Tess Trainer")
    expect(past).to_contain_text("Completed")
    page.goto("/coach/cards/")
    page.get_by_role("link", name="First session").click()
    expect(page.get_by_text("Great depth on the squats.")).to_be_visible()
    expect(page.get_by_role("heading", name=SQUAT)).to_be_visible()
    expect(page.get_by_role("list", name=f"Sets of {BENCH}").get_by_role("listitem")).to_have_count(3)
    page.get_by_label("★★★★★", exact=True).check()
    page.get_by_label("Comment (optional)").fill("Clear cues, hard work.")
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("heading", name="Your rating")).to_be_visible()
    card.refresh_from_db()
    assert card.client_rating == 5
    trainer.refresh_from_db()
    assert (trainer.rating_average, trainer.rating_count) == (Decimal("5.00"), 1)

    # ... and sees the assigned program.
    page.goto("/train/program/")
    expect(page.get_by_role("heading", name=PROGRAM)).to_be_visible()
    expect(page.get_by_test_id("assigned-by")).to_have_text("assigned by Tess Trainer")

    # The trainer's dashboard shows the completed session and the new rating.
    trainer_page.goto("/admin/coaching/trainerdashboard/")
    dashboard = trainer_page.locator("#content-main")
    expect(dashboard.get_by_test_id("sessions-month")).to_have_text(re.compile(r"^1\s*session card written"))
    expect(dashboard.get_by_test_id("rating")).to_have_text(re.compile(r"^5(\.0)?\s*1 rating$"))
    assert errors == []
