"""Every nutrition page that shows or reads water or a body weight does it in the person's units: fl oz and
lb for an imperial person, ml and kg for a metric one (fitjourney.units). Energy stays kcal and food
quantities grams, millilitres and portions for everybody."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, User
from accounts.services.body import body_metric_record
from accounts.tests.factories import UserFactory
from nutrition.models import HydrationPreferences, WaterLog
from nutrition.services import hydration as hydration_services
from nutrition.services import plans as plan_services

from .plans_helpers import complete_profile

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)
HTMX = {"HTTP_HX_REQUEST": "true"}


def _person(unit_system):
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(unit_system=unit_system)
    user.refresh_from_db()
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _water_region(html: str) -> str:
    return html[html.index('<div id="water">') : html.index('aria-labelledby="copy-title"')]


def test_the_diary_shows_water_in_fl_oz_to_an_imperial_person():
    person = _person("imperial")
    WaterLog.objects.create(user=person, amount_ml=500, date=DAY, logged_at="2026-03-10T10:00:00Z")
    water = _water_region(_client(person).get(f"/eat/day/{DAY}/").content.decode())
    assert "17 fl oz</strong> of 68 fl oz" in water  # 500 ml of the default 2,000 ml
    for label in ("+8 fl oz", "+16 fl oz", "+24 fl oz"):
        assert label in water
    assert 'value="237"' in water  # the button still carries exact millilitres
    assert "Other amount (fl oz)" in water and "· 17 fl oz" in water
    assert " ml" not in water


def test_the_diary_shows_water_in_ml_to_a_metric_person():
    person = _person("metric")
    WaterLog.objects.create(user=person, amount_ml=500, date=DAY, logged_at="2026-03-10T10:00:00Z")
    water = _water_region(_client(person).get(f"/eat/day/{DAY}/").content.decode())
    assert "500 ml</strong> of 2000 ml" in water
    assert "+250 ml" in water and "Other amount (ml)" in water and "· 500 ml" in water
    assert "fl oz" not in water


def test_a_typed_amount_is_read_in_the_persons_unit():
    imperial, metric = _person("imperial"), _person("metric")
    assert _client(imperial).post(f"/eat/day/{DAY}/water/", {"amount": "8"}, **HTMX).status_code == 200
    assert _client(metric).post(f"/eat/day/{DAY}/water/", {"amount": "120"}, **HTMX).status_code == 200
    assert WaterLog.objects.get(user=imperial).amount_ml == 237  # 8 × 29.57 ml
    assert WaterLog.objects.get(user=metric).amount_ml == 120


def test_a_typed_amount_out_of_range_is_refused_in_the_persons_unit():
    imperial = _person("imperial")
    response = _client(imperial).post(f"/eat/day/{DAY}/water/", {"amount": "170"}, **HTMX)  # 5,027 ml
    assert response.status_code == 400 and "Enter 1 to 169 fl oz." in response.content.decode()
    response = _client(_person("metric")).post(f"/eat/day/{DAY}/water/", {"amount": "5001"}, **HTMX)
    assert response.status_code == 400 and "Enter 1 to 5000 ml." in response.content.decode()
    assert not WaterLog.objects.exists()


def _target_input(html: str) -> str:
    found = re.search(r'<input[^>]*name="daily_target_ml"[^>]*>', html)
    assert found is not None
    return found.group(0)


def test_the_hydration_target_is_shown_and_entered_in_fl_oz():
    person = _person("imperial")
    hydration_services.hydration_preferences_set(user=person, daily_target_ml=2000)
    client = _client(person)
    html = client.get(reverse("nutrition:preferences")).content.decode()
    assert "Daily target (fl oz)" in html and 'value="68"' in _target_input(html)
    post = {"reminder_every_minutes": 60, "reminder_start": "08:00", "reminder_end": "22:00", "tone": "gentle"}
    # Left as shown, the target keeps its millilitres (68 fl oz is 2,011 ml).
    assert client.post(reverse("nutrition:preferences-hydration"), {**post, "daily_target_ml": "68"}).status_code == 302
    assert HydrationPreferences.objects.get(user=person).daily_target_ml == 2000
    assert client.post(reverse("nutrition:preferences-hydration"), {**post, "daily_target_ml": "80"}).status_code == 302
    assert HydrationPreferences.objects.get(user=person).daily_target_ml == 2366
    response = client.post(reverse("nutrition:preferences-hydration"), {**post, "daily_target_ml": "400"})
    assert response.status_code == 400  # 400 fl oz is more than 10,000 ml


def test_the_hydration_target_stays_in_ml_for_a_metric_person():
    person = _person("metric")
    html = _client(person).get(reverse("nutrition:preferences")).content.decode()
    assert "Daily target (ml)" in html and 'value="2000"' in _target_input(html)


def test_hydration_reminders_speak_the_persons_unit():
    title, message = hydration_services.hydration_reminder_text(
        tone="minimal", drunk_ml=1500, target_ml=2000, unit_system="imperial"
    )
    assert message == "51/68 fl oz."
    person = _person("imperial")
    hydration_services.hydration_preferences_set(user=person, daily_target_ml=2000, tone="motivational")
    now = dt.datetime.combine(person.local_today(), dt.time(12), tzinfo=person.zone)
    assert hydration_services.hydration_reminders_send(now=now) == 1
    assert "only 68 fl oz to reach 68 fl oz" in Notification.objects.get(user=person).message


def test_the_plan_page_shows_weights_in_pounds_to_an_imperial_person():
    person = complete_profile(_person("imperial"))
    plan_services.meal_plan_calculate(user=person)
    body_metric_record(user=person, metric_type="weight", value=Decimal(77))  # replaces today's 80 kg
    html = _client(person).get(reverse("nutrition:plan")).content.decode()
    assert "changed by −6.6 lb" in html and "(176.4 lb → 169.8 lb)" in html
    assert "176.4 lb" in html and "g per lb of body weight" in html  # the rationale, computed for them
    assert "e.g. lost 3 lb since the last plan" in html
    assert not re.search(r"\d kg\b", html)


def test_the_plan_page_shows_weights_in_kilograms_to_a_metric_person():
    person = complete_profile(_person("metric"))
    plan_services.meal_plan_calculate(user=person)
    body_metric_record(user=person, metric_type="weight", value=Decimal(77))
    html = _client(person).get(reverse("nutrition:plan")).content.decode()
    assert "changed by −3 kg" in html and "(80 kg → 77 kg)" in html and "g per kg of body weight" in html
    assert " lb" not in html
