"""The reference data as the test session loaded it, copied back into a flushed database in a second.

Transactional tests (browser journeys, the real worker) flush every table when they end, so each one that
needs the reference data used to import it again through the ORM: 15 s a test (8,789 foods and their
15,438 portions), about six minutes of `make test`. `take()` copies the tables the loaders filled once per
session with PostgreSQL's binary COPY; `restore()` copies them back when the database is empty (the case
after a flush), in one transaction so the deferred foreign keys are checked at its end, and moves each
identity sequence past the restored ids. Otherwise (rows are there already) the caller loads as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction


@dataclass
class Snapshot:
    tables: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.tables]


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def take() -> Snapshot:
    """Every non-empty table of the project, in binary COPY format."""
    snapshot = Snapshot()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_quoted(table)})")
            if not cursor.fetchone()[0]:
                continue
            with cursor.copy(f"COPY {_quoted(table)} TO STDOUT (FORMAT binary)") as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            snapshot.tables.append((table, data))
    return snapshot


def restore(snapshot: Snapshot) -> bool:
    """Copies the snapshot back if none of its tables has a row; returns whether it did."""
    if not snapshot.tables:
        return False
    with connection.cursor() as cursor:
        exists = " OR ".join(f"EXISTS (SELECT 1 FROM {_quoted(name)})" for name in snapshot.names)
        cursor.execute(f"SELECT {exists}")
        if cursor.fetchone()[0]:
            return False
        with transaction.atomic():
            for table, data in snapshot.tables:
                with cursor.copy(f"COPY {_quoted(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
            cursor.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = ANY(%s)"
                " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')",
                [snapshot.names],
            )
            for table, column in cursor.fetchall():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({_quoted(column)}), 0) + 1, false)"
                    f" FROM {_quoted(table)}",
                    [_quoted(table), column],
                )
    return True
