from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from fitjourney.testing.access import assert_access
from fitjourney.testing.queries import assert_max_queries
from training.models import ActivityType, Session, Set
from training.services import sessions as services
from training.tests.factories import ActivityTypeFactory, ExerciseFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _no_hooks(monkeypatch):
    monkeypatch.setattr(services.records_service, "records_detect", lambda *, session: [])
    monkeypatch.setattr(services.streaks_service, "streaks_refresh", lambda *, user: None)


def _session(user, exercises=1, sets=2):
    session = services.session_start(user=user, activity_type=ActivityTypeFactory())
    for _ in range(exercises):
        se = services.exercise_add(user=user, session=session, exercise=ExerciseFactory())
        for _ in range(sets):
            services.set_add(user=user, session_exercise=se, reps=8, weight_kg=Decimal("60"))
    return session


def test_train_page_offers_start_resume_templates_and_repeat(client):
    user = UserFactory()
    ActivityTypeFactory(name="Zumba Test Type")
    session = _session(user)
    client.force_login(user)
    body = client.get(reverse("training:index")).content.decode()
    assert "Resume session" in body and "Zumba Test Type" in body
    assert reverse("training:session", args=[session.pk]) in body


def test_logger_search_knows_abbreviations_and_aliases(client):
    user = UserFactory()
    session = services.session_start(user=user, activity_type=ActivityTypeFactory())
    client.force_login(user)
    url = reverse("training:session-search", args=[session.pk])
    for q, first in (("RDL", "Romanian Deadlift"), ("DB bench", "Dumbbell Bench Press"), ("squat", "Barbell Squat")):
        html = client.get(url, {"q": q}, **HTMX).content.decode()
        assert html.split("Add ", 1)[1].startswith(f"{first}</button>"), q


