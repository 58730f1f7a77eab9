"""The intake pages: the way there (middleware), each step's page, saving, errors on the step, resume, back
and forward, rows added without saving, the review and confirmation, access and query counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts.models import Profile, User
from accounts.tests.factories import UserFactory
from coaching.models import OnboardingState, Step
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from nutrition.models import MealPlan

from .intake_kit import answer_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer():
    return UserFactory(intake_completed_at=None)


@pytest.fixture
def client_in(client, newcomer):
    client.force_login(newcomer)
    return client


def _url(step) -> str:
    return f"/intake/{step}/"


def _state(user) -> OnboardingState | None:
    return OnboardingState.objects.filter(user=user).first()


class Controls(HTMLParser):
    """The form controls of a page and the labels that name them."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.in_label = [], set(), 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if attrs.get("for"):
                self.labelled.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            kind = attrs.get("type", "")
            if tag == "input" and kind in ("hidden", "submit", "button"):
                return
            self.controls.append((attrs.get("id"), attrs.get("name"), bool(self.in_label)))

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1


def _unlabelled(html: str) -> list[str]:
    parser = Controls()
    parser.feed(html)
    return [name for id_, name, wrapped in parser.controls if not wrapped and id_ not in parser.labelled]


# --- The way there -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/today/", "/eat/", "/train/", "/progress/", "/"])
def test_a_newcomers_pages_lead_to_the_intake(client_in, url):
    response = client_in.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/intake/"


