"""Admin for habits (issue 6: being built)."""

from __future__ import annotations
