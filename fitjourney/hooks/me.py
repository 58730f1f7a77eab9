"""Sections other apps add to the person's `/api/v1/me/` (accounts never imports them).

An app registers, from its AppConfig.ready(), a provider — `provider(user) -> dict` — and the serializer
class that describes the dict (for the API schema): `register_me_section("intake", intake_me, IntakeMe)`.
Providers run on every /me request, so each should cost at most one query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class MeSection:
    name: str
    provider: Provider
    serializer_class: type


_sections: dict[str, MeSection] = {}


def register_me_section(name: str, provider: Provider, serializer_class: type) -> None:
    """Adds `name` to /me: `serializer_class(provider(user)).data`. Registering a name again replaces it."""
    _sections[name] = MeSection(name=name, provider=provider, serializer_class=serializer_class)


def me_sections() -> list[MeSection]:
    return sorted(_sections.values(), key=lambda section: section.name)


__all__ = ["MeSection", "me_sections", "register_me_section"]
