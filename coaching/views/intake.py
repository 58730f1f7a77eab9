"""The intake pages (seed 003): /intake/ leads to the person's current step, /intake/<step>/ shows and saves one
step, /intake/confirm/ applies every answer. Each person only ever sees and changes their own intake. A step
with errors is shown again with them (400) and nothing of it is saved. Ends with `urlpatterns`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.request_info import PersonRequest, audit_context, user_agent
from nutrition.calculations import Targets

from ..forms import FORMS, StepForm, rows_with_one_more, typed_values
from ..models import OnboardingState, Step
from ..presenters import intake_problems, intake_review_sections
from ..selectors import intake as selectors
from ..services import intake as services

PAGE = "coaching/intake.html"
ROW_STEPS = (Step.CONSTRAINTS, Step.MEAL_SCHEDULE)


def _to_step(step: int) -> HttpResponseBase:
    return redirect("coaching:intake-step", step=step)


def _resume_step(state: OnboardingState | None) -> int:
    return state.current_step if state is not None else Step.WELCOME


@login_required
@require_GET
def intake(request: PersonRequest) -> HttpResponseBase:
    """Where the person left off (the welcome step the first time)."""
    if request.user.intake_completed_at is not None:
        return redirect("coaching:today")
    return _to_step(_resume_step(selectors.intake_state_for(user=request.user)))


def _form(
    request: PersonRequest, step: int, state: OnboardingState | None, data: Any = None, **kwargs: Any
) -> tuple[StepForm, Targets | None]:
    """The step's form filled from the saved answers (or bound to `data`), and the plan step's targets."""
    answers = state.step_data if state is not None else {}
    targets = None
    if step == Step.MEAL_PLAN:
        targets, kwargs["defaults"] = services.meal_plan_defaults(answers=answers, today=timezone.localdate())
    elif step == Step.MEAL_SCHEDULE:
        plan = answers.get(services.step_key(Step.MEAL_PLAN)) or {}
        kwargs["meals_per_day"] = int(plan.get("meals_per_day") or 3)
    return FORMS[step](data, user=request.user, answers=answers, **kwargs), targets


def _step_page(
    request: PersonRequest,
    step: int,
    state: OnboardingState | None,
    form: StepForm,
    targets: Targets | None = None,
    *,
    status: int = 200,
    template: str = PAGE,
) -> HttpResponse:
    context = {
        **_frame(request, step, state),
        "form": form,
        "step_template": f"coaching/intake/step_{step}.html",
        "targets": targets,
        "rationale_lines": targets.rationale.splitlines() if targets is not None else [],
    }
    return render(request, template, context, status=status)


def _frame(request: PersonRequest, step: int, state: OnboardingState | None) -> dict[str, Any]:
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
def intake_step(request: PersonRequest, step: int) -> HttpResponseBase:
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
    if "add_row" in request.POST and step in ROW_STEPS and form.formset is not None:
        # Another blank row, keeping what was typed (nothing is saved); htmx swaps just the rows.
        rows, blanks = rows_with_one_more(form.formset)
        form, targets = _form(request, step, state, initial=typed_values(form), rows=rows, extra_rows=blanks)
        forms = form.formset.forms if form.formset is not None else []
        if len(forms) > len(rows):
            new_row = forms[-1]  # the row just added takes the focus
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
def intake_confirm(request: PersonRequest) -> HttpResponseBase:
    if request.user.intake_completed_at is not None:
        return redirect("coaching:today")  # confirming twice is harmless
    try:
        services.intake_confirm(user=request.user, audit=audit_context(request))
    except ValidationError as error:
        state = selectors.intake_state_for(user=request.user)
        return _review_page(request, state, error=error, status=400)
    messages.success(request, "Your plan is ready. Welcome to FitJourney!")
    return redirect("coaching:today")


def _review_page(
    request: PersonRequest,
    state: OnboardingState | None,
    *,
    error: ValidationError | None = None,
    status: int = 200,
) -> HttpResponse:
    answers = state.step_data if state is not None else {}
    context = {
        **_frame(request, Step.REVIEW, state),
        "sections": intake_review_sections(request.user, answers),
        "problems": intake_problems(error),
    }
    return render(request, PAGE, context, status=status)


urlpatterns = [
    path("intake/", intake, name="intake"),
    path("intake/confirm/", intake_confirm, name="intake-confirm"),
    path("intake/<int:step>/", intake_step, name="intake-step"),
]
