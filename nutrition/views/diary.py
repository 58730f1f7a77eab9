"""Pages: the food diary of one local date (/eat/ is today's).

One page template, `nutrition/diary/day.html`; its swappable regions are partials: `diary-day` (the
meals and totals, re-rendered after any item change so totals stay right), `search-results`,
`conflict`, `item-edit` and `water`. Every form also posts without JavaScript (the view redirects
back to the day). Ends with `urlpatterns`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from accounts.models import User
from fitjourney.dates import date_from_path

from .. import presenters
from ..forms import DayCopyForm, ItemForm, MealCopyForm, MealFieldsForm, MealPhotoForm, WaterForm
from ..forms.diary import add_start
from ..models import Food, MealType
from ..selectors import diary as selectors
from ..selectors.foods import foods_search
from ..services import diary as services
from ..services import recognition

PAGE = "nutrition/diary/day.html"
SEARCH_LIMIT = 20


def _parse_day(day: str) -> dt.date:
    date = date_from_path(day)
    if date is None:
        raise Http404("Not a date.")
    return date


def _meal_type(meal_type: str) -> str:
    if meal_type not in MealType.values:
        raise Http404("Not a meal.")
    return meal_type


def day_url(date: dt.date, anchor: str = "") -> str:
    return reverse("nutrition:day", args=[date.isoformat()]) + (f"#{anchor}" if anchor else "")


def _plan_url() -> str:
    try:
        return reverse("nutrition:plan")
    except NoReverseMatch:
        return "/eat/plan/"


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------------------
# What the page shows (the shaping is nutrition.presenters')


def _day_context(user: User, date: dt.date) -> dict[str, Any]:
    summary = selectors.day_summary(user=user, date=date)
    today = user.local_today()
    return {
        "date": date,
        "today": today,
        "is_today": date == today,
        "previous_day": date - dt.timedelta(days=1),
        "next_day": date + dt.timedelta(days=1),
        "yesterday_of_day": date - dt.timedelta(days=1),
        "week": presenters.week_of(date),
        "summary": summary,
        "sections": presenters.meal_sections(summary),
        "day_rows": presenters.nutrient_rows(summary.totals, summary.targets),
        "plan_url": _plan_url(),
        "water": presenters.water_panel(summary, user),
        "water_form": WaterForm(unit_system=user),
        "day_copy_form": DayCopyForm(initial={"from_date": date - dt.timedelta(days=1)}),
        "recognition_enabled": recognition.recognition_enabled(),
        "recognition_not_set_up": recognition.NOT_SET_UP,
        "meal_types": MealType.choices,
    }


def _render_page(request, date: dt.date, status: int = 200, **extra):
    context = _day_context(request.user, date)
    context.update(extra)
    return render(request, PAGE, context, status=status)


def _render_day_region(request, date: dt.date, status: int = 200, **extra):
    context = _day_context(request.user, date)
    context.update(extra)
    return render(request, f"{PAGE}#diary-day", context, status=status)


def _search(user: User, q: str) -> list[Food]:
    q = (q or "").strip()
    if not q:
        return []
    # One query: portions and the person's last amount travel inside each row.
    return list(foods_search(user=user, q=q, limit=SEARCH_LIMIT))


# ---------------------------------------------------------------------------------------------------
# Pages


def day_page(request, date: dt.date):
    context = {}
    q = request.GET.get("q", "")
    meal_type = request.GET.get("meal", "")
    if q and meal_type in MealType.values:
        context = {"search_type": meal_type, "search_results": _results(request.user, q)}
    return _render_page(request, date, **context)


@login_required
@require_GET
def day_view(request, day: str):
    return day_page(request, _parse_day(day))


def _results(user: User, q: str) -> list[dict[str, Any]]:
    """Each result with its add form's start (the person's last amount, else the natural portion) and its
    unit choices. Rendered by hand in `search-results` rather than through 20 bound ItemForms: their
    widget templates cost more than the search itself; the post is validated by ItemForm as before."""
    rows = []
    for food in _search(user, q):
        initial, choices = add_start(food)
        rows.append({"food": food, "initial": initial, "choices": choices, "id_prefix": f"id_add_{food.pk}_"})
    return rows


@login_required
@require_GET
def food_search_view(request, day: str, meal_type: str):
    date, meal_type = _parse_day(day), _meal_type(meal_type)
    q = request.GET.get("q", "")
    if not request.htmx:
        return redirect(f"{day_url(date)}?meal={meal_type}&q={q}#meal-{meal_type}")
    return render(
        request,
        f"{PAGE}#search-results",
        {
            "date": date,
            "section": {"type": meal_type, "label": MealType(meal_type).label},
            "search_type": meal_type,
            "search_results": _results(request.user, q),
            "searched": bool(q.strip()),
        },
    )


@login_required
@require_POST
def item_add_view(request, day: str, meal_type: str):
    date, meal_type = _parse_day(day), _meal_type(meal_type)
    form = ItemForm(request.POST, user=request.user)
    error = ""
    if form.is_valid():
        try:
            # One transaction: a refused item (conflict, invalid) leaves no empty meal behind.
            with transaction.atomic():
                if request.POST.get("meal"):
                    meal = selectors.meal_get_for_user(user=request.user, meal_id=request.POST["meal"])
                else:
                    meal = services.meal_get_or_create(user=request.user, date=date, meal_type=meal_type)
                item = services.item_add(user=request.user, meal=meal, **form.service_kwargs())
        except services.ConflictWarning as warning:
            conflict = {
                "warnings": warning.messages,
                "data": request.POST,
                "food": form.chosen_food,
                "meal_type": meal_type,
            }
            if request.htmx:
                response = render(request, f"{PAGE}#conflict", {"date": date, "conflict": conflict})
                return reswap(retarget(response, f"#results-{meal_type}"), "innerHTML")
            return _render_page(request, date, status=409, conflict=conflict)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            if request.htmx:
                # The region is re-rendered, so focus goes to the new row (app.js) and the page's lasting live
                # region says what happened.
                response = _render_day_region(request, date, added_item_id=item.pk)
                return trigger_client_event(response, "announce", {"message": presenters.item_added_text(item, meal)})
            messages.success(request, f"{form.cleaned_data['food'].name} added.")
            return redirect(day_url(date, f"meal-{meal_type}"))
    else:
        error = " ".join(
            f"{form.fields[k].label or k}: {' '.join(map(str, v))}"
            if k in form.fields and k != "food"
            else " ".join(map(str, v))
            for k, v in form.errors.items()
        )
    if request.htmx:
        response = render(request, f"{PAGE}#add-error", {"error": error}, status=400)
        return reswap(retarget(response, f"#results-{meal_type}"), "afterbegin")
    messages.error(request, error)
    return _render_page(request, date, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit_view(request, item_id):
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    prefetch_related_objects([item.food], "portions")
    date = item.meal.date
    current = f"portion:{item.portion_id}" if item.portion_id else item.unit
    if request.method == "GET":
        form = ItemForm(
            user=request.user,
            food=item.food,
            initial={"quantity": item.quantity, "unit": current},
            auto_id=f"id_edit_{item.pk}_%s",
        )
        if request.htmx:
            return render(request, f"{PAGE}#item-edit", {"item": item, "form": form})
        return render(request, "nutrition/diary/item_edit.html", {"item": item, "form": form, "date": date})
    form = ItemForm(request.POST, user=request.user, food=item.food, auto_id=f"id_edit_{item.pk}_%s")
    if form.is_valid():
        kwargs = form.service_kwargs()
        try:
            services.item_update(
                user=request.user,
                item=item,
                quantity=kwargs["quantity"],
                unit=kwargs["unit"],
                portion=kwargs["portion"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if request.htmx:
                return _render_day_region(request, date)
            messages.success(request, "Item saved.")
            return redirect(day_url(date, f"item-{item.pk}"))
    if request.htmx:
        return render(request, f"{PAGE}#item-edit", {"item": item, "form": form}, status=400)
    return render(request, "nutrition/diary/item_edit.html", {"item": item, "form": form, "date": date}, status=400)


@login_required
@require_POST
def item_delete_view(request, item_id):
    item = selectors.item_get_for_user(user=request.user, item_id=item_id)
    date = item.meal.date
    services.item_delete(user=request.user, item=item)
    if request.htmx:
        return _render_day_region(request, date)
    messages.success(request, "Item removed.")
    return redirect(day_url(date, f"meal-{item.meal.meal_type}"))


@login_required
@require_POST
def meal_fields_view(request, meal_id):
    meal = selectors.meal_get_for_user(user=request.user, meal_id=meal_id)
    form = MealFieldsForm(request.POST)
    if form.is_valid():
        try:
            services.meal_update(user=request.user, meal=meal, **form.cleaned_data)
            messages.success(request, "Meal details saved.")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(day_url(meal.date, f"meal-{meal.meal_type}"))


@login_required
@require_POST
def meal_photo_view(request, meal_id):
    meal = selectors.meal_get_for_user(user=request.user, meal_id=meal_id)
    form = MealPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            recognition.meal_photo_attach(user=request.user, meal=meal, file=form.cleaned_data["photo"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request,
                "Photo saved." if recognition.recognition_enabled() else f"Photo saved. {recognition.NOT_SET_UP}",
            )
    else:
        messages.error(request, "Choose a photo to upload.")
    return redirect(day_url(meal.date, f"meal-{meal.meal_type}"))


@login_required
@require_POST
def meal_copy_view(request, meal_id):
    meal = selectors.meal_get_for_user(user=request.user, meal_id=meal_id)
    form = MealCopyForm(request.POST)
    if form.is_valid():
        try:
            target = services.meal_copy(
                user=request.user,
                meal=meal,
                to_date=form.cleaned_data["to_date"],
                to_meal_type=form.cleaned_data["to_meal_type"] or None,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request, f"Copied to {target.get_meal_type_display().lower()} on {target.date.isoformat()}."
            )
    else:
        messages.error(request, "Choose a date to copy to.")
    return redirect(day_url(meal.date, f"meal-{meal.meal_type}"))


@login_required
@require_POST
def day_copy_view(request, day: str):
    date = _parse_day(day)
    form = DayCopyForm(request.POST)
    if form.is_valid():
        try:
            count = services.day_copy(user=request.user, from_date=form.cleaned_data["from_date"], to_date=date)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"Copied {count} item{'s' if count != 1 else ''}.")
    else:
        messages.error(request, "Choose a day to copy from.")
    return redirect(day_url(date))


@login_required
@require_POST
def water_add_view(request, day: str):
    date = _parse_day(day)
    form = WaterForm(request.POST, unit_system=request.user)
    error = ""
    if form.is_valid():
        try:
            services.water_log_add(user=request.user, amount_ml=form.cleaned_data["amount_ml"], date=date)
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = form.range_message()
    if request.htmx:
        context = _day_context(request.user, date)
        context["water_error"] = error
        if error:
            context["water_form"] = form
        return render(request, f"{PAGE}#water", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(day_url(date, "water"))


@login_required
@require_POST
def water_delete_view(request, water_log_id):
    log = selectors.water_log_get_for_user(user=request.user, water_log_id=water_log_id)
    services.water_log_delete(user=request.user, water_log=log)
    if request.htmx:
        return render(request, f"{PAGE}#water", _day_context(request.user, log.date))
    return redirect(day_url(log.date, "water"))


urlpatterns = [
    path("day/<str:day>/", day_view, name="day"),
    path("day/<str:day>/copy/", day_copy_view, name="day-copy"),
    path("day/<str:day>/water/", water_add_view, name="water-add"),
    path("day/<str:day>/<str:meal_type>/search/", food_search_view, name="food-search"),
    path("day/<str:day>/<str:meal_type>/add/", item_add_view, name="item-add"),
    path("item/<uuid:item_id>/edit/", item_edit_view, name="item-edit"),
    path("item/<uuid:item_id>/delete/", item_delete_view, name="item-delete"),
    path("meal/<uuid:meal_id>/details/", meal_fields_view, name="meal-fields"),
    path("meal/<uuid:meal_id>/photo/", meal_photo_view, name="meal-photo"),
    path("meal/<uuid:meal_id>/copy/", meal_copy_view, name="meal-copy"),
    path("water/<uuid:water_log_id>/delete/", water_delete_view, name="water-delete"),
]
