from __future__ import annotations

import pytest
from django.urls import reverse

from fitjourney.testing.access import assert_access
from training.models import Exercise, Visibility
from training.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:training_exercise_changelist")


def test_exercise_admin_access(client, personas):
    assert_access(
        client,
        personas,
        lambda c: c.get(CHANGELIST, {"q": "bench"}),
        {"anonymous": 302, "owner": 302, "other_member": 302, "trainer": 403, "staff": 200},
    )


def test_activity_type_admin_shows_metric_templates_to_staff(client, personas):
    from training.models import ActivityType

    running = ActivityType.objects.get(slug="running")
    client.force_login(personas.staff)
    response = client.get(reverse("admin:training_activitytype_change", args=[running.pk]))
    assert response.status_code == 200 and "Distance" in response.content.decode()
    assert client.get(reverse("admin:training_activitytype_changelist")).status_code == 200


def test_staff_verify_shared_exercises_in_bulk(client, personas):
    shared = [ExerciseFactory(owner=personas.owner, visibility=Visibility.PUBLIC) for _ in range(3)]
    untouched = ExerciseFactory(owner=personas.owner, visibility=Visibility.PUBLIC)
    client.force_login(personas.staff)
    response = client.post(
        CHANGELIST,
        {"action": "verify", "_selected_action": [str(e.pk) for e in shared]},
        follow=True,
    )
    assert response.status_code == 200 and "Verified 3 exercises." in response.content.decode()
    assert set(Exercise.objects.filter(is_verified=True, owner=personas.owner)) == set(shared)
    untouched.refresh_from_db()
    assert not untouched.is_verified


def test_the_changelist_filters_by_source_and_verification(client, personas):
    ExerciseFactory(owner=personas.owner, name="Unverified Thing", visibility=Visibility.PUBLIC)
    client.force_login(personas.staff)
    html = client.get(CHANGELIST, {"is_verified__exact": "0", "owner_kind": "people"}).content.decode()
    assert "Unverified Thing" in html and "Barbell Bench Press" not in html
    html = client.get(CHANGELIST, {"source": "seed-000"}).content.decode()
    assert "Deadlift" in html and "Unverified Thing" not in html
