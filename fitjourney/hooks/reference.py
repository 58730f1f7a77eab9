"""Reference data every site needs (units, body metric types, activity types, exercises, foods…).

Each app registers an idempotent loader from its AppConfig.ready(); `load_reference_data` runs them in
order (accounts never imports the apps above it). Loaders take `progress`, a callable
`progress(done, total, label)` used to draw a progress bar, and return a short summary line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Loader:
    name: str
    order: int
    load: Callable[..., str]


_loaders: dict[str, Loader] = {}


def register_loader(name: str, load: Callable[..., str], *, order: int = 100) -> None:
    _loaders[name] = Loader(name=name, order=order, load=load)


def loaders() -> list[Loader]:
    return sorted(_loaders.values(), key=lambda loader: (loader.order, loader.name))


def load_all(progress: Progress | None = None) -> list[str]:
    return [loader.load(progress=progress) for loader in loaders()]


# Demo data (`load_reference_data --demo`, development sites only): each app may register a loader that
# receives the demo accounts by label ("member", "trainer", "staff", "admin") and returns a summary line.
_demo_loaders: dict[str, Loader] = {}


def register_demo_loader(name: str, load: Callable[..., str], *, order: int = 100) -> None:
    _demo_loaders[name] = Loader(name=name, order=order, load=load)


def load_demo(accounts: dict[str, object]) -> list[str]:
    ordered = sorted(_demo_loaders.values(), key=lambda loader: (loader.order, loader.name))
    return [loader.load(accounts=accounts) for loader in ordered]