def test_htmx_requests_are_led_there_with_hx_redirect(client_in):
    response = client_in.get("/today/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/intake/"


@pytest.mark.parametrize("url", ["/settings/", "/settings/profile/", "/api/v1/me/", "/intake/0/"])
def test_settings_the_api_and_the_intake_stay_reachable(client_in, url):
    assert client_in.get(url).status_code == 200


def test_intake_resumes_at_the_current_step(client_in, newcomer):
    assert client_in.get("/intake/")["Location"] == _url(0)
    answer_steps(newcomer, Step.GOALS)
    assert client_in.get("/intake/")["Location"] == _url(3)


def test_a_person_who_completed_the_intake_goes_to_today(client):
    client.force_login(UserFactory())
    assert client.get("/intake/")["Location"] == "/today/"
    assert client.get(_url(3))["Location"] == "/today/"


# --- Step pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", list(range(12)))
def test_every_step_page_shows_progress_and_labels_every_input(client_in, newcomer, step):
    answer_steps(newcomer, step - 1) if step else None
    response = client_in.get(_url(step))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Step {step + 1} of 12" in html
    assert f'<progress class="intake-progress" max="12" value="{step + 1}"' in html
    assert f"<h1>{Step(step).label}</h1>" in html
    assert _unlabelled(html) == []
    assert 'aria-current="step"' in html
    if step:
        assert f'href="{_url(step - 1)}" rel="prev">Back</a>' in html


def test_the_welcome_step_is_prefilled_from_the_account(client_in, newcomer):
    User.objects.filter(pk=newcomer.pk).update(timezone="Asia/Tokyo")
    html = client_in.get(_url(0)).content.decode()
    assert '<option value="Asia/Tokyo" selected>' in html


def test_saving_a_step_goes_to_the_next_and_keeps_the_answers(client_in, newcomer):
    response = client_in.post(_url(0), {"unit_system": "imperial", "timezone": "Europe/Paris"})
    assert response.status_code == 302 and response["Location"] == _url(1)
    newcomer.refresh_from_db()
    assert (newcomer.unit_system, newcomer.timezone) == ("imperial", "Europe/Paris")
    state = _state(newcomer)
    assert state.current_step == 1 and state.device_type == ""
    # Leaving and coming back: the answers are there.
    html = client_in.get(_url(0)).content.decode()
    assert re.search(r'value="imperial"[^>]*checked', html)


def test_a_refused_step_shows_the_messages_on_the_step_and_saves_nothing(client_in, newcomer):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    response = client_in.post(
        _url(2), {"primary_goal": "fat_loss", "secondary_goal": "muscle_gain", "target_body_fat_pct": "55"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Fat loss and muscle gain cannot be paired" in html
    assert "Ensure this value is less than or equal to 50" in html
    assert "Nothing of this step was saved" in html
    assert 'role="alert"' in html
    assert "step_2" not in _state(newcomer).step_data


def test_the_body_step_speaks_the_persons_units_and_stores_si(client_in, newcomer):
    answer_steps(newcomer, Step.BODY)
    User.objects.filter(pk=newcomer.pk).update(unit_system="imperial")
    html = client_in.get(_url(3)).content.decode()
    assert "Height (feet)" in html and "Weight (lb)" in html and "Height (cm)" not in html
    # The saved 1.70 m and 78.5 kg, shown in feet, inches and pounds.
    assert 'value="5"' in html and 'value="6.9"' in html and 'value="173.1"' in html
    response = client_in.post(
        _url(3),
        {"birth_date": "1985-02-03", "gender": "male", "height_ft": "5", "height_in": "11", "weight": "180"},
    )
    assert response.status_code == 302
    saved = _state(newcomer).step_data["step_3"]
    assert saved == {"birth_date": "1985-02-03", "gender": "male", "height_m": "1.803", "weight_kg": "81.65"}


def test_an_untouched_imperial_height_keeps_its_millimetres(client_in, newcomer):
    answer_steps(newcomer, Step.BODY)
    User.objects.filter(pk=newcomer.pk).update(unit_system="imperial")
    response = client_in.post(
        _url(3),
        {"birth_date": "1990-05-17", "gender": "female", "height_ft": "5", "height_in": "6.9", "weight": "173.1"},
    )
    assert response.status_code == 302
    assert _state(newcomer).step_data["step_3"]["height_m"] == "1.700"


def test_steps_ahead_of_the_first_unanswered_one_redirect_to_it(client_in, newcomer):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    assert client_in.get(_url(5))["Location"] == _url(2)
    response = client_in.post(_url(5), {"diet_type": "vegan"})
    assert response["Location"] == _url(2)
    assert "step_5" not in _state(newcomer).step_data


def test_back_and_forward_between_answered_steps(client_in, newcomer):
    answer_steps(newcomer, Step.BODY)
    html = client_in.get(_url(1)).content.decode()
    assert re.search(r'value="beginner"[^>]*checked', html)
    response = client_in.post(_url(1), {"fitness_level": "advanced", "activity_level": "very_active"})
    assert response["Location"] == _url(4)  # on to the first step still to answer
    assert client_in.get(_url(3)).status_code == 200


def test_the_constraints_step_saves_injuries_equipment_and_limits(client_in, newcomer):
    answer_steps(newcomer, Step.BODY)
    data = {
        "workout_location": "gym",
        "equipment": ["barbell", "machine"],
        "max_workout_minutes": "75",
        "limitations": "",
        "injuries-TOTAL_FORMS": "2",
        "injuries-INITIAL_FORMS": "0",
        "injuries-MIN_NUM_FORMS": "0",
        "injuries-MAX_NUM_FORMS": "10",
        "injuries-0-area": "shoulder",
        "injuries-0-severity": "moderate",
        "injuries-0-description": "Rotator cuff",
        "injuries-1-area": "",
        "injuries-1-severity": "",
        "injuries-1-description": "",
    }
    assert client_in.post(_url(4), data).status_code == 302
    saved = _state(newcomer).step_data["step_4"]
    assert saved["injuries"] == [{"area": "shoulder", "severity": "moderate", "description": "Rotator cuff"}]
    assert (saved["equipment"], saved["max_workout_minutes"]) == (["barbell", "machine"], 75)
    # An injury without its severity: the message is on that row, nothing saved.
    data.update({"injuries-0-severity": "", "max_workout_minutes": "200"})
    response = client_in.post(_url(4), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say how severe it is" in html and "A workout may last 15 to 180 minutes." in html
    assert _state(newcomer).step_data["step_4"] == saved


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(client_in, newcomer):
    answer_steps(newcomer, Step.BODY)
    data = {
        "workout_location": "outdoor",
        "max_workout_minutes": "30",
        "injuries-TOTAL_FORMS": "1",
        "injuries-INITIAL_FORMS": "0",
        "injuries-MIN_NUM_FORMS": "0",
        "injuries-MAX_NUM_FORMS": "10",
        "injuries-0-area": "knee",
        "injuries-0-severity": "mild",
        "injuries-0-description": "",
        "add_row": "injuries",
    }
    response = client_in.post(_url(4), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Injury 2" in html and "Injury 3" not in html
    assert re.search(r'value="outdoor"[^>]*checked', html)
    assert re.search(r'<option value="knee" selected>', html)
    assert "step_4" not in _state(newcomer).step_data
    # With htmx only the rows come back.
    partial = client_in.post(_url(4), data, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<section id="rows"') and "<html" not in partial
    assert "autofocus" in partial


def test_the_meal_plan_step_shows_the_computed_targets(client_in, newcomer):
    state = answer_steps(newcomer, Step.DIET)
    html = client_in.get(_url(6)).content.decode()
    assert "Computed for you" in html and "Why these numbers" in html
    assert "Mifflin-St Jeor" in html
    from coaching.services.intake import intake_targets

    targets = intake_targets(answers=state.step_data, today=newcomer.local_today())
    assert f'name="energy_target_kcal" value="{targets.energy_target_kcal}"' in html
    response = client_in.post(
        _url(6),
        {"meals_per_day": "3", "energy_target_kcal": "2000", "energy_min_kcal": "1800", "energy_max_kcal": "2200",
         "protein_g": "400", "carbohydrate_g": "200", "fat_g": "60", "fiber_g": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "within ±50 kcal" in response.content.decode()


def _meal_rows(rows, *, initial: int | None = None) -> dict[str, str]:
    data = {
        "meals-TOTAL_FORMS": str(len(rows)),
        "meals-INITIAL_FORMS": str(len(rows) if initial is None else initial),
        "meals-MIN_NUM_FORMS": "0",
        "meals-MAX_NUM_FORMS": "8",
    }
    for index, (name, at, earliest, latest) in enumerate(rows):
        data.update(
            {
                f"meals-{index}-meal_number": str(index + 1),
                f"meals-{index}-name": name,
                f"meals-{index}-scheduled_time": at,
                f"meals-{index}-earliest_time": earliest,
                f"meals-{index}-latest_time": latest,
                f"meals-{index}-notification_offset_minutes": "-15",
                f"meals-{index}-is_active": "on",
            }
        )
    return data


def test_the_meal_schedule_step_starts_from_a_suggestion_and_refuses_overlaps(client_in, newcomer):
    answer_steps(newcomer, Step.MEAL_PLAN)
    html = client_in.get(_url(7)).content.decode()
    assert "Meal 3" in html and 'value="Breakfast"' in html and "Meal 5" not in html
    response = client_in.post(
        _url(7), _meal_rows([("Breakfast", "08:00", "07:00", "09:00"), ("Brunch", "09:30", "08:30", "10:30")])
    )
    assert response.status_code == 400
    assert "overlaps" in response.content.decode()
    assert "step_7" not in _state(newcomer).step_data
    response = client_in.post(
        _url(7), _meal_rows([("Breakfast", "08:00", "07:00", "09:00"), ("Dinner", "19:00", "18:00", "20:00")])
    )
    assert response["Location"] == _url(8)
    assert [meal["name"] for meal in _state(newcomer).step_data["step_7"]["meals"]] == ["Breakfast", "Dinner"]


def test_the_workout_step_needs_a_day(client_in, newcomer):
    answer_steps(newcomer, Step.MEAL_SCHEDULE)
    data = {"preferred_time": "07:00", "preferred_duration_minutes": "40", "reminder_offset_minutes": "-30"}
    response = client_in.post(_url(8), data)
    assert response.status_code == 400
    assert "Pick at least one workout day." in response.content.decode()
    response = client_in.post(_url(8), {**data, "days": ["tuesday", "saturday"], "reminder_enabled": "on"})
    assert response["Location"] == _url(9)
    assert _state(newcomer).step_data["step_8"]["days"] == ["tuesday", "saturday"]


def test_the_review_lists_every_answer_with_edit_links_and_confirm_applies_them(client_in, newcomer):
    answer_steps(newcomer)
    html = client_in.get(_url(11)).content.decode()
    for step in range(11):
        assert f'href="{_url(step)}" aria-label="Edit {Step(step).label}"' in html
    for words in ("Fat loss", "Strength", "170 cm", "78.5 kg", "Knee (mild): Old ski injury", "Dumbbells",
                  "Breakfast at 07:30 (07:00–08:30)", "Monday, Wednesday, Friday", "2500 ml", "peanuts"):  # fmt: skip
        assert words in html, words
    assert client_in.get("/intake/confirm/").status_code == 405
    assert client_in.post(_url(11)).status_code == 405
    response = client_in.post("/intake/confirm/")
    assert response["Location"] == "/today/"
    newcomer.refresh_from_db()
    assert newcomer.intake_completed_at is not None
    assert MealPlan.objects.get(user=newcomer).is_locked and Profile.objects.get(user=newcomer).is_locked
    assert client_in.get("/today/").status_code == 200
    # Confirming again is harmless.
    assert client_in.post("/intake/confirm/")["Location"] == "/today/"


def test_the_review_shows_the_persons_units(client_in, newcomer):
    answer_steps(newcomer)
    User.objects.filter(pk=newcomer.pk).update(unit_system="imperial")
    html = client_in.get(_url(11)).content.decode()
    assert "5 ft 6.9 in" in html and "173.1 lb" in html and "158.7 lb" in html


def test_a_refused_confirmation_says_why_on_the_review(client_in, newcomer):
    answer_steps(newcomer)
    state = _state(newcomer)
    state.step_data["step_9"]["reminder_every_minutes"] = 5
    state.save()
    response = client_in.post("/intake/confirm/")
    assert response.status_code == 400
    assert "Hydration: Remind every 15–480 minutes." in response.content.decode()
    assert User.objects.get(pk=newcomer.pk).intake_completed_at is None


def test_unknown_steps_are_404(client_in):
    assert client_in.get("/intake/12/").status_code == 404


# --- Access and cost ---------------------------------------------------------------------------------


@pytest.fixture
def owner_newcomer(personas):
    User.objects.filter(pk=personas.owner.pk).update(intake_completed_at=None)
    personas.owner.refresh_from_db()
    return personas


def test_access_to_the_intake_pages(owner_newcomer):
    personas = owner_newcomer
    client = Client()
    completed = {"other_member": 302, "trainer": 302, "staff": 302}
    assert_access(client, personas, lambda c: c.get("/intake/"), {"anonymous": 302, "owner": 302, **completed})
    assert_access(client, personas, lambda c: c.get(_url(0)), {"anonymous": 302, "owner": 200, **completed})
    assert_access(
        client,
        personas,
        lambda c: c.post(_url(0), {"unit_system": "metric", "timezone": "UTC"}),
        {"anonymous": 302, "owner": 302, **completed},
    )
    assert_access(client, personas, lambda c: c.post("/intake/confirm/"), {"anonymous": 302, "owner": 400, **completed})
    assert_access(
        client,
        personas,
        lambda c: c.get("/intake/confirm/"),
        {"anonymous": 302, "owner": 405, "other_member": 405, "trainer": 405, "staff": 405},
    )
    # Only the owner's own intake was written, and nobody else got one.
    assert list(OnboardingState.objects.values_list("user_id", flat=True)) == [personas.owner.pk]
    anonymous = Client().get(_url(0))
    assert anonymous["Location"].startswith("/accounts/login/")


def test_each_person_sees_only_their_own_answers(client, newcomer):
    answer_steps(newcomer, Step.GOALS)
    other = UserFactory(intake_completed_at=None)
    client.force_login(other)
    html = client.get(_url(0)).content.decode()
    assert 'Europe/Berlin" selected' not in html
    assert client.get(_url(2))["Location"] == _url(0)


def test_saving_a_step_costs_at_most_12_queries(client_in, newcomer):
    answer_steps(newcomer, Step.GOALS)
    data = {"birth_date": "1990-05-17", "gender": "female", "height_cm": "171", "weight": "80"}
    with assert_max_queries(12):
        response = client_in.post(_url(3), data)
    assert response.status_code == 302
    # The welcome step, its answers unchanged.
    with assert_max_queries(12):
        response = client_in.post(_url(0), {"unit_system": "metric", "timezone": "Europe/Berlin"})
    assert response.status_code == 302
    # A step with rows: the meal schedule.
    answer_steps(newcomer, Step.MEAL_PLAN, start=Step.CONSTRAINTS)
    rows = _meal_rows([("Breakfast", "08:00", "07:00", "09:00"), ("Dinner", "19:00", "18:00", "20:00")])
    with assert_max_queries(12):
        response = client_in.post(_url(7), rows)
    assert response.status_code == 302


def test_changing_units_at_the_welcome_step_stays_within_the_step_budget(client_in, newcomer):
    """The welcome step applies the units and time zone through accounts.services.users.user_update_settings,
    which validates only the changed fields' constraints."""
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    with assert_max_queries(12):
        response = client_in.post(_url(0), {"unit_system": "imperial", "timezone": "Asia/Tokyo"})
    assert response.status_code == 302


def test_a_step_page_costs_the_same_with_more_answers(client_in, newcomer):
    answer_steps(newcomer, Step.HYDRATION)
    with assert_max_queries(6):
        assert client_in.get(_url(10)).status_code == 200
    with assert_max_queries(6):
        assert client_in.get(_url(7)).status_code == 200


def test_weights_round_trip_through_the_imperial_goal_field(client_in, newcomer):
    answer_steps(newcomer, Step.FITNESS_LEVEL)
    User.objects.filter(pk=newcomer.pk).update(unit_system="imperial")
    response = client_in.post(_url(2), {"primary_goal": "general_fitness", "target_weight": "160"})
    assert response.status_code == 302
    assert _state(newcomer).step_data["step_2"]["target_weight_kg"] == "72.57"
    assert 'value="160.0"' in client_in.get(_url(2)).content.decode()
