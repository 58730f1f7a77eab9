"""Tasks for summaries (issue 6: being built)."""

from __future__ import annotations
