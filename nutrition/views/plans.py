"""Pages: the meal plan with its schedule (/eat/plan/) and dietary + hydration preferences
(/eat/preferences/). Every person sees and changes only their own. State changes are POST only; a form
with errors re-renders the page with them (status 400). Ends with `urlpatterns`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.request_info import audit_context
from accounts.selectors.body import body_weight_latest_kg

from ..forms import (
    DietaryPreferencesForm,
    HydrationPreferencesForm,
    MealScheduleFormSet,
    MealsPerDayForm,
    PlanAdjustForm,
    RecalculateForm,
)
from ..models import HydrationPreferences
from ..selectors import plans as selectors
from ..services import hydration as hydration_services
from ..services import plans as services
from ..services import preferences as preference_services

PLAN_PAGE = "nutrition/plans/plan.html"
PREFERENCES_PAGE = "nutrition/plans/preferences.html"


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _plan_context(request, **forms) -> dict:
    """Three queries: the plan, the schedule and the latest weight."""
    user = request.user
    plan = selectors.meal_plan_for_user(user=user)
    schedule = selectors.meal_schedule_for_user(user=user)
    latest_kg = body_weight_latest_kg(user=user)
    change = selectors.weight_change_since_plan_kg(plan=plan, latest_kg=latest_kg)
    if "schedule_forms" not in forms:
        rows = [{name: getattr(s, name) for name in services.MEAL_SCHEDULE_FIELDS} for s in schedule] or (
            services.meal_schedule_suggestion(meals_per_day=plan.meals_per_day) if plan else []
        )
        forms["schedule_forms"] = MealScheduleFormSet(initial=rows, prefix="meals")
    if "adjust_form" not in forms and plan is not None:
        forms["adjust_form"] = PlanAdjustForm(
            initial={name: getattr(plan, name) for name in services.ADJUSTABLE_FIELDS}
        )
    return {
        "plan": plan,
        "schedule": schedule,
        "latest_kg": latest_kg,
        "weight_change_kg": change,
        "recalculation_suggested": selectors.recalculation_suggested(user=user, plan=plan, latest_kg=latest_kg)
        if plan
        else False,
        "rationale_lines": plan.rationale.splitlines() if plan else [],
        "calculate_form": forms.pop("calculate_form", None)
        or MealsPerDayForm(initial={"meals_per_day": plan.meals_per_day if plan else 3}),
        "recalculate_form": forms.pop("recalculate_form", None) or RecalculateForm(unit_system=user),
        **forms,
    }


def _plan_page(request, status: int = 200, **forms):
    return render(request, PLAN_PAGE, _plan_context(request, **forms), status=status)


@login_required
@require_GET
def plan_view(request):
    return _plan_page(request)


@login_required
@require_POST
def plan_calculate(request):
    form = MealsPerDayForm(request.POST)
    if form.is_valid():
        try:
            services.meal_plan_calculate(
                user=request.user, audit=audit_context(request), meals_per_day=form.cleaned_data["meals_per_day"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your targets are computed.")
            return redirect("nutrition:plan")
    return _plan_page(request, status=400, calculate_form=form)


@login_required
@require_POST
def plan_adjust(request):
    form = PlanAdjustForm(request.POST)
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.ADJUSTABLE_FIELDS}
        try:
            services.meal_plan_update(user=request.user, audit=audit_context(request), changes=changes)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your targets are saved.")
            return redirect("nutrition:plan")
    return _plan_page(request, status=400, adjust_form=form)


@login_required
@require_POST
def plan_lock(request):
    try:
        services.meal_plan_lock(user=request.user, audit=audit_context(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The plan is locked.")
    return redirect("nutrition:plan")


@login_required
@require_POST
def plan_unlock(request):
    try:
        services.meal_plan_unlock(user=request.user, audit=audit_context(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The plan is unlocked.")
    return redirect("nutrition:plan")


@login_required
@require_POST
def plan_recalculate(request):
    form = RecalculateForm(request.POST, unit_system=request.user)
    if form.is_valid():
        try:
            services.meal_plan_recalculate(
                user=request.user, audit=audit_context(request), reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your targets are recalculated.")
            return redirect("nutrition:plan")
    return _plan_page(request, status=400, recalculate_form=form)


@login_required
@require_POST
def plan_schedule(request):
    formset = MealScheduleFormSet(request.POST, prefix="meals")
    if formset.is_valid():
        rows = [
            {name: f.cleaned_data[name] for name in services.MEAL_SCHEDULE_FIELDS}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.meal_schedule_set(user=request.user, meals=rows)
        except ValidationError as error:
            formset.add_non_form_errors(error.messages)
        else:
            messages.success(request, "Your meal schedule is saved.")
            return redirect("nutrition:plan")
    return _plan_page(request, status=400, schedule_forms=formset)


def _hydration_form(
    request: HttpRequest, hydration: HydrationPreferences | None, data: QueryDict | None = None
) -> HydrationPreferencesForm:
    """With the stored settings as initial values, so a target left as shown in fl oz keeps its ml."""
    initial = {name: getattr(hydration, name) for name in hydration_services.HYDRATION_FIELDS} if hydration else None
    return HydrationPreferencesForm(data, initial=initial, unit_system=request.user)


def _preferences_page(request, *, status: int = 200, diet_form=None, hydration_form=None):
    # Two queries: the dietary and the hydration row.
    diet = selectors.dietary_preferences_for_user(user=request.user)
    hydration = selectors.hydration_preferences_for_user(user=request.user)
    if diet_form is None:
        diet_form = DietaryPreferencesForm(initial=DietaryPreferencesForm.initial_from(diet))
    if hydration_form is None:
        hydration_form = _hydration_form(request, hydration)
    context = {"diet": diet, "hydration": hydration, "diet_form": diet_form, "hydration_form": hydration_form}
    return render(request, PREFERENCES_PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request):
    if request.method == "GET":
        return _preferences_page(request)
    form = DietaryPreferencesForm(request.POST)
    if form.is_valid():
        try:
            preference_services.dietary_preferences_set(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your dietary preferences are saved.")
            return redirect("nutrition:preferences")
    return _preferences_page(request, status=400, diet_form=form)


@login_required
@require_POST
def preferences_hydration(request):
    form = _hydration_form(request, selectors.hydration_preferences_for_user(user=request.user), request.POST)
    if form.is_valid():
        try:
            hydration_services.hydration_preferences_set(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "Your hydration settings are saved.")
            return redirect("nutrition:preferences")
    return _preferences_page(request, status=400, hydration_form=form)


urlpatterns = [
    path("plan/", plan_view, name="plan"),
    path("plan/calculate/", plan_calculate, name="plan-calculate"),
    path("plan/adjust/", plan_adjust, name="plan-adjust"),
    path("plan/lock/", plan_lock, name="plan-lock"),
    path("plan/unlock/", plan_unlock, name="plan-unlock"),
    path("plan/recalculate/", plan_recalculate, name="plan-recalculate"),
    path("plan/schedule/", plan_schedule, name="plan-schedule"),
    path("preferences/", preferences_view, name="preferences"),
    path("preferences/hydration/", preferences_hydration, name="preferences-hydration"),
]
