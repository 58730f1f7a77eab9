from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _report(ctx: CaptureQueriesContext) -> str:
    return "\n".join(f"  {i}. {q['sql']}" for i, q in enumerate(ctx.captured_queries, 1))


@contextmanager
def assert_max_queries(limit: int) -> Iterator[CaptureQueriesContext]:
    """Fails when the block runs more than `limit` queries, listing them all."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    assert len(ctx) <= limit, f"{len(ctx)} queries, at most {limit} allowed:\n{_report(ctx)}"


@contextmanager
def assert_num_queries(count: int) -> Iterator[CaptureQueriesContext]:
    """Exactly `count` queries; use `assert_num_queries(0)` to prove nothing loads lazily afterwards."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    assert len(ctx) == count, f"{len(ctx)} queries, expected {count}:\n{_report(ctx)}"
