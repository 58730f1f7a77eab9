"""accounts' admin, one module per area (Django imports `accounts.admin`, which imports them all).

`ScopedAdmin` (accounts.admin.base) is the base of every app's admin for personal data.
"""

from __future__ import annotations

from . import audit, body, notifications, privacy, profiles, users  # noqa: F401
from .base import ScopedAdmin

__all__ = ["ScopedAdmin"]
