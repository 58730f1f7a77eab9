"""Pages: the food database (search as you type), one food with all its nutrients and portions, and
adding one's own food. Ends with `urlpatterns`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from .. import presenters
from ..forms import FoodCreateForm, FoodSearchForm
from ..selectors import foods as selectors
from ..services import foods as services

SEARCH_TEMPLATE = "nutrition/foods/search.html"
DETAIL_TEMPLATE = "nutrition/foods/detail.html"
CREATE_TEMPLATE = "nutrition/foods/create.html"
RESULTS_LIMIT = 20


@login_required
@require_GET
def food_search(request):
    q = FoodSearchForm(request.GET).query()
    # One query for the results (portions travel inside it); LIMIT + 1 tells whether there are more.
    rows = list(selectors.foods_search(user=request.user, q=q, limit=RESULTS_LIMIT + 1))
    context = {"foods": rows[:RESULTS_LIMIT], "has_more": len(rows) > RESULTS_LIMIT, "q": q}
    if request.htmx and request.htmx.target == "food-results":
        return render(request, f"{SEARCH_TEMPLATE}#food-results", context)
    return render(request, SEARCH_TEMPLATE, context)


@login_required
@require_GET
def food_detail(request, food_id):
    food = selectors.food_get_visible(user=request.user, food_id=food_id)
    context = {"food": food, "nutrients": presenters.food_nutrients(food), "portions": list(food.portions.all())}
    return render(request, DETAIL_TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def food_create(request):
    form = FoodCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            food = services.food_create(owner=request.user, **form.service_kwargs())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Added “{food.name}” to your foods. Only you can see it.")
            return redirect("nutrition:food-detail", food_id=food.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, CREATE_TEMPLATE, {"form": form}, status=status)


urlpatterns = [
    path("foods/", food_search, name="foods"),
    path("foods/new/", food_create, name="food-create"),
    path("foods/<uuid:food_id>/", food_detail, name="food-detail"),
]
