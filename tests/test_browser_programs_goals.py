"""Programs and goals, in a real browser with a real Celery worker (issue 12): a new person finishes the
intake, finds the official beginner full-body program, enrols, sees today's workout on Today with targets
computed from their estimated 1RM, starts it pre-filled, ticks sets, finishes it and sees the program move
on to the next day with the adherence chart; sets a "bench press 100 kg by June" goal and a "lose 5 kg"
goal, logs a heavier bench set and a lower weight, and after the worker evaluates the goals sees the
progress, the first milestone of each reached and the notifications about them. A second person, in
imperial units, sees the same program's targets in pounds rounded to 5 lb."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import BodyMetric, Notification
from accounts.tests.factories import UserFactory
from coaching.models import Goal, GoalMilestone
from fitjourney import units
from fitjourney.celery import app
from tests.browser import intake_next, intake_step, log_in, wait_for
from training.models import (
    Enrollment,
    EnrollmentDay,
    EnrollmentStatus,
    Exercise,
    PersonalRecord,
    Program,
    RecordType,
    Session,
    SessionStatus,
    Set,
)
from training.tests.enrollment_helpers import give_e1rm

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=15_000)

PROGRAM = "Beginner full body"
BENCH = "Barbell Bench Press - Medium Grip"
SQUAT = "Barbell Squat"
ROW = "Bent Over Barbell Row"
LUNGES = "Dumbbell Lunges"


def _worker_idle(name: str) -> bool:
    """No task running, reserved or waiting for its countdown in the worker."""
    inspect = app.control.inspect(destination=[name], timeout=1.0)
    lists = (inspect.active(), inspect.reserved(), inspect.scheduled())
    return all(found is not None and not found.get(name) for found in lists)


def _lift(external_id: str) -> Exercise:
    return Exercise.objects.get(external_id=external_id)


def _next_june(today: dt.date) -> dt.date:
    """The end of the coming June (this year's if it is still ahead, else next year's)."""
    june = dt.date(today.year, 6, 30)
    return june if june > today else dt.date(today.year + 1, 6, 30)


def _walk_the_intake(page, email: str):
    """The 12 steps, metric, a general-fitness goal with strength second and no target weight (so no
    body-weight goal is made by the intake), 76 kg."""
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/intake/0/$"))
    intake_step(page, "Welcome", 1)
    page.get_by_label("Metric").check()
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    intake_next(page)

    intake_step(page, "Fitness level", 2)
    page.get_by_label("Beginner — new to fitness or returning after a long break").check()
    page.get_by_label("Moderately active (3–5 days a week)").check()
    intake_next(page)

    intake_step(page, "Goals", 3)
    page.get_by_label("General fitness", exact=True).check()
    page.get_by_label("A second goal (optional)").select_option("strength")
    intake_next(page)

    intake_step(page, "Body stats", 4)
    page.get_by_label("Birth date").fill("1990-07-02")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Height (cm)").fill("180")
    page.get_by_label("Weight").fill("76")
    intake_next(page)

    intake_step(page, "Constraints", 5)
    page.get_by_role("radio", name="Gym").check()
    page.get_by_label("Longest workout you have time for (minutes)").fill("60")
    intake_next(page)

    intake_step(page, "Dietary preferences", 6)
    intake_next(page)
    intake_step(page, "Meal plan", 7)
    intake_next(page)
    intake_step(page, "Meal schedule", 8)
    intake_next(page)
    intake_step(page, "Workout schedule", 9)
    for day in ("Monday", "Wednesday", "Friday"):
        page.get_by_label(day).check()
    page.get_by_label("Preferred time").fill("18:00")
    intake_next(page)
    intake_step(page, "Hydration", 10)
    intake_next(page)
    intake_step(page, "Lifestyle", 11)
    page.locator("fieldset", has_text="Your energy lately").get_by_label("Medium").check()
    page.locator("fieldset", has_text="Your stress lately").get_by_label("Low").check()
    page.locator("fieldset", has_text="How well you sleep").get_by_label("Good").check()
    intake_next(page)

    intake_step(page, "Review and confirm", 12)
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def _find_and_enrol(page, today: dt.date):
    """Programs: search, filter by level, open the beginner program and enrol from today."""
    page.goto("/train/")
    page.get_by_role("navigation", name="Training").get_by_role("link", name="Programs").click()
    expect(page.get_by_role("heading", name="Programs", level=1)).to_be_visible()
    results = page.locator("#program-results")
    for name in (PROGRAM, "Upper/lower 4-day", "Couch to 5K", "Yoga and mobility"):  # the official programs
        expect(results.get_by_role("link", name=name, exact=True)).to_be_visible()
    # Filter by level: the intermediate upper/lower plan goes.
    page.get_by_label("Level").select_option("beginner")
    expect(page).to_have_url(re.compile(r"difficulty=beginner"))
    expect(results.get_by_role("link", name="Upper/lower 4-day", exact=True)).to_have_count(0)
    expect(results.get_by_role("link", name="Couch to 5K", exact=True)).to_be_visible()
    # Search, with a typo (trigram), within the filter.
    page.get_by_role("searchbox", name="Search").fill("beginer full body")
    expect(page).to_have_url(re.compile(r"q=beginer"))
    expect(results.get_by_role("link", name="Couch to 5K", exact=True)).to_have_count(0)
    expect(results.locator("li.program-row").first.get_by_role("link")).to_have_text(PROGRAM)
    row = results.locator("li.program-row").filter(has=page.get_by_role("link", name=PROGRAM, exact=True))
    expect(row).to_contain_text("8 weeks · 3 a week")
    expect(row.get_by_text("Official")).to_be_visible()
    row.get_by_role("link", name=PROGRAM, exact=True).click()

    expect(page.get_by_role("heading", name=PROGRAM, level=1)).to_be_visible()
    week_1 = page.locator("#week-1")
    expect(week_1.locator(".program-day")).to_have_count(3)
    expect(week_1.get_by_test_id("exercise-target").first).to_have_text("3 × 5 @ 65 % 1RM")
    enrol = page.locator("#enrol")
    expect(enrol.get_by_label("Start date")).to_have_value(today.isoformat())
    enrol.get_by_role("button", name="Enrol").click()
    expect(page).to_have_url(re.compile(r"/train/program/$"))
    expect(page.get_by_text(f"You are following {PROGRAM}. Here is your first workout.")).to_be_visible()


def _card(page, name: str):
    return page.locator("article.exercise-card").filter(has=page.get_by_role("heading", name=name, exact=True))


def _tick_set(page, exercise: str, number: int):
    """A planned set, done as planned: Edit, tick Done, Save."""
    card = _card(page, exercise)
    card.get_by_label(f"Set {number}: edit or delete").click()  # the set's menu: Edit and Delete are in it
    card.get_by_role("link", name=f"Edit set {number}").click()
    editing = card.locator("li.set-row.editing")
    editing.get_by_label("Done").check()
    editing.get_by_role("button", name="Save set").click()
    expect(card.locator("li.set-row.editing")).to_have_count(0)
    row = card.get_by_role("list", name=f"Sets of {exercise}").get_by_role("listitem").nth(number - 1)
    expect(row.get_by_text("Planned", exact=True)).to_have_count(0)


def test_intake_program_today_workout_and_goals_with_milestones(
    page, live_server, reference_data, celery_worker_process, monkeypatch
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # goals are evaluated in the real worker
    user = UserFactory(email="noor@example.com", username="noor", intake_completed_at=None)
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    program = Program.objects.get(slug="beginner-full-body")
    assert program.is_official and program.status == "active" and program.visibility == "public"
    bench, squat, row = (
        _lift(i) for i in ("Barbell_Bench_Press_-_Medium_Grip", "Barbell_Squat", "Bent_Over_Barbell_Row")
    )

    # --- The intake ---------------------------------------------------------------------------------------
    _walk_the_intake(page, "noor@example.com")
    user.refresh_from_db()
    assert user.intake_completed_at is not None and user.unit_system == "metric"
    assert BodyMetric.objects.filter(user=user, metric_type_id="weight").get().value == Decimal("76")
    assert not Goal.objects.filter(user=user).exclude(metric="").exists()  # no measured goal from the intake
    # Before the program, Today has no program workout.
    expect(page.get_by_test_id("program-workout")).to_have_count(0)

    # --- Their lifting so far: an estimated 1RM of the program's main lifts ------------------------------
    give_e1rm(user, bench, 80)
    give_e1rm(user, squat, 100)
    give_e1rm(user, row, 70)

    # --- Browse, enrol --------------------------------------------------------------------------------------
    _find_and_enrol(page, user.local_today())
    enrollment = Enrollment.objects.get(user=user)
    assert enrollment.program_id == program.pk and enrollment.status == EnrollmentStatus.ACTIVE
    assert (enrollment.current_week, enrollment.current_day, enrollment.start_date) == (1, 1, user.local_today())
    assert enrollment.sessions_planned == 24 and enrollment.sessions_done == 0
    workout = page.get_by_test_id("todays-workout")
    expect(workout.get_by_role("heading", level=2)).to_have_text("Today's workout: week 1, day 1")
    # The full day, with where each weight comes from: 65 % of the e1RM, rounded down to 2.5 kg.
    expect(workout.get_by_test_id("workout-target")).to_have_text(
        ["3 × 5 @ 65 kg", "3 × 5 @ 50 kg", "3 × 5 @ 45 kg", "3 × 10"]
    )
    expect(workout.get_by_role("row").filter(has_text=BENCH)).to_contain_text("65 % of your e1RM 80 kg")

    # --- Today: the program's workout with its targets (65 % × 100 = 65; × 80 = 52 → 50; × 70 = 45.5 → 45) -
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    card = page.get_by_test_id("program-workout")
    expect(card).to_be_visible()
    expect(card).to_contain_text(f"{PROGRAM} · Week 1, day 1")
    expect(card.get_by_text("Workout A", exact=True)).to_be_visible()
    expect(card.get_by_role("listitem").filter(has_text=SQUAT)).to_have_text(f"{SQUAT}: 3 × 5 @ 65 kg")
    expect(card.get_by_role("listitem").filter(has_text=BENCH)).to_have_text(f"{BENCH}: 3 × 5 @ 50 kg")
    expect(card.get_by_role("listitem").filter(has_text=ROW)).to_have_text(f"{ROW}: 3 × 5 @ 45 kg")
    expect(card.get_by_text("and 1 more")).to_be_visible()

    # --- Start: the session, pre-filled --------------------------------------------------------------------
    card.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Workout A", level=1)).to_be_visible()
    expect(page.locator("article.exercise-card h3")).to_have_text([SQUAT, BENCH, ROW, LUNGES])
    for exercise, shown in ((SQUAT, "5 reps @ 65 kg"), (BENCH, "5 reps @ 50 kg"), (ROW, "5 reps @ 45 kg")):
        sets = _card(page, exercise).get_by_role("list", name=f"Sets of {exercise}").get_by_role("listitem")
        expect(sets).to_have_count(3)
        for n in range(3):
            expect(sets.nth(n).locator(".set-main")).to_have_text(shown)
            expect(sets.nth(n).get_by_text("Planned", exact=True)).to_be_visible()
    expect(_card(page, LUNGES).get_by_role("list", name=f"Sets of {LUNGES}").get_by_role("listitem")).to_have_count(3)
    session = Session.objects.get(user=user, enrollment=enrollment)
    assert session.status == SessionStatus.IN_PROGRESS and session.program_session.day == 1
    planned = Set.objects.filter(session_exercise__session=session)
    assert planned.count() == 12 and not planned.filter(is_completed=True).exists()
    bench_sets = planned.filter(session_exercise__exercise=bench)
    assert sorted(bench_sets.values_list("weight_kg", flat=True)) == [Decimal("50.00")] * 3
    assert set(bench_sets.values_list("reps", flat=True)) == {5}

    # Tick the squats and the bench press as done; the rest stays planned.
    for exercise in (SQUAT, BENCH):
        for number in (1, 2, 3):
            _tick_set(page, exercise, number)
    expect(_card(page, BENCH).locator(".exercise-summary")).to_have_text("3 sets · 750 kg")  # 3 × 5 × 50
    assert planned.filter(is_completed=True).count() == 6

    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished. Well done!")).to_be_visible()
    session.refresh_from_db()
    assert session.status == SessionStatus.FINISHED
    assert session.total_volume_kg == Decimal("1725.00")  # 3 × 5 × 65 + 3 × 5 × 50

    # --- The program moved on to day 2 ---------------------------------------------------------------------
    enrollment.refresh_from_db()
    assert (enrollment.current_week, enrollment.current_day) == (1, 2)
    assert enrollment.sessions_done == 1 and enrollment.progress_pct == Decimal("4.17")
    day = EnrollmentDay.objects.get(enrollment=enrollment)
    assert (day.week, day.day, day.status, day.session_id) == (1, 1, "done", session.pk)

    page.goto("/train/program/")
    expect(page.get_by_role("heading", name=PROGRAM, level=1)).to_be_visible()
    expect(page.get_by_test_id("enrollment-progress")).to_have_text("1 of 24 sessions done (4 %).")
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "4")
    workout = page.get_by_test_id("todays-workout")
    expect(workout.get_by_role("heading", level=2)).to_have_text("Today's workout: week 1, day 2")
    expect(workout.get_by_text("Workout B", exact=True)).to_be_visible()
    # Adherence: a bar chart drawn by charts.js, and its table (week 1: one done of three).
    adherence = page.locator("section.chart-card").filter(has=page.get_by_role("heading", name="Adherence"))
    expect(adherence.locator("figure.chart svg")).to_have_count(1)
    expect(adherence.locator("figure.chart svg rect").first).to_be_attached()
    adherence.get_by_text("Weeks and their days").click()
    week_rows = adherence.get_by_test_id("week-row")
    expect(week_rows).to_have_count(8)
    expect(week_rows.first.get_by_role("cell")).to_have_text(["1", "0", "3", re.compile(r"Day 1: Workout A \(done\)")])
    # The e1RM of the main lifts, per week of the program (Epley: 50 × (1 + 5/30) = 58.3; 65 → 75.8).
    lifts = page.locator("section.chart-card").filter(
        has=page.get_by_role("heading", name="Estimated 1RM of the main lifts")
    )
    expect(lifts.get_by_role("row").filter(has_text=BENCH)).to_contain_text("W1: 58.3 kg")
    expect(lifts.get_by_role("row").filter(has_text=SQUAT)).to_contain_text("W1: 75.8 kg")
    expect(lifts.locator("figure.chart svg polyline").first).to_be_attached()
    # Today now offers day 2.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    expect(page.get_by_test_id("program-workout")).to_contain_text("Week 1, day 2")

    # --- Goals: bench press 100 kg by June, lose 5 kg ---------------------------------------------------------
    june = _next_june(user.local_today())
    page.goto("/coach/goals/")
    expect(page.get_by_role("heading", name="Goals", level=1)).to_be_visible()
    page.get_by_role("link", name="New goal").click()
    expect(page.get_by_role("heading", name="New goal", level=1)).to_be_visible()
    page.get_by_label("What to measure").select_option("exercise_e1rm")
    # The exercise by name, with a typo; the person's own lifts come first (and are suggested).
    page.get_by_label("Exercise").fill("bench pres")
    page.get_by_label("Target:", exact=True).fill("100")
    page.get_by_label("Target date").fill(june.isoformat())
    page.get_by_label("Title").fill("Bench press 100 kg")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Bench press 100 kg", level=1)).to_be_visible()
    expect(page.get_by_text("Goal set.")).to_be_visible()
    lift_goal = Goal.objects.get(user=user, metric="exercise_e1rm")
    assert (lift_goal.exercise_id, lift_goal.start_value, lift_goal.target_value) == (bench.pk, 80, 100)
    assert lift_goal.direction == "up" and lift_goal.target_date == june
    assert list(lift_goal.milestones.order_by("percent").values_list("percent", "value")) == [
        (25, Decimal("85")),
        (50, Decimal("90")),
        (75, Decimal("95")),
        (100, Decimal("100")),
    ]

    page.goto("/coach/goals/new/")
    page.get_by_label("What to measure").select_option("body_weight")
    page.get_by_label("Change").fill("-5")
    page.get_by_label("Title").fill("Lose 5 kg")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Lose 5 kg", level=1)).to_be_visible()
    weight_goal = Goal.objects.get(user=user, metric="body_weight")
    assert (weight_goal.start_value, weight_goal.target_value, weight_goal.direction) == (76, 71, "down")
    assert list(weight_goal.milestones.order_by("percent").values_list("percent", "value")) == [
        (25, Decimal("75")),
        (50, Decimal("74")),
        (75, Decimal("72")),
        (100, Decimal("71")),
    ]

    page.goto("/coach/goals/")
    lift_bar = page.get_by_role("progressbar", name="Bench press 100 kg: 0%")
    expect(lift_bar).to_be_visible()
    expect(page.get_by_role("progressbar", name="Lose 5 kg: 0%")).to_be_visible()

    # --- A heavier bench set: 5 × 75 kg, an e1RM of 87.5 kg ------------------------------------------------------
    page.goto("/train/")
    start = page.locator("form").filter(has=page.get_by_label("Activity"))
    start.get_by_label("Activity").select_option(label="Weight Training")
    start.get_by_label("Name").fill("Heavy bench")
    start.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("heading", name="Heavy bench", level=1)).to_be_visible()
    search = page.get_by_label("Find an exercise")
    search.fill("barbell bench press medium grip")
    page.locator("#search-results").get_by_role("button", name=f"Add {BENCH}", exact=True).click()
    expect(page.get_by_role("heading", name=BENCH, exact=True, level=3)).to_be_visible()
    form = _card(page, BENCH).locator("form.set-form")
    form.get_by_label("Reps").fill("5")
    form.get_by_label("Weight (kg)").fill("75")
    form.get_by_role("button", name="Add set").click()
    expect(_card(page, BENCH).get_by_role("list", name=f"Sets of {BENCH}").get_by_role("listitem")).to_have_text(
        [re.compile(r"5 reps @ 75 kg")]
    )
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").filter(has_text="Session finished. Well done!")).to_be_visible()
    record = PersonalRecord.objects.get(user=user, exercise=bench, record_type=RecordType.ONE_RM)
    assert record.value == Decimal("87.50") and record.previous_value == Decimal("80.00")
    # A session outside the program does not move the program.
    enrollment.refresh_from_db()
    assert (enrollment.current_week, enrollment.current_day, enrollment.sessions_done) == (1, 2, 1)

    # --- A lower weight on Today: 74.5 kg ------------------------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    weight = page.locator("#weight")
    weight.get_by_label("Weight (kg)").fill("74.5")
    weight.get_by_role("button", name="Save").click()
    expect(page.locator("#weight").get_by_test_id("weight-day")).to_contain_text("74.5 kg")
    assert BodyMetric.objects.filter(user=user, metric_type_id="weight").order_by("-measured_at").first().value == (
        Decimal("74.5")
    )

    # --- The worker evaluates the goals: the first milestone of each is reached ---------------------------------
    def evaluated():
        reached = GoalMilestone.objects.filter(goal__user=user, achieved_at__isnull=False)
        return reached.count() == 2 and Goal.objects.filter(user=user, current_value=Decimal("74.5")).exists()

    wait_for(evaluated, what="the worker did not evaluate the goals in time")
    lift_goal.refresh_from_db()
    weight_goal.refresh_from_db()
    assert lift_goal.current_value == Decimal("87.5") and lift_goal.status == "active"
    assert weight_goal.current_value == Decimal("74.5") and weight_goal.status == "active"
    reached = GoalMilestone.objects.filter(goal__user=user, achieved_at__isnull=False)
    assert sorted(reached.values_list("goal__title", "percent", "value")) == [
        ("Bench press 100 kg", 25, Decimal("85")),
        ("Lose 5 kg", 25, Decimal("75")),
    ]
    notes = Notification.objects.filter(user=user, title__startswith="Milestone reached")
    assert sorted(notes.values_list("title", flat=True)) == [
        "Milestone reached: 25% of Bench press 100 kg",
        "Milestone reached: 25% of Lose 5 kg",
    ]
    assert {n.action_url for n in notes} == {f"/coach/goals/{lift_goal.pk}/", f"/coach/goals/{weight_goal.pk}/"}

    # --- The goals page: progress and the reached milestones ------------------------------------------------------
    page.goto("/coach/goals/")
    lift_card = page.locator("article.goal").filter(has=page.get_by_role("link", name="Bench press 100 kg"))
    lift_bar = lift_card.get_by_role("progressbar", name="Bench press 100 kg: 38%")  # 7.5 kg of 20
    expect(lift_bar).to_be_visible()
    expect(lift_bar).to_have_attribute("aria-valuenow", "38")
    # The bar is drawn: its filling is 38 % of its width.
    bar, filled = lift_bar.bounding_box(), lift_bar.locator("span").bounding_box()
    assert bar and filled and bar["height"] > 0 and abs(filled["width"] / bar["width"] - 0.38) < 0.01
    expect(lift_card).to_contain_text("87.5 kg of 100 kg")
    expect(lift_card.get_by_role("listitem")).to_have_text(
        [
            re.compile(r"^✓ 25%: 85 kg"),
            re.compile(r"^○ 50%: 90 kg"),
            re.compile(r"^○ 75%: 95 kg"),
            re.compile(r"^○ 100%: 100 kg"),
        ]
    )
    weight_card = page.locator("article.goal").filter(has=page.get_by_role("link", name="Lose 5 kg"))
    expect(weight_card.get_by_role("progressbar", name="Lose 5 kg: 30%")).to_be_visible()  # 1.5 of 5
    expect(weight_card).to_contain_text("74.5 kg of 71 kg")
    expect(weight_card.get_by_role("listitem").first).to_have_text(re.compile(r"^✓ 25%: 75 kg"))
    expect(weight_card.get_by_role("listitem").nth(1)).to_have_text(re.compile(r"^○ 50%: 74 kg"))

    # --- The notifications: on Today and in the inbox ------------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    notifications = page.locator("#notifications")
    expect(notifications.get_by_text("Milestone reached: 25% of Bench press 100 kg")).to_be_visible()
    expect(notifications.get_by_text("Milestone reached: 25% of Lose 5 kg")).to_be_visible()
    goals_card = page.locator("#goals")
    expect(goals_card.get_by_role("progressbar", name="Bench press 100 kg: 38%")).to_be_visible()
    notifications.get_by_role("link", name="Open your inbox").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_text("Milestone reached: 25% of Bench press 100 kg")).to_be_visible()
    expect(page.get_by_text("You reached 85 kg.")).to_be_visible()
    assert script_errors == []
    # Nothing left running (the page's unread-count request, a task in the worker) when the test's
    # database is flushed: a query then would deadlock with the flush's TRUNCATE.
    page.wait_for_load_state("networkidle")
    wait_for(lambda: _worker_idle(celery_worker_process), what="the worker is still busy")


def test_imperial_person_sees_the_program_targets_in_pounds(page, live_server, reference_data):
    user = UserFactory(email="hank@example.com", username="hank", unit_system="imperial")
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    squat, bench = _lift("Barbell_Squat"), _lift("Barbell_Bench_Press_-_Medium_Grip")
    give_e1rm(user, squat, 118)  # 65 % = 76.7 kg = 169.1 lb → 165 lb
    give_e1rm(user, bench, 100)  # 65 % = 65 kg = 143.3 lb → 140 lb
    # The row has no e1RM: no weight, never an error.

    log_in(page, "hank@example.com")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    program = Program.objects.get(slug="beginner-full-body")
    page.goto(f"/train/programs/{program.pk}/")
    page.locator("#enrol").get_by_role("button", name="Enrol").click()
    expect(page).to_have_url(re.compile(r"/train/program/$"))
    workout = page.get_by_test_id("todays-workout")
    expect(workout.get_by_role("row").filter(has_text=SQUAT)).to_contain_text("65 % of your e1RM 260.1 lb")
    expect(workout.get_by_role("row").filter(has_text=ROW)).to_contain_text("no e1RM yet, pick a weight")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").click()
    card = page.get_by_test_id("program-workout")
    expect(card.get_by_test_id("workout-target")).to_have_text(["3 × 5 @ 165 lb", "3 × 5 @ 140 lb", "3 × 5"])

    card.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name="Workout A", level=1)).to_be_visible()
    squat_sets = _card(page, SQUAT).get_by_role("list", name=f"Sets of {SQUAT}").get_by_role("listitem")
    expect(squat_sets.locator(".set-main")).to_have_text(["5 reps @ 165 lb"] * 3)
    bench_sets = _card(page, BENCH).get_by_role("list", name=f"Sets of {BENCH}").get_by_role("listitem")
    expect(bench_sets.locator(".set-main")).to_have_text(["5 reps @ 140 lb"] * 3)
    row_sets = _card(page, ROW).get_by_role("list", name=f"Sets of {ROW}").get_by_role("listitem")
    expect(row_sets.locator(".set-main")).to_have_text(["5 reps"] * 3)
    # Stored in kg, loadable in pounds.
    enrollment = Enrollment.objects.get(user=user, status=EnrollmentStatus.ACTIVE)
    session = Session.objects.get(user=user, enrollment=enrollment, status=SessionStatus.IN_PROGRESS)
    weights = {
        name: {
            units.weight_shown(s.weight_kg, user)
            for s in Set.objects.filter(session_exercise__session=session, session_exercise__exercise__name=name)
        }
        for name in (SQUAT, BENCH)
    }
    assert weights == {SQUAT: {Decimal("165")}, BENCH: {Decimal("140")}}
    # The edit form of a planned set shows the weight in pounds too.
    _card(page, SQUAT).get_by_label("Set 1: edit or delete").click()
    _card(page, SQUAT).get_by_role("link", name="Edit set 1").click()
    expect(_card(page, SQUAT).locator("li.set-row.editing").get_by_label("Weight (lb)")).to_have_value(
        re.compile(r"^165(\.0+)?$")
    )
    assert script_errors == []
    page.wait_for_load_state("networkidle")  # no request still running when the database is flushed
