"""fitjourney.db: a transaction that loses a real deadlock runs again and succeeds; outages and bad data are
not retried (issue 10, item 15)."""

from __future__ import annotations

import threading

import pytest
from django.db import DataError, IntegrityError, OperationalError, connection, transaction

from accounts.models import User
from accounts.tests.factories import UserFactory
from fitjourney.db import is_conflict, is_outage, retry_on_conflict


@pytest.mark.django_db(transaction=True)
def test_a_deadlock_victim_runs_again_and_both_writes_land():
    first, second = UserFactory(), UserFactory()
    barrier = threading.Barrier(2)
    attempts: list[str] = []
    errors: list[BaseException] = []

    def lock_both(name: str, one: User, other: User) -> None:
        @retry_on_conflict
        @transaction.atomic
        def write() -> None:
            attempts.append(name)
            User.objects.select_for_update().filter(pk=one.pk).update(first_name=name)
            if attempts.count(name) == 1:
                barrier.wait(timeout=10)  # both hold their first row: the second lock deadlocks
            User.objects.select_for_update().filter(pk=other.pk).update(last_name=name)

        try:
            write()
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=lock_both, args=("a", first, second)),
        threading.Thread(target=lock_both, args=("b", second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(attempts) == 3  # PostgreSQL chose one victim, which ran again
    victim = "a" if attempts.count("a") == 2 else "b"
    first.refresh_from_db()
    second.refresh_from_db()
    # The victim's transaction ran last, whole.
    assert victim in {first.first_name, second.first_name}
    assert {first.last_name, second.last_name} <= {"a", "b"}


@pytest.mark.django_db
def test_inside_another_transaction_it_cannot_start_over():
    calls = []

    @retry_on_conflict
    def write():
        calls.append(1)
        error = OperationalError("deadlock detected")
        error.__cause__ = type("Cause", (Exception,), {"sqlstate": "40P01"})()
        raise error

    with pytest.raises(OperationalError), transaction.atomic():
        write()
    assert calls == [1]


def _error(kind, sqlstate):
    error = kind("boom")
    error.__cause__ = type("Cause", (Exception,), {"sqlstate": sqlstate})()
    return error


def test_conflicts_and_outages_are_told_apart():
    assert is_conflict(_error(OperationalError, "40P01")) and is_conflict(_error(OperationalError, "40001"))
    assert not is_outage(_error(OperationalError, "40P01"))
    assert is_outage(_error(OperationalError, None))  # "connection refused" has no SQLSTATE
    assert is_outage(_error(OperationalError, "57P01"))  # admin shutdown
    assert is_outage(_error(OperationalError, "08006"))
    assert not is_outage(_error(DataError, "22008")) and not is_conflict(_error(IntegrityError, "23505"))
