"""Pages: a person's own activity types (issue 14, point 1) — the list and the form to define one. Ends
with `urlpatterns`."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from accounts.request_info import PersonRequest

from ..forms.activity_types import ActivityTypeForm, MetricRowFormSet
from ..selectors.sessions import activity_types_of
from ..services.activity_types import activity_type_create

ROW = re.compile(r"^metrics\[(\d+)\]\.(\w+)$")


@login_required
@require_http_methods(["GET", "POST"])
def activity_types_view(request: PersonRequest) -> HttpResponse:
    form = ActivityTypeForm(request.POST or None)
    rows = MetricRowFormSet(request.POST or None, prefix="metrics")
    status = 200
    if request.method == "POST":
        if form.is_valid() and rows.is_valid():
            filled = [(i, row.spec()) for i, row in enumerate(rows.forms) if row.spec()]
            try:
                created = activity_type_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    category=form.cleaned_data["category"],
                    is_physical=form.cleaned_data["is_physical"],
                    met=form.cleaned_data.get("met"),
                    description=form.cleaned_data.get("description") or "",
                    metrics=[spec for _, spec in filled if spec],
                )
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    match = ROW.match(key)
                    if match and int(match.group(1)) < len(filled):
                        row = rows.forms[filled[int(match.group(1))][0]]
                        row.add_error(match.group(2) if match.group(2) in row.fields else None, problems)
                    else:
                        form.add_error(key if key in form.fields else None, problems)
            else:
                messages.success(request, f"{created.name} is ready: choose it on Train to log one.")
                return redirect("training:activity-types")
        status = 400
    context = {"form": form, "rows": rows, "own_types": activity_types_of(user=request.user)}
    return render(request, "training/activity_types/list.html", context, status=status)


urlpatterns = [
    path("activity-types/", activity_types_view, name="activity-types"),
]
