"""Every page that shows a weight, a volume of water, a distance or a height shows it in the person's units
(issue 11, item 2): the same data, walked as a metric and as an imperial person. A number followed by a unit
of the other system anywhere in the page's text fails the test."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from accounts.models import ChangedBy, User
from accounts.services.body import body_metric_record
from accounts.services.profiles import profile_update
from accounts.tests.factories import UserFactory
from nutrition.services import diary
from nutrition.services.hydration import hydration_preferences_set
from training.models import ActivityType, Exercise
from training.services import sessions

pytestmark = pytest.mark.django_db

# A number then a unit ("80 kg", "176.4 lb", "500 ml", "16 fl oz", "5 km", "3.11 mi", "180 cm", "5 ft 11 in"),
# or a form field's unit in its label ("Height (cm)").
UNITS = {
    "metric": {"weight": "kg", "water": "ml", "distance": "km|m", "height": "cm"},
    "imperial": {"weight": "lb", "water": "fl oz", "distance": "mi", "height": "ft|feet"},
}


def _pattern(unit: str) -> re.Pattern:
    """The unit after a number ("80 kg"), or as a field's unit in its label ("Weight (kg)")."""
    names = "|".join(re.escape(name) for name in unit.split("|"))
    return re.compile(rf"(\d\s*(?:{names})(?![a-z])|\((?:{names})\))")


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def person(request) -> User:
    user = UserFactory.create(unit_system=request.param, timezone="UTC")
    today = user.local_today()
    yesterday = timezone.now() - dt.timedelta(days=1)
    body_metric_record(user=user, metric_type="weight", value=Decimal(80), measured_at=yesterday)
    body_metric_record(user=user, metric_type="weight", value=Decimal("79.5"), measured_at=timezone.now())
    profile_update(
        profile=user.profile, changes={"height_m": Decimal("1.80")}, changed_by=ChangedBy.USER, changed_by_user=user
    )
    diary.water_log_add(user=user, amount_ml=500, date=today)
    hydration_preferences_set(user=user, daily_target_ml=2500)

    exercise = Exercise.objects.filter(owner__isnull=True, tracks_weight=True).order_by("name").first()
    assert exercise is not None
    strength = sessions.session_start(
        user=user, activity_type=ActivityType.objects.get(slug="weight-training"), started_at=yesterday
    )
    moved = sessions.exercise_add(user=user, session=strength, exercise=exercise)
    sessions.set_add(user=user, session_exercise=moved, reps=5, weight_kg=Decimal(60), is_completed=True)
    sessions.session_finish(user=user, session=strength, ended_at=yesterday + dt.timedelta(minutes=50))

    run = sessions.session_start(
        user=user,
        activity_type=ActivityType.objects.get(slug="running"),
        started_at=yesterday + dt.timedelta(hours=2),
    )
    sessions.metrics_save(user=user, session=run, values={"distance": Decimal(5000)})
    sessions.session_finish(user=user, session=run, ended_at=yesterday + dt.timedelta(hours=2, minutes=30))
    user.refresh_from_db()
    user.strength, user.run, user.exercise = strength, run, exercise
    return user


def _pages(person) -> list[tuple[str, set[str]]]:
    """(url, the quantities the page shows)."""
    return [
        ("/today/", {"weight", "water"}),
        ("/progress/", {"weight"}),
        ("/settings/body/", {"weight"}),
        ("/settings/profile/", {"height"}),
        (f"/train/sessions/{person.strength.pk}/", {"weight"}),
        (f"/train/sessions/{person.run.pk}/", {"distance"}),
        ("/train/history/", {"weight"}),
        (f"/train/exercises/{person.exercise.pk}/", {"weight"}),
        ("/eat/", {"water"}),
        ("/eat/preferences/", {"water"}),
    ]


@pytest.mark.parametrize("person", ["metric", "imperial"], indirect=True)
def test_every_page_speaks_the_persons_units(client, person):
    client.force_login(person)
    mine = UNITS[person.unit_system]
    theirs = UNITS["imperial" if person.unit_system == "metric" else "metric"]
    problems = []
    for url, shows in _pages(person):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for quantity in shows:
            if not _pattern(mine[quantity]).search(text):
                problems.append(f"{url}: no {quantity} in {mine[quantity]}")
        for quantity, unit in theirs.items():
            found = _pattern(unit).search(text)
            if found:
                start = max(found.start() - 30, 0)
                problems.append(f"{url}: {quantity} in {unit}: …{text[start : found.end() + 10]!r}")
    assert not problems, "\n".join(problems)
