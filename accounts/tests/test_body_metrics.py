from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import BodyMetric, BodyMetricType, Unit
from accounts.services.body import body_metric_delete, body_metric_record
from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries

pytestmark = pytest.mark.django_db

PAGE = "/settings/body/"
CIRCUMFERENCES = ["neck", "chest", "waist", "hips", "thigh", "calf", "biceps", "forearm"]


def _unit(code, name, symbol, kind, factor, is_base=False) -> Unit:
    found = Unit.objects.filter(type=kind, symbol=symbol).first()
    if found:
        return found
    return Unit.objects.create(code=code, name=name, symbol=symbol, type=kind, factor=factor, is_base=is_base)


def body_reference() -> dict[str, BodyMetricType]:
    """Units and measurement types the way reference data has them (created here when absent)."""
    kg = _unit("kg", "kilograms", "kg", "weight", "1", True)
    _unit("lb", "pounds", "lb", "weight", "0.45359237")
    pct = _unit("percent", "percent", "%", "percentage", "1", True)
    m = _unit("m", "metres", "m", "length", "1", True)
    _unit("cm", "centimetres", "cm", "length", "0.01")
    _unit("in", "inches", "in", "length", "0.0254")
    spec: list[tuple[str, str, str, Unit, int | str, int | str]] = [
        ("weight", "Weight", "weight", kg, 0, 500),
        ("body_fat", "Body fat", "composition", pct, 1, 75),
        ("muscle_mass", "Muscle mass", "composition", kg, 1, 200),
        ("body_water", "Body water", "composition", pct, 20, 80),
        ("bone_mass", "Bone mass", "composition", kg, "0.5", 10),
        *[(code, code.title(), "measurement", m, "0.05", 3) for code in CIRCUMFERENCES],
    ]
    types = {}
    for order, (code, name, category, unit, low, high) in enumerate(spec):
        types[code], _ = BodyMetricType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "unit": unit,
                "min_value": low,
                "max_value": high,
                "display_order": order,
            },
        )
    return types


@pytest.fixture
def body_types(db):
    return body_reference()


# Service


def test_it_converts_pounds_to_kilograms(body_types, member):
    metric = body_metric_record(user=member, metric_type="weight", value=Decimal("220"), unit="lb")
    assert metric.value == Decimal("99.7903")


def test_it_converts_centimetres_and_inches_to_metres(body_types, member):
    assert body_metric_record(user=member, metric_type="waist", value=Decimal("82.5"), unit="cm").value == Decimal(
        "0.8250"
    )
    assert body_metric_record(user=member, metric_type="chest", value=Decimal("40"), unit="in").value == Decimal(
        "1.0160"
    )


def test_it_stores_percentages_as_given(body_types, member):
    assert body_metric_record(user=member, metric_type="body_fat", value=Decimal("18.5")).value == Decimal("18.5")


def test_it_rejects_weight_out_of_range_with_a_message_in_the_given_unit(body_types, member):
    with pytest.raises(ValidationError) as excinfo:
        body_metric_record(user=member, metric_type="weight", value=Decimal("1200"), unit="lb")
    message = str(excinfo.value)
    assert "Weight must be between" in message and "1102.3 lb" in message
    with pytest.raises(ValidationError):
        body_metric_record(user=member, metric_type="weight", value=Decimal("0"))
    with pytest.raises(ValidationError):
        body_metric_record(user=member, metric_type="body_fat", value=Decimal("90"))


def test_it_rejects_a_unit_of_the_wrong_kind(body_types, member):
    with pytest.raises(ValidationError, match="not"):
        body_metric_record(user=member, metric_type="weight", value=Decimal("80"), unit="cm")


def test_it_replaces_the_weight_of_the_same_local_day(body_types, member):
    first = body_metric_record(user=member, metric_type="weight", value=Decimal("80"))
    second = body_metric_record(user=member, metric_type="weight", value=Decimal("79.5"), notes="after run")
    assert first.pk == second.pk
    assert BodyMetric.objects.filter(user=member, metric_type_id="weight").count() == 1
    assert BodyMetric.objects.get(pk=first.pk).value == Decimal("79.5")


def test_it_keeps_several_circumferences_a_day(body_types, member):
    body_metric_record(user=member, metric_type="waist", value=Decimal("80"), unit="cm")
    body_metric_record(user=member, metric_type="waist", value=Decimal("81"), unit="cm")
    assert BodyMetric.objects.filter(user=member, metric_type_id="waist").count() == 2


