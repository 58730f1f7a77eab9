"""Imports point down: accounts <- training, nutrition <- coaching <- social. Nothing imports upward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "training", "nutrition", "coaching", "social")
ALLOWED = {
    "accounts": set(),
    "training": {"accounts"},
    "nutrition": {"accounts"},
    "coaching": {"accounts", "training", "nutrition"},
    "social": {"accounts", "training", "nutrition", "coaching"},
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in APPS)
    return found


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    offenders = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "tests" in path.relative_to(ROOT / app).parts or "migrations" in path.parts:
            continue
        upward = _imported_apps(path) - ALLOWED[app] - {app}
        if upward:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(upward)}")
    assert not offenders, "\n".join(offenders)


def test_the_project_package_imports_no_app():
    # fitjourney/ holds settings, the platform hooks the apps talk upward through, shared plumbing and the
    # test kit: none of it imports an app (URLs are included by their dotted names).
    offenders = []
    for path in sorted((ROOT / "fitjourney").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if _imported_apps(path):
            offenders.append(f"{rel} imports {sorted(_imported_apps(path))}")
    assert not offenders, "\n".join(offenders)


def test_accounts_holds_no_platform_registry():
    """The registries every app uses live in fitjourney.hooks; accounts keeps only its own registrations,
    under the names every app uses (reference.py, personal_data.py, media.py)."""
    for name in ("me", "roles", "scoping", "changes"):
        assert not (ROOT / "accounts" / f"{name}.py").exists(), f"accounts/{name}.py belongs in fitjourney/hooks/"
    for twin in ("reference_accounts", "personal_data_accounts"):
        assert not (ROOT / "accounts" / f"{twin}.py").exists()
