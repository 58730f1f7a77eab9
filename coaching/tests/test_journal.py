"""Journal services and selectors: one entry per day, tags normalised, no future, soft delete, and the
tag and text search."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import User
from accounts.tests.factories import UserFactory
from coaching.models import JournalEntry
from coaching.selectors import journal as selectors
from coaching.services import journal as services
from coaching.tests.factories import JournalEntryFactory
from fitjourney.errors import NotFound
from fitjourney.hooks.changes import days_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    calls = []

    def listener(sender, *, user_id, dates, **kwargs):
        calls.append((sender, user_id, set(dates)))

    days_changed.connect(listener, dispatch_uid="test-journal-announced")
    yield calls
    days_changed.disconnect(dispatch_uid="test-journal-announced")


@pytest.fixture
def user():
    return UserFactory()


def _day(user, back=0):
    return user.local_today() - dt.timedelta(days=back)


def test_saving_a_day_twice_updates_its_one_entry(user, announced):
    day = _day(user)
    first = services.journal_entry_save(user=user, entry_date=day, title="Legs", content="Squats.", energy_level=7)
    assert first.was_created
    second = services.journal_entry_save(user=user, entry_date=day, content="Squats and lunges.", mood="good")
    assert not second.was_created and second.pk == first.pk
    entry = JournalEntry.objects.get(user=user)
    assert (entry.title, entry.content, entry.mood, entry.energy_level) == ("Legs", "Squats and lunges.", "good", 7)
    assert announced[-1] == ("coaching.journal", user.pk, {day})


def test_tags_are_normalised(user):
    entry = services.journal_entry_save(
        user=user, entry_date=_day(user), mood="good", tags=["Training", " legs ", "#training", "", "Deep   Sleep"]
    )
    assert entry.tags == ["training", "legs", "deep sleep"]
    entry = services.journal_entry_save(user=user, entry_date=_day(user), tags="Work, work ,  FAMILY")
    assert entry.tags == ["work", "family"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mood": "good", "tags": [f"t{n}" for n in range(21)]}, "tags"),
        ({"mood": "good", "tags": ["x" * 41]}, "tags"),
        ({"mood": "good", "tags": [3]}, "tags"),
        ({"mood": "ecstatic"}, "mood"),
        ({"mood": "good", "energy_level": 11}, "energy_level"),
        ({"mood": "good", "stress_level": 0}, "stress_level"),
        ({"mood": "good", "stress_level": "a lot"}, "stress_level"),
        ({"title": "", "content": "  ", "mood": ""}, "content"),
        ({"title": "x" * 201}, "title"),
        ({"mood": "good", "ai_summary": "hi"}, "ai_summary"),
    ],
)
def test_bad_entries_are_refused_and_save_nothing(user, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_save(user=user, entry_date=_day(user), **fields)
    assert field in exc.value.message_dict
    assert not JournalEntry.all_objects.exists()


def test_twenty_tags_of_forty_characters_are_fine(user):
    tags = [f"{n:02d}" + "x" * 38 for n in range(20)]
    assert services.journal_entry_save(user=user, entry_date=_day(user), mood="good", tags=tags).tags == tags


def test_no_entry_for_a_day_that_has_not_come_in_the_persons_time_zone():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(timezone="Pacific/Kiritimati")
    user.refresh_from_db()
    today = user.local_today()
    services.journal_entry_save(user=user, entry_date=today, title="Already tomorrow elsewhere")
    with pytest.raises(ValidationError) as exc:
        services.journal_entry_save(user=user, entry_date=today + dt.timedelta(days=1), title="Too soon")
    assert "entry_date" in exc.value.message_dict
    assert JournalEntry.objects.count() == 1


def test_delete_is_soft_and_frees_the_day(user, announced):
    day = _day(user, 1)
    entry = services.journal_entry_save(user=user, entry_date=day, title="First")
    services.journal_entry_delete(user=user, entry=entry)
    assert not JournalEntry.objects.exists() and JournalEntry.all_objects.get().deleted_at is not None
    assert announced[-1] == ("coaching.journal", user.pk, {day})
    again = services.journal_entry_save(user=user, entry_date=day, title="Second")
    assert again.was_created and again.pk != entry.pk
    with pytest.raises(NotFound):
        services.journal_entry_delete(user=UserFactory(), entry=again)


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_day_make_one_entry(reference_data):
    user = UserFactory()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def save(n):
        try:
            barrier.wait()
            services.journal_entry_save(user=user, entry_date=user.local_today(), title=f"Take {n}")
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert JournalEntry.objects.filter(user=user).count() == 1


# ---------------------------------------------------------------------------------------------------
# Search


@pytest.fixture
def diary(user):
    make = JournalEntryFactory
    return {
        "legs": make(user=user, entry_date=_day(user, 1), title="Leg day", content="Heavy squats, felt strong.",
                     tags=["training", "legs"]),
        "sleep": make(user=user, entry_date=_day(user, 2), title="Tired", content="Slept badly, meditation helped.",
                      tags=["sleep"]),
        "run": make(user=user, entry_date=_day(user, 3), title="Morning run", content="Running by the river.",
                    tags=["training", "cardio"]),
        "other": make(entry_date=_day(user, 1), title="Leg day too", content="Squats", tags=["training"]),
    }  # fmt: skip


def _titles(entries):
    return [e.title for e in entries]


def test_entries_are_newest_first_and_only_the_persons(user, diary):
    assert _titles(selectors.journal_search(user=user)) == ["Leg day", "Tired", "Morning run"]


def test_filter_by_tag(user, diary):
    assert _titles(selectors.journal_search(user=user, tag="training")) == ["Leg day", "Morning run"]
    assert _titles(selectors.journal_search(user=user, tag="Sleep ")) == ["Tired"]
    assert _titles(selectors.journal_search(user=user, tag="nothing")) == []


def test_full_text_search_with_stemming_and_web_syntax(user, diary):
    assert _titles(selectors.journal_search(user=user, q="squat")) == ["Leg day"]  # "squats" stems to "squat"
    assert _titles(selectors.journal_search(user=user, q="run")) == ["Morning run"]  # "running", "run"
    assert _titles(selectors.journal_search(user=user, q="squats or meditation")) == ["Leg day", "Tired"]
    assert _titles(selectors.journal_search(user=user, q='"slept badly"')) == ["Tired"]


def test_partial_words_match(user, diary):
    assert _titles(selectors.journal_search(user=user, q="medit")) == ["Tired"]
    assert _titles(selectors.journal_search(user=user, q="runni")) == ["Morning run"]
    assert _titles(selectors.journal_search(user=user, q="riv")) == ["Morning run"]


def test_search_combines_with_tag_and_dates(user, diary):
    assert _titles(selectors.journal_search(user=user, q="squats", tag="sleep")) == []
    assert _titles(selectors.journal_search(user=user, tag="training", date_to=_day(user, 2))) == ["Morning run"]
    assert _titles(selectors.journal_search(user=user, date_from=_day(user, 2))) == ["Leg day", "Tired"]


def test_odd_queries_never_fail(user, diary):
    for q in ("&|!:*()", "'", "\\", "a" * 500, "or", "-", '"'):
        list(selectors.journal_search(user=user, q=q))


def test_the_tag_cloud(user, diary):
    JournalEntryFactory(
        user=user, entry_date=_day(user, 9), tags=["sleep"], deleted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert selectors.journal_tags_for_user(user=user) == [("training", 2), ("cardio", 1), ("legs", 1), ("sleep", 1)]
