"""The intake pages (seed 003): /intake/ leads to the person's current step, /intake/<step>/ shows and saves one
step, /intake/confirm/ applies every answer. Each person only ever sees and changes their own intake. A step
with errors is shown again with them (400) and nothing of it is saved. Ends with `urlpatterns`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import (
    ActivityLevel,
    BodyArea,
    Equipment,
    FitnessLevel,
    Gender,
    Level,
    Severity,
    SleepQuality,
    UnitSystem,
    WorkoutLocation,
)
from accounts.models import Goal as GoalCategory
from accounts.request_info import audit_context, user_agent
from fitjourney.units import height_display, plain_number
from nutrition.models import DietType, PrepWillingness, ReminderTone, SkillLevel
from training.models import RestDayPreference

from ..forms_intake import FORMS, StepForm, rows_with_one_more, shown_from_kg, typed_values
from ..models import OnboardingState, Step
from ..selectors import intake as selectors
from ..services import intake as services

PAGE = "coaching/intake.html"
ROW_STEPS = (Step.CONSTRAINTS, Step.MEAL_SCHEDULE)


def _to_step(step: int):
    return redirect("coaching:intake-step", step=step)


def _resume_step(state: OnboardingState | None) -> int:
    return state.current_step if state is not None else Step.WELCOME


@login_required
@require_GET
def intake(request):
    """Where the person left off (the welcome step the first time)."""
    if request.user.intake_completed_at is not None:
        return redirect("coaching:today")
    return _to_step(_resume_step(selectors.intake_state_for(user=request.user)))


def _form(request, step: int, state: OnboardingState | None, data=None, **kwargs) -> tuple[StepForm, Any]:
    """The step's form filled from the saved answers (or bound to `data`), and the plan step's targets."""
    answers = state.step_data if state is not None else {}
    targets = None
    if step == Step.MEAL_PLAN:
        targets, kwargs["defaults"] = services.meal_plan_defaults(answers=answers, today=timezone.localdate())
    elif step == Step.MEAL_SCHEDULE:
        plan = answers.get(services.step_key(Step.MEAL_PLAN)) or {}
        kwargs["meals_per_day"] = int(plan.get("meals_per_day") or 3)
    return FORMS[step](data, user=request.user, answers=answers, **kwargs), targets


def _step_page(request, step: int, state, form: StepForm, targets=None, *, status: int = 200, template: str = PAGE):
    context = {
        **_frame(request, step, state),
        "form": form,
        "step_template": f"coaching/intake/step_{step}.html",
        "targets": targets,
        "rationale_lines": targets.rationale.splitlines() if targets is not None else [],
        "unit_weight": "lb" if request.user.unit_system == UnitSystem.IMPERIAL else "kg",
    }
    return render(request, template, context, status=status)


def _frame(request, step: int, state) -> dict[str, Any]:
    return {
        "step": step,
        "step_number": step + 1,
        "step_count": services.STEP_COUNT,
        "step_name": Step(step).label,
        "steps": selectors.intake_steps(user=request.user, state=state),
        "previous_step": step - 1 if step > 0 else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def intake_step(request, step: int):
    if step not in Step.values:
        raise Http404
    user = request.user
    if user.intake_completed_at is not None:
        messages.info(request, "Your intake is complete. You can change your answers in your settings.")
        return redirect("coaching:today")
    state = selectors.intake_state_for(user=user)
    if not services.step_reachable(state, step):
        # No skipping ahead: back to the first step still to answer.
        return _to_step(_resume_step(state))
    if step == Step.REVIEW:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return _review_page(request, state)
    if request.method == "GET":
        form, targets = _form(request, step, state)
        return _step_page(request, step, state, form, targets)

    form, targets = _form(request, step, state, data=request.POST)
    if "add_row" in request.POST and step in ROW_STEPS:
        # Another blank row, keeping what was typed (nothing is saved); htmx swaps just the rows.
        rows, blanks = rows_with_one_more(form.formset)
        form, targets = _form(request, step, state, initial=typed_values(form), rows=rows, extra_rows=blanks)
        if len(form.formset.forms) > len(rows):
            new_row = form.formset.forms[-1]  # the row just added takes the focus
            new_row.fields[next(iter(new_row.fields))].widget.attrs["autofocus"] = True
        template = f"coaching/intake/step_{step}.html#rows" if request.htmx else PAGE
        return _step_page(request, step, state, form, targets, template=template)
    if form.is_valid():
        try:
            state = services.intake_step_save(
                user=user,
                step=step,
                data=form.service_data(),
                session_id=request.session.session_key or "",
                user_agent=user_agent(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _to_step(state.current_step)
    return _step_page(request, step, state, form, targets, status=400)


@login_required
@require_POST
def intake_confirm(request):
    if request.user.intake_completed_at is not None:
        return redirect("coaching:today")  # confirming twice is harmless
    try:
        services.intake_confirm(user=request.user, audit=audit_context(request))
    except ValidationError as error:
        state = selectors.intake_state_for(user=request.user)
        return _review_page(request, state, error=error, status=400)
    messages.success(request, "Your plan is ready. Welcome to FitJourney!")
    return redirect("coaching:today")


def _review_page(request, state, *, error: ValidationError | None = None, status: int = 200):
    problems = []
    if error is not None and hasattr(error, "error_dict"):
        # "step_9" errors are about that step's answers: say which.
        for key, found in error.message_dict.items():
            step = int(key.removeprefix("step_")) if key.startswith("step_") else None
            problems += [f"{Step(step).label}: {message}" if step is not None else message for message in found]
    elif error is not None:
        problems = error.messages
    answers = state.step_data if state is not None else {}
    context = {
        **_frame(request, Step.REVIEW, state),
        "sections": review_sections(request.user, answers),
        "problems": problems,
    }
    return render(request, PAGE, context, status=status)


# --- The review: every answer in words and the person's units ----------------------------------------


def _label(choices, value) -> str:
    return dict(choices).get(value, value or "—") if value not in (None, "") else "—"


def _weight(kg, imperial: bool) -> str:
    shown = shown_from_kg(kg, imperial)
    return "—" if shown is None else f"{plain_number(shown)} {'lb' if imperial else 'kg'}"


def _words(values) -> str:
    return ", ".join(values) if values else "—"


def _section(step: Step, items: list[tuple[str, Any]]) -> dict[str, Any]:
    return {
        "number": step.value,
        "name": step.label,
        "edit_url": reverse("coaching:intake-step", args=[step.value]),
        "items": [(label, "—" if value in (None, "", []) else value) for label, value in items],
    }


def review_sections(user, answers: dict[str, Any]) -> list[dict[str, Any]]:
    imperial = user.unit_system == UnitSystem.IMPERIAL

    def get(step: Step) -> dict[str, Any]:
        return answers.get(services.step_key(step)) or {}

    welcome, fitness, goals, body = get(Step.WELCOME), get(Step.FITNESS_LEVEL), get(Step.GOALS), get(Step.BODY)
    limits, diet, plan, schedule = get(Step.CONSTRAINTS), get(Step.DIET), get(Step.MEAL_PLAN), get(Step.MEAL_SCHEDULE)
    workout, water, life = get(Step.WORKOUT_SCHEDULE), get(Step.HYDRATION), get(Step.LIFESTYLE)
    injuries = [
        f"{_label(BodyArea.choices, row.get('area'))} ({_label(Severity.choices, row.get('severity')).lower()})"
        + (f": {row['description']}" if row.get("description") else "")
        for row in limits.get("injuries") or []
    ]
    meals = [
        f"{row['name']} at {row['scheduled_time']} ({row['earliest_time']}–{row['latest_time']})"
        + ("" if row.get("is_active", True) else ", paused")
        for row in schedule.get("meals") or []
    ]
    reminder = "No"
    if workout.get("reminder_enabled"):
        offset = -int(workout.get("reminder_offset_minutes") or 0)
        reminder = f"{offset} minutes before" if offset else "At the time"
    water_reminders = "No"
    if water.get("reminder_enabled"):
        water_reminders = (
            f"Every {water.get('reminder_every_minutes')} minutes, {water.get('reminder_start')}–"
            f"{water.get('reminder_end')}, {_label(ReminderTone.choices, water.get('tone')).lower()}"
        )
    return [
        _section(
            Step.WELCOME,
            [("Units", _label(UnitSystem.choices, welcome.get("unit_system"))), ("Time zone", welcome.get("timezone"))],
        ),
        _section(
            Step.FITNESS_LEVEL,
            [
                ("Fitness level", _label(FitnessLevel.choices, fitness.get("fitness_level"))),
                ("Activity", _label(ActivityLevel.choices, fitness.get("activity_level"))),
            ],
        ),
        _section(
            Step.GOALS,
            [
                ("Main goal", _label(GoalCategory.choices, goals.get("primary_goal"))),
                ("Second goal", _label(GoalCategory.choices, goals.get("secondary_goal"))),
                ("Target weight", _weight(goals.get("target_weight_kg"), imperial)),
                (
                    "Target body fat",
                    f"{plain_number(Decimal(goals['target_body_fat_pct']))} %"
                    if goals.get("target_body_fat_pct")
                    else None,
                ),
                (
                    "Timeline",
                    f"{goals['target_timeline_weeks']} weeks" if goals.get("target_timeline_weeks") else None,
                ),
                ("Why", goals.get("explanation")),
            ],
        ),
        _section(
            Step.BODY,
            [
                ("Birth date", body.get("birth_date")),
                ("Sex", _label(Gender.choices, body.get("gender"))),
                ("Height", height_display(body.get("height_m"), user.unit_system)),
                ("Weight", _weight(body.get("weight_kg"), imperial)),
            ],
        ),
        _section(
            Step.CONSTRAINTS,
            [
                ("Where", _label(WorkoutLocation.choices, limits.get("workout_location"))),
                ("Equipment", _words([_label(Equipment.choices, item) for item in limits.get("equipment") or []])),
                (
                    "Longest workout",
                    f"{limits['max_workout_minutes']} minutes" if limits.get("max_workout_minutes") else None,
                ),
                ("Injuries", _words(injuries) if injuries else "None"),
                ("Other limitations", limits.get("limitations")),
            ],
        ),
        _section(
            Step.DIET,
            [
                (
                    "Diet",
                    diet.get("diet_type_other")
                    if diet.get("diet_type") == DietType.OTHER
                    else _label(DietType.choices, diet.get("diet_type")),
                ),
                ("Allergies", _words(diet.get("allergies"))),
                ("Intolerances", _words(diet.get("intolerances"))),
                ("Religious or ethical restrictions", _words(diet.get("religious_restrictions"))),
                ("Dislikes", _words(diet.get("dislikes"))),
                ("Cuisines", _words(diet.get("preferred_cuisines"))),
                ("Cooking skill", _label(SkillLevel.choices, diet.get("cooking_skill"))),
                ("Meal prep", _label(PrepWillingness.choices, diet.get("meal_prep_willingness"))),
                (
                    "Longest prep time",
                    f"{diet['max_prep_minutes']} minutes" if diet.get("max_prep_minutes") else None,
                ),
                ("Budget a day", f"{diet['budget_per_day']} USD" if diet.get("budget_per_day") else None),
                ("Notes", diet.get("notes")),
            ],
        ),
        _section(
            Step.MEAL_PLAN,
            [
                ("Meals a day", plan.get("meals_per_day")),
                (
                    "Energy",
                    f"{plan['energy_target_kcal']} kcal ({plan['energy_min_kcal']}–{plan['energy_max_kcal']})"
                    if plan.get("energy_target_kcal")
                    else None,
                ),
                ("Protein", f"{plan['protein_g']} g ({plan.get('protein_pct')} %)" if plan.get("protein_g") else None),
                (
                    "Carbohydrate",
                    f"{plan['carbohydrate_g']} g ({plan.get('carbohydrate_pct')} %)"
                    if plan.get("carbohydrate_g")
                    else None,
                ),
                ("Fat", f"{plan['fat_g']} g ({plan.get('fat_pct')} %)" if plan.get("fat_g") else None),
                ("Fiber", f"{plan['fiber_g']} g" if plan.get("fiber_g") else None),
            ],
        ),
        _section(Step.MEAL_SCHEDULE, [("Meals", _words(meals))]),
        _section(
            Step.WORKOUT_SCHEDULE,
            [
                ("Days", _words([day.title() for day in workout.get("days") or []])),
                ("Time", workout.get("preferred_time")),
                (
                    "Length",
                    f"{workout['preferred_duration_minutes']} minutes"
                    if workout.get("preferred_duration_minutes")
                    else None,
                ),
                ("Reminder", reminder),
                ("Rest days", _label(RestDayPreference.choices, workout.get("rest_day_preference"))),
            ],
        ),
        _section(
            Step.HYDRATION,
            [
                ("Daily water", f"{water['daily_target_ml']} ml" if water.get("daily_target_ml") else None),
                ("Reminders", water_reminders),
                ("With each meal", "Yes" if water.get("remind_with_meals") else "No"),
            ],
        ),
        _section(
            Step.LIFESTYLE,
            [
                ("Energy", _label(Level.choices, life.get("energy_level"))),
                ("Stress", _label(Level.choices, life.get("stress_level"))),
                ("Sleep quality", _label(SleepQuality.choices, life.get("sleep_quality"))),
                ("Sleep last night", f"{life['sleep_hours']} hours" if life.get("sleep_hours") else None),
                ("Notes", life.get("notes")),
            ],
        ),
    ]


urlpatterns = [
    path("intake/", intake, name="intake"),
    path("intake/confirm/", intake_confirm, name="intake-confirm"),
    path("intake/<int:step>/", intake_step, name="intake-step"),
]
