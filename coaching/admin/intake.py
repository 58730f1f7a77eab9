"""Admin for intake (issue 6: being built)."""

from __future__ import annotations
