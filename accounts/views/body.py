"""Body measurements: the quick-entry page (/settings/body/) and deleting an entry. The person records
their own (recorded_by empty); the trainer's path comes later."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ..models import BodyMetricType, Unit
from ..selectors import body as selectors
from ..services import body as services

TEMPLATE = "accounts/body/page.html"
RECENT = 30


class BodyEntryForm(forms.Form):
    """One field per measurement type, each in the person's unit; every field is optional."""

    measured_on = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Today if empty."
    )

    def __init__(self, *args, types: list[BodyMetricType], units: dict[str, Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.types = types
        self.field_units: dict[str, Unit] = {}
        for metric_type in types:
            unit = units.get(metric_type.unit.type, metric_type.unit)
            self.field_units[metric_type.code] = unit
            self.fields[metric_type.code] = forms.DecimalField(
                label=f"{metric_type.name} ({unit.symbol})",
                required=False,
                max_digits=10,
                decimal_places=2,
                min_value=0,
                widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            )

    def groups(self) -> list[tuple[str, list]]:
        grouped: dict[str, list] = {}
        labels = {}
        for metric_type in self.types:
            grouped.setdefault(metric_type.category, []).append(self[metric_type.code])
            labels[metric_type.category] = metric_type.get_category_display()
        return [(labels[key], fields) for key, fields in grouped.items()]

    def values(self) -> dict:
        return {
            code: (self.cleaned_data[code], unit)
            for code, unit in self.field_units.items()
            if self.cleaned_data.get(code) is not None
        }


def _recent(user, units: dict[str, Unit]) -> list:
    rows = list(selectors.body_metrics_for_user(user=user)[:RECENT])
    for row in rows:
        base = row.metric_type.unit
        unit = units.get(base.type, base)
        row.display = selectors.value_in_unit(value=row.value, base=base, unit=unit).quantize(Decimal("0.1"))
        row.display_unit = unit.symbol
    return rows


def _measured_at(day: dt.date | None, user) -> dt.datetime | None:
    """A past day is recorded at noon local time; today (or no date) at the moment of entry."""
    if day is None or day == timezone.localdate(timezone.now(), user.zone):
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=user.zone)


@login_required
@require_http_methods(["GET", "POST"])
def body_view(request):
    types = selectors.body_metric_types()
    units = selectors.display_units_for(user=request.user)
    form = BodyEntryForm(request.POST if request.method == "POST" else None, types=types, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.body_metrics_record_entry(
                    user=request.user,
                    values=form.values(),
                    measured_at=_measured_at(form.cleaned_data.get("measured_on"), request.user),
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for code, errors in exc.message_dict.items():
                        code = "measured_on" if code == "measured_at" else code
                        form.add_error(code if code in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, f"Saved {len(saved)} measurement{'s' if len(saved) != 1 else ''}.")
                return redirect("accounts:body")
        status = 400
    return render(
        request,
        TEMPLATE,
        {"form": form, "recent": _recent(request.user, units), "has_types": bool(types)},
        status=status,
    )


@login_required
@require_POST
def body_delete_view(request, id):
    metric = selectors.body_metric_get_for_user(user=request.user, metric_id=id)
    if metric is None:
        raise Http404("No such measurement.")
    services.body_metric_delete(metric=metric)
    messages.success(request, "Measurement deleted.")
    return redirect("accounts:body")


urlpatterns = [
    path("body/", body_view, name="body"),
    path("body/<uuid:id>/delete/", body_delete_view, name="body-delete"),
]
