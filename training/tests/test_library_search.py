from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import AccountStatus, User
from accounts.tests.factories import UserFactory
from training.models import ActivityType, Visibility
from training.selectors.library import exercise_facets, exercises_search, exercises_visible
from training.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def _names(user, **kwargs) -> list[str]:
    return [e.name for e in exercises_search(user=user, **kwargs)]


@pytest.mark.parametrize(
    ("q", "expected_first"),
    [
        ("benchpres", "Bench Press"),  # missing space and letter
        ("squatt", "Squats"),  # extra letter
        ("dedlift", "Deadlift"),  # missing letter
        ("bench press", "Bench Press"),  # the exact name first
        ("Bench pre", "Bench Press"),  # still typing, any case
        ("pushup", "Pushups"),
    ],
)
def test_search_tolerates_typos_and_ranks_the_best_match_first(member, q, expected_first):
    assert _names(member, q=q)[0] == expected_first


def test_search_as_you_type_matches_word_prefixes(member):
    names = _names(member, q="benc", limit=50)
    assert "Bench Press" in names and "Barbell Bench Press - Medium Grip" in names
    assert all("bench" in n.lower() or "bent" in n.lower() for n in names[:10])


def test_search_finds_words_inside_longer_names(member):
    assert "Romanian Deadlift" in _names(member, q="deadlift", limit=50)


def test_nonsense_finds_nothing_and_punctuation_is_harmless(member):
    assert _names(member, q="zzqxv") == []
    assert isinstance(_names(member, q="'&|!:*()"), list)


def test_filters_narrow_the_results(member):
    results = list(exercises_search(user=member, muscle="chest", equipment="dumbbell", level="beginner", limit=None))
    assert results
    assert all("chest" in e.primary_muscles and e.equipment == "dumbbell" and e.level == "beginner" for e in results)
    stretching = list(exercises_search(user=member, category="stretching", limit=None))
    assert len(stretching) == 123
    cycling = ActivityType.objects.get(slug="cycling")
    assert set(_names(member, activity_type=cycling.id, limit=None)) == {
        "Cycling", "Bicycling", "Bicycling, Stationary", "Recumbent Bike"}  # fmt: skip
    assert _names(member, q="press", category="stretching") == []


def test_limit_none_returns_everything_visible(member):
    assert exercises_search(user=member, limit=None).count() == exercises_visible(user=member).count() >= 884


def test_another_persons_private_exercise_never_appears(member):
    stranger = UserFactory()
    ExerciseFactory(owner=stranger, name="Secret Zottman Press", visibility=Visibility.PRIVATE)
    mine = ExerciseFactory(owner=member, name="My Zottman Press", visibility=Visibility.PRIVATE)
    assert _names(member, q="zottman press")[0] == "My Zottman Press"
    assert "Secret Zottman Press" not in _names(member, q="zottman press", limit=None)
    assert _names(stranger, q="zottman press")[0] == "Secret Zottman Press"
    assert mine.name not in _names(stranger, q="zottman press", limit=None)
    assert not exercises_visible(user=member).filter(owner=stranger).exists()


def test_shared_exercises_appear_to_everyone_until_their_owner_deletes_the_account(member):
    sharer = UserFactory()
    ExerciseFactory(owner=sharer, name="Community Landmine Twist", visibility=Visibility.PUBLIC)
    assert _names(member, q="landmine twist")[0] == "Community Landmine Twist"
    User.all_objects.filter(pk=sharer.pk).update(deleted_at=timezone.now(), account_status=AccountStatus.DELETED)
    assert "Community Landmine Twist" not in _names(member, q="landmine twist")


def test_soft_deleted_exercises_are_hidden(member):
    ExerciseFactory(owner=member, name="Gone Curl", deleted_at=timezone.now())
    assert "Gone Curl" not in _names(member, q="gone curl")


def test_facets_list_what_the_person_can_filter_by(member):
    ExerciseFactory(owner=UserFactory(), equipment="secret sled", visibility=Visibility.PRIVATE)
    facets = exercise_facets(user=member)
    assert "chest" in facets.muscles and "quadriceps" in facets.muscles
    assert "barbell" in facets.equipment and "secret sled" not in facets.equipment
    assert "stretching" in facets.categories
    assert "Weight Training" in [t.name for t in facets.activity_types]
    assert "Painting" not in [t.name for t in facets.activity_types]  # no exercises of that type