def test_it_dates_the_measurement_in_the_person_time_zone(body_types):
    person = UserFactory(timezone="Pacific/Auckland")
    at = dt.datetime(2024, 3, 1, 20, 0, tzinfo=dt.UTC)  # 2 March 09:00 in Auckland
    metric = body_metric_record(user=person, metric_type="weight", value=Decimal("70"), measured_at=at)
    assert metric.local_date == dt.date(2024, 3, 2)
    la = UserFactory(timezone="America/Los_Angeles")
    assert body_metric_record(user=la, metric_type="weight", value=Decimal("70"), measured_at=at).local_date == dt.date(
        2024, 3, 1
    )


def test_it_refuses_future_measurements(body_types, member):
    with pytest.raises(ValidationError):
        body_metric_record(
            user=member, metric_type="weight", value=Decimal("70"), measured_at=timezone.now() + dt.timedelta(days=2)
        )


def test_delete_removes_the_measurement(body_types, member):
    metric = body_metric_record(user=member, metric_type="weight", value=Decimal("70"))
    body_metric_delete(metric=metric)
    assert not BodyMetric.objects.filter(pk=metric.pk).exists()


# Page


def test_page_access_matrix(personas, body_types):
    metric = body_metric_record(user=personas.owner, metric_type="weight", value=Decimal("70"))
    client = Client()
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(PAGE), everyone)
    delete = f"/settings/body/{metric.pk}/delete/"
    assert_access(
        client,
        personas,
        lambda c: c.post(delete),
        {"anonymous": 302, "other_member": 404, "trainer": 404, "staff": 404, "owner": 302},
    )
    assert not BodyMetric.objects.filter(pk=metric.pk).exists()


def test_page_never_shows_another_person_entries(personas, body_types):
    body_metric_record(user=personas.other_member, metric_type="weight", value=Decimal("99.9"))
    client = Client()
    client.force_login(personas.owner)
    assert "99.9" not in client.get(PAGE).content.decode()


def test_delete_is_post_only(body_types, member):
    metric = body_metric_record(user=member, metric_type="weight", value=Decimal("70"))
    client = Client()
    client.force_login(member)
    assert client.get(f"/settings/body/{metric.pk}/delete/").status_code == 405


def test_quick_entry_in_imperial_units(body_types):
    person = UserFactory(unit_system="imperial")
    client = Client()
    client.force_login(person)
    page = client.get(PAGE).content.decode()
    assert "Weight (lb)" in page and "Waist (in)" in page and "Body fat (%)" in page
    response = client.post(PAGE, {"weight": "220", "waist": "32", "body_fat": "20"})
    assert response.status_code == 302
    values = dict(BodyMetric.objects.filter(user=person).values_list("metric_type_id", "value"))
    assert values == {"weight": Decimal("99.7903"), "waist": Decimal("0.8128"), "body_fat": Decimal("20.0000")}
    assert BodyMetric.objects.filter(user=person, recorded_by__isnull=True).count() == 3


def test_quick_entry_saves_nothing_when_one_value_is_out_of_range(body_types, member):
    client = Client()
    client.force_login(member)
    response = client.post(PAGE, {"weight": "80", "body_fat": "95"})
    assert response.status_code == 400
    assert "Body fat must be between 1 and 75 %" in response.content.decode()
    assert not BodyMetric.objects.filter(user=member).exists()


def test_quick_entry_needs_one_value(body_types, member):
    client = Client()
    client.force_login(member)
    response = client.post(PAGE, {})
    assert response.status_code == 400
    assert "at least one" in response.content.decode()


def test_quick_entry_for_a_past_day(body_types, member):
    member.timezone = "Europe/Berlin"
    member.save()
    client = Client()
    client.force_login(member)
    day = timezone.localdate(timezone.now(), ZoneInfo("Europe/Berlin")) - dt.timedelta(days=3)
    assert client.post(PAGE, {"measured_on": day.isoformat(), "weight": "71"}).status_code == 302
    assert BodyMetric.objects.get(user=member).local_date == day


def test_page_query_count_does_not_grow(body_types, member):
    for value in range(60, 90):
        body_metric_record(user=member, metric_type="waist", value=Decimal(value), unit="cm")
    client = Client()
    client.force_login(member)
    with assert_max_queries(6):
        assert client.get(PAGE).status_code == 200
