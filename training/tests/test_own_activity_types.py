"""People define their own activity types (issue 14, point 1): private to them, logged with the timed
logger and their own metrics, made public by staff; nobody else sees a private one anywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from training.models import ActivityCategory, ActivityType, MetricTemplate, Session, SessionMetric
from training.selectors.sessions import activity_types
from training.services import sessions as session_services
from training.services.activity_types import activity_type_create, activity_type_make_public

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _bouldering(user, **extra):
    return activity_type_create(
        user=user,
        name="Bouldering",
        category=ActivityCategory.objects.get(slug="physical"),
        is_physical=True,
        met=Decimal("5.8"),
        metrics=[
            {"label": "Hardest grade", "input_type": "text"},
            {"label": "Problems sent", "input_type": "number", "min_value": 0, "max_value": 200},
        ],
        **extra,
    )


def test_a_person_defines_a_type_that_only_they_see_and_log():
    me, other = UserFactory(), UserFactory()
    mine = _bouldering(me)
    assert (mine.owner, mine.is_public, mine.uses_exercises) == (me, False, False)
    assert [m.name for m in MetricTemplate.objects.filter(activity_type=mine)] == ["hardest_grade", "problems_sent"]
    assert mine in activity_types(user=me) and mine not in activity_types(user=other)
    assert not ActivityType.objects.filter(pk=mine.pk).exists()  # the default manager: public types only
    session = session_services.session_start(user=me, activity_type=mine)
    session_services.metrics_save(user=me, session=session, values={"hardest_grade": "6B+", "problems_sent": 9})
    assert SessionMetric.objects.get(session=session, name="problems_sent").value_numeric == Decimal(9)
    # Another person may define their own "Bouldering"; the same person may not twice.
    assert _bouldering(other).owner == other
    with pytest.raises(ValidationError) as error:
        _bouldering(me)
    assert "name" in error.value.message_dict


def test_bad_definitions_are_refused_with_the_field_named():
    me = UserFactory()
    category = ActivityCategory.objects.get(slug="creative")
    cases = [
        ({"name": "Guitar", "is_physical": False, "met": Decimal(2)}, "met"),
        ({"name": "", "is_physical": False}, "name"),
        (
            {"name": "Guitar", "is_physical": False, "metrics": [{"label": "Songs", "min_value": 5, "max_value": 1}]},
            "metrics[0].max_value",
        ),
        (
            {"name": "Guitar", "is_physical": False, "metrics": [{"label": "Songs", "unit": "parsecs"}]},
            "metrics[0].unit",
        ),
    ]
    for fields, key in cases:
        with pytest.raises(ValidationError) as error:
            activity_type_create(user=me, category=category, **fields)
        assert key in error.value.message_dict, fields
    assert not ActivityType.all_types.filter(owner=me).exists()


def test_staff_make_a_good_one_public_unless_the_name_is_taken():
    me = UserFactory()
    mine = _bouldering(me)
    public = activity_type_make_public(activity_type=mine)
    assert public.is_public and public.owner == me
    assert public in activity_types(user=UserFactory())
    second = _bouldering(UserFactory())
    with pytest.raises(ValidationError):
        activity_type_make_public(activity_type=second)


def test_the_page_defines_one_and_train_offers_it_to_its_author_only(client):
    me, other = UserFactory(), UserFactory()
    client.force_login(me)
    data = {
        "name": "Guitar",
        "category": str(ActivityCategory.objects.get(slug="creative").pk),
        "met": "",
        "description": "",
        "metrics-TOTAL_FORMS": "3",
        "metrics-INITIAL_FORMS": "0",
        "metrics-0-label": "Songs practised",
        "metrics-0-input_type": "number",
        "metrics-0-unit": "",
        "metrics-1-label": "",
        "metrics-1-input_type": "number",
        "metrics-2-label": "",
        "metrics-2-input_type": "number",
    }
    response = client.post(reverse("training:activity-types"), data)
    assert response.status_code == 302
    guitar = ActivityType.all_types.get(owner=me, name="Guitar")
    assert not guitar.is_physical  # the box was not ticked
    assert "Guitar" in client.get(reverse("training:index")).content.decode()
    page = client.post(reverse("training:session-start"), {"activity_type": str(guitar.pk)})
    assert page.status_code == 302
    session_page = client.get(page.url).content.decode()
    assert "Songs practised" in session_page and "Time (h:mm:ss)" in session_page
    client.force_login(other)
    assert "Guitar" not in client.get(reverse("training:index")).content.decode()
    client.post(reverse("training:session-start"), {"activity_type": str(guitar.pk)})
    assert not Session.objects.filter(user=other).exists()  # another person's private type cannot be started
