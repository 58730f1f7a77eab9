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
    found = set()
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


def test_the_project_package_runtime_code_imports_no_app_except_through_urls():
    # fitjourney/ holds settings and shared plumbing; only urls.py wires the apps in
    # (the test kit under fitjourney/testing/ may use app factories).
    offenders = []
    for path in sorted((ROOT / "fitjourney").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[1] in {"urls.py", "testing"} or rel.parts[1] == "settings":
            continue
        if _imported_apps(path):
            offenders.append(f"{rel} imports {sorted(_imported_apps(path))}")
    assert not offenders, "\n".join(offenders)
