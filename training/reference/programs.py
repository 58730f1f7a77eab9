"""Official programs, written by us as one JSON file per program in training/data/programs/ (the file is
named by the program's slug). Days name their activity type by slug and exercises by their library id
(free-exercise-db's `id`, the exercise's `external_id`). Loaded after the exercise library; a file that
names a missing exercise, or whose weeks are not whole, stops the load with a message naming it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from fitjourney.hooks import reference

from ..services.official_programs import OfficialProgramError, official_program_sync

OFFICIAL_PROGRAMS_DIR = Path(__file__).resolve().parent.parent / "data" / "programs"


def official_program_files(directory: Path | None = None) -> list[Path]:
    return sorted(Path(directory or OFFICIAL_PROGRAMS_DIR).glob("*.json"))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OfficialProgramError(f"{path.name}: not a readable JSON file ({exc}).") from exc
    if not isinstance(data, dict):
        raise OfficialProgramError(f"{path.name}: a program file holds one JSON object.")
    if data.get("slug") != path.stem:
        raise OfficialProgramError(f"{path.name}: its slug must be its file name ({path.stem!r}).")
    return data


def official_programs_load(progress: reference.Progress | None = None, *, directory: Path | None = None) -> str:
    files = official_program_files(directory)
    outcomes: Counter[str] = Counter()
    notes: list[str] = []
    for done, path in enumerate(files, 1):
        result = official_program_sync(data=_read(path))
        outcomes[result.outcome] += 1
        notes.extend(f"{result.slug}: {note}" for note in result.notes)
        if progress:
            progress(done, len(files), "Official programs")
    counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    summary = f"Official programs: {len(files)} ({counts or 'none'})"
    return summary + (f"; {'; '.join(notes)}" if notes else "")
