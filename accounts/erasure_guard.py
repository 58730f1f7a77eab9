"""Audit rows and profile versions are protected by database triggers (migration 0004).

Only erasure may touch them: inside `erasure_writes()` the triggers let audit rows be redacted and
profile versions be redacted or deleted. The flag is transaction-local (SET LOCAL), so it can never
leak to another request on the same connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def erasure_writes() -> Iterator[None]:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL fitjourney.erasure = 'on'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL fitjourney.erasure = 'off'")
