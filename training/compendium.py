"""MET values of the 2024 Adult Compendium of Physical Activities (Herrmann SD, Willis EA, Ainsworth BE
et al., J Sport Health Sci 2024;13(1):6-12), for the activities whose intensity the Compendium tells apart.

The values are the rows of training/data/compendium-2024/mets.csv (a copy of the shared data set, so the app
reads nothing outside itself at run time; its README says where each column comes from). A session keeps
the code and the MET chosen here (`Session.met_code`, `Session.met`), so a page can cite them.

How a MET is chosen:
- running, walking, cycling: by the session's average speed (distance ÷ time). The row whose speed range
  holds it; between two rows the nearest one (no interpolation: every MET shown is a Compendium value
  with its code); beyond the table its first or last row. Without a distance: the row the Compendium
  keeps for an unknown pace or speed (12150, 17255, 01014).
- swimming (the app records no stroke, so front crawl is assumed): by the pace in metres a minute when
  there is a distance, 18290 (crawl, moderate, about 45 m/min) or 18280 (crawl, fast, about 70 m/min),
  whichever is nearer; else by the perceived effort (RPE 1-10): up to 4 freestyle easy (18240), 5-7
  moderate (18290), 8 and above fast (18280); else the type's own MET.
- any other type: the type's own MET (without a code).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "compendium-2024" / "mets.csv"

# Speeds of the Compendium's swimming rows, in metres a minute (their notes).
SWIM_MODERATE_M_MIN = Decimal(45)
SWIM_FAST_M_MIN = Decimal(70)
# Which rows serve a type, by the official types' slugs (training/reference/library.py).
SPEED_ACTIVITIES = {
    "running": ("jogging", "running"),
    "walking": ("walking",),
    "cycling": ("cycling",),
}
# The types whose MET the Compendium tells apart by speed or effort.
PACED_TYPES = frozenset({*SPEED_ACTIVITIES, "swimming"})
UNKNOWN_SPEED_CODE = {"running": "12150", "walking": "17255", "cycling": "01014"}
SWIM_EASY, SWIM_MODERATE, SWIM_FAST = "18240", "18290", "18280"


@dataclass(frozen=True)
class Row:
    code: str
    met: Decimal
    activity: str
    speed_min_kmh: Decimal | None
    speed_max_kmh: Decimal | None
    note: str

    def distance_to(self, kmh: Decimal) -> Decimal:
        """How far `kmh` lies outside this row's speed range (0 inside it)."""
        low = self.speed_min_kmh if self.speed_min_kmh is not None else Decimal(0)
        if kmh < low:
            return low - kmh
        if self.speed_max_kmh is not None and kmh > self.speed_max_kmh:
            return kmh - self.speed_max_kmh
        return Decimal(0)


@dataclass(frozen=True)
class Choice:
    """The MET a session is counted with; `code` is empty when it is the type's own value."""

    met: Decimal
    code: str = ""


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


@cache
def rows() -> dict[str, Row]:
    """Every row of the data set by code (read once per process)."""
    with DATA.open(newline="", encoding="utf-8") as handle:
        return {
            line["code"]: Row(
                code=line["code"],
                met=Decimal(line["met"]),
                activity=line["activity"],
                speed_min_kmh=_decimal(line["speed_min_kmh"]),
                speed_max_kmh=_decimal(line["speed_max_kmh"]),
                note=line["note"],
            )
            for line in csv.DictReader(handle)
        }


def row(code: str) -> Row | None:
    return rows().get(code)


def _by_speed(slug: str, kmh: Decimal) -> Row:
    """The row whose speed range holds `kmh`, else the nearest (the slower one on a tie)."""
    candidates = [r for r in rows().values() if r.activity in SPEED_ACTIVITIES[slug] and r.speed_min_kmh is not None]
    return min(candidates, key=lambda r: (r.distance_to(kmh), r.speed_min_kmh))


def _swimming(*, metres: Decimal | None, seconds: int | None, effort: int | None) -> Row | None:
    if metres and seconds:
        per_minute = metres * 60 / Decimal(seconds)
        nearer_fast = abs(per_minute - SWIM_FAST_M_MIN) < abs(per_minute - SWIM_MODERATE_M_MIN)
        return rows()[SWIM_FAST if nearer_fast else SWIM_MODERATE]
    if effort:
        return rows()[SWIM_EASY if effort <= 4 else SWIM_MODERATE if effort <= 7 else SWIM_FAST]
    return None


def speed_kmh(*, metres: Decimal | None, seconds: int | None) -> Decimal | None:
    """The average speed of `metres` in `seconds`, or None without both."""
    if not metres or not seconds or metres <= 0 or seconds <= 0:
        return None
    return Decimal(metres) * Decimal("3.6") / Decimal(seconds)


def met_choose(
    *,
    type_slug: str,
    type_met: Decimal | None,
    metres: Decimal | None = None,
    seconds: int | None = None,
    effort: int | None = None,
) -> Choice | None:
    """The MET of an activity of type `type_slug` (an official type's slug) covering `metres` in
    `seconds` with a perceived effort of `effort` (1-10); None when neither the Compendium nor the type
    has one."""
    found: Row | None = None
    if type_slug in SPEED_ACTIVITIES:
        kmh = speed_kmh(metres=metres, seconds=seconds)
        found = _by_speed(type_slug, kmh) if kmh is not None else rows()[UNKNOWN_SPEED_CODE[type_slug]]
    elif type_slug == "swimming":
        found = _swimming(metres=metres, seconds=seconds, effort=effort)
    if found is not None:
        return Choice(met=found.met, code=found.code)
    if type_met:
        return Choice(met=Decimal(type_met))
    return None


__all__ = ["PACED_TYPES", "Choice", "Row", "met_choose", "row", "rows", "speed_kmh"]