def test_logger_flow_start_add_exercise_add_set_finish(client):
    user = UserFactory()
    activity = ActivityTypeFactory()
    bench = ExerciseFactory(name="Bench Zq Press")
    client.force_login(user)
    response = client.post(reverse("training:session-start"), {"activity_type": activity.pk})
    session = Session.objects.get(user=user)
    assert response.url == reverse("training:session", args=[session.pk])
    search = client.get(reverse("training:session-search", args=[session.pk]), {"q": "bench zq"}, **HTMX)
    assert "Add Bench Zq Press" in search.content.decode() and "<html" not in search.content.decode()
    client.post(reverse("training:session-exercise-add", args=[session.pk]), {"exercise": bench.pk})
    se = session.exercises.get()
    response = client.post(
        reverse("training:set-add", args=[se.pk]), {"reps": 8, "weight": "60", "is_completed": "on"}, **HTMX
    )
    assert response.status_code == 201
    body = response.content.decode()
    assert "<html" not in body and "8 reps @ 60 kg" in body and 'hx-swap-oob="true"' in body
    assert "restTimerStart" in response["HX-Trigger"]
    client.post(reverse("training:session-finish", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == "finished" and session.total_volume_kg == Decimal("480.00")
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Add your weight to see calories" in page and "480 kg" in page


def test_set_add_without_js_redirects_and_bad_input_saves_nothing(client):
    user = UserFactory()
    session = _session(user, sets=0)
    se = session.exercises.get()
    client.force_login(user)
    response = client.post(
        reverse("training:set-add", args=[se.pk]), {"reps": 5, "weight": "100", "is_completed": "on"}
    )
    assert response.status_code == 302
    for bad in ({"reps": 5, "weight": "-5"}, {"reps": 5, "rpe": 11}, {"reps": 0}):
        response = client.post(reverse("training:set-add", args=[se.pk]), bad, **HTMX)
        assert response.status_code == 400
        assert "errorlist" in response.content.decode()
    assert Set.objects.filter(session_exercise=se).count() == 1


def test_imperial_person_enters_and_sees_pounds(client):
    user = UserFactory(unit_system="imperial")
    session = _session(user, sets=0)
    se = session.exercises.get()
    client.force_login(user)
    response = client.post(
        reverse("training:set-add", args=[se.pk]), {"reps": 5, "weight": "135", "is_completed": "on"}, **HTMX
    )
    assert "135 lb" in response.content.decode()
    assert Set.objects.get().weight_kg == Decimal("61.23")
    assert "Weight (lb)" in client.get(reverse("training:session", args=[session.pk])).content.decode()


def test_previous_performance_is_shown(client):
    user = UserFactory()
    exercise = ExerciseFactory()
    old = services.session_start(user=user, activity_type=ActivityTypeFactory())
    se = services.exercise_add(user=user, session=old, exercise=exercise)
    for _ in range(3):
        services.set_add(user=user, session_exercise=se, reps=8, weight_kg=Decimal("60"))
    services.session_finish(user=user, session=old)
    current = services.session_start(user=user, activity_type=ActivityTypeFactory())
    services.exercise_add(user=user, session=current, exercise=exercise)
    client.force_login(user)
    body = client.get(reverse("training:session", args=[current.pk])).content.decode()
    assert "Last time: 3 × 8 @ 60 kg" in body


def test_superset_groups_cards_under_a_label(client):
    user = UserFactory()
    session = _session(user, exercises=3, sets=0)
    ids = list(session.exercises.values_list("pk", flat=True))
    client.force_login(user)
    response = client.post(
        reverse("training:session-superset", args=[session.pk]), {"session_exercises": ids[:2]}, **HTMX
    )
    assert "Superset A" in response.content.decode()


def test_set_edit_and_delete_fragments(client):
    user = UserFactory()
    _session(user, sets=2)
    first = Set.objects.order_by("number").first()
    client.force_login(user)
    form = client.get(reverse("training:set-edit", args=[first.pk]), **HTMX)
    assert "<html" not in form.content.decode() and "Save set" in form.content.decode()
    client.post(
        reverse("training:set-edit", args=[first.pk]), {"reps": 10, "weight": "60", "is_completed": "on"}, **HTMX
    )
    first.refresh_from_db()
    assert first.reps == 10
    response = client.post(reverse("training:set-delete", args=[first.pk]), **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert list(Set.objects.values_list("number", flat=True)) == [1]


def test_non_image_upload_is_refused(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    session = _session(user)
    client.force_login(user)
    response = client.post(
        reverse("training:session-media", args=[session.pk]), {"file": SimpleUploadedFile("a.jpg", b"nope")}
    )
    assert response.status_code == 400 and "Upload a JPEG" in response.content.decode()
    assert not session.media.exists()


def test_bad_session_details_are_refused(client):
    user = UserFactory()
    session = _session(user)
    client.force_login(user)
    data = {"started_at": "2026-01-01T10:00", "rating": 11, "avg_heart_rate": 300}
    response = client.post(reverse("training:session-fields", args=[session.pk]), data, **HTMX)
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.rating is None


@pytest.mark.parametrize("size", [1, 6])
def test_logger_page_query_count_is_flat(client, size):
    user = UserFactory()
    session = _session(user, exercises=size, sets=size)
    client.force_login(user)
    with assert_max_queries(8):
        response = client.get(reverse("training:session", args=[session.pk]))
    assert response.status_code == 200


def test_an_added_set_is_announced_in_the_persons_units(client):
    """The logger says what was added in the page's lasting live region (HX-Trigger "announce"), with the
    set's number, the exercise and the weight as the row shows them."""
    user = UserFactory(unit_system="imperial")
    session = _session(user, sets=1)
    se = session.exercises.get()
    se.exercise.name = "Back Squat"
    se.exercise.save()
    client.force_login(user)
    response = client.post(
        reverse("training:set-add", args=[se.pk]), {"reps": 5, "weight": "225", "is_completed": "on"}, **HTMX
    )
    assert response.status_code == 201
    events = json.loads(response["HX-Trigger"])
    assert events["announce"] == {"message": "Added set 2 of Back Squat: 5 reps @ 225 lb"}
    assert "restTimerStart" in events
    # A refused set announces nothing.
    response = client.post(reverse("training:set-add", args=[se.pk]), {"reps": 0}, **HTMX)
    assert response.status_code == 400 and "announce" not in response.get("HX-Trigger", "")


def test_adding_a_set_query_count(client):
    user = UserFactory()
    session = _session(user, exercises=3, sets=3)
    se = session.exercises.first()
    client.force_login(user)
    with assert_max_queries(8):
        response = client.post(
            reverse("training:set-add", args=[se.pk]), {"reps": 5, "weight": "50", "is_completed": "on"}, **HTMX
        )
    assert response.status_code == 201


def test_access_matrix_for_every_page(client, personas):
    session = _session(personas.owner)
    se = session.exercises.get()
    s = Set.objects.filter(session_exercise=se).first()
    template = services.template_save_from_session(user=personas.owner, session=session, name="T")
    exercise = ExerciseFactory()
    mine = {"anonymous": 302, "owner": 200, "other_member": 404, "trainer": 404, "staff": 404}
    get_urls = [
        reverse("training:session", args=[session.pk]),
        reverse("training:set-edit", args=[s.pk]),
    ]
    for url in get_urls:
        assert_access(client, personas, lambda c, url=url: c.get(url), mine)
    everyone = {"anonymous": 302, "owner": 200, "other_member": 200, "trainer": 200, "staff": 200}
    assert_access(client, personas, lambda c: c.get(reverse("training:index")), everyone)
    assert_access(client, personas, lambda c: c.get(reverse("training:templates")), everyone)
    posts = [
        (reverse("training:session-fields", args=[session.pk]), {"started_at": "2026-01-01T10:00"}),
        (reverse("training:session-exercise-add", args=[session.pk]), {"exercise": exercise.pk}),
        (reverse("training:set-add", args=[se.pk]), {"reps": 5}),
        (reverse("training:set-edit", args=[s.pk]), {"reps": 6}),
        (reverse("training:exercise-move", args=[se.pk]), {"position": 1}),
        (reverse("training:session-save-template", args=[session.pk]), {"name": "X"}),
        (reverse("training:template-rename", args=[template.pk]), {"name": "Y"}),
        (reverse("training:template-start", args=[template.pk]), {}),
        (reverse("training:session-finish", args=[session.pk]), {}),
    ]
    writes = {"anonymous": 302, "owner": 302, "other_member": 404, "trainer": 404, "staff": 404}
    for url, data in posts:
        assert_access(client, personas, lambda c, url=url, data=data: c.post(url, data), writes)
    for url in (
        reverse("training:set-delete", args=[s.pk]),
        reverse("training:template-delete", args=[template.pk]),
        reverse("training:exercise-remove", args=[se.pk]),
        reverse("training:session-delete", args=[session.pk]),
    ):
        assert_access(client, personas, lambda c, url=url: c.post(url), writes)
    assert client.get(reverse("training:session-finish", args=[session.pk])).status_code in (302, 405)


# --- Mis-taps in the gym (issue 14, point 5) ---------------------------------------------------------


def test_a_deleted_set_comes_back_with_undo_at_its_place(client):
    user = UserFactory()
    session = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="weight-training"))
    se = services.exercise_add(user=user, session=session, exercise=ExerciseFactory())
    for reps in (10, 8, 6):
        services.set_add(user=user, session_exercise=se, reps=reps, weight_kg=Decimal(50))
    client.force_login(user)
    second = Set.objects.get(session_exercise=se, number=2)
    response = client.post(reverse("training:set-delete", args=[second.pk]), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="set-undo"' in page and "Set 2 deleted." in page
    assert list(Set.objects.filter(session_exercise=se).values_list("number", "reps")) == [(1, 10), (2, 6)]
    undo = re.search(r'<form method="post" action="([^"]+restore/)".*?</form>', page, re.S)
    assert undo is not None
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', undo.group(0)))
    response = client.post(undo.group(1), fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert list(Set.objects.filter(session_exercise=se).values_list("number", "reps")) == [(1, 10), (2, 8), (3, 6)]
    se.refresh_from_db()
    assert (se.set_count, se.total_volume_kg) == (3, Decimal(1200))


def test_a_finished_session_reads_as_a_record_until_edit_and_deletion_asks_first(client):
    user = UserFactory()
    session = services.session_start(user=user, activity_type=ActivityType.objects.get(slug="weight-training"))
    services.session_finish(user=user, session=session)
    client.force_login(user)
    url = reverse("training:session", args=[session.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="session-edit"' in page and "Add an exercise" not in page and "Save details" not in page
    page = client.get(url + "?edit=1").content.decode()
    assert "Add an exercise" in page and "Done editing" in page
    # Deleting is a page of its own (GET asks, POST deletes), not a button beside Finish.
    assert "Delete session</button>" not in page
    ask = client.get(reverse("training:session-delete", args=[session.pk]))
    assert ask.status_code == 200 and "Delete this session?" in ask.content.decode()
    session.refresh_from_db()
    assert session.deleted_at is None
    assert client.post(reverse("training:session-delete", args=[session.pk])).status_code == 302
    session.refresh_from_db()
    assert session.deleted_at is not None
