"""Time zones as people choose them (issue 14, point 12): the common zones first, then every geographic
zone grouped by region, each with its current offset; the non-geographic names of the tz database
(`Factory`, `localtime`, `Etc/GMT+5`, `EST5EDT`, `US/Eastern` and other legacy links) are not offered.
The pages pre-select the browser's zone (static/js/app.js, `data-detect-timezone`) when the person has
not chosen one yet.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

REGIONS = ("Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific")

COMMON = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Africa/Cairo",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
)


def is_geographic(name: str) -> bool:
    return name == "UTC" or name.split("/", 1)[0] in REGIONS and "/" in name


def label(name: str, *, at: dt.datetime | None = None) -> str:
    """ "Europe/Berlin (UTC+01:00)": the place as people write it and its offset now."""
    offset = (at or dt.datetime.now(dt.UTC)).astimezone(zoneinfo.ZoneInfo(name)).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{name.replace('_', ' ')} (UTC{sign}{hours:02d}:{rest:02d})"


@lru_cache(maxsize=4)
def _choices(day: dt.date) -> tuple:
    at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    available = zoneinfo.available_timezones()
    common = [(name, label(name, at=at)) for name in COMMON if name in available]
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS}
    for name in sorted(available):
        if is_geographic(name) and name != "UTC":
            groups[name.split("/", 1)[0]].append((name, label(name, at=at)))
    return (("Common", tuple(common)), *((region, tuple(zones)) for region, zones in groups.items() if zones))


def timezone_choices(current: str | None = None) -> list:
    """Grouped choices for a ChoiceField; `current` (a person's legacy zone such as "US/Eastern") is kept
    at the top so their form still validates."""
    choices: list = [(group, list(zones)) for group, zones in _choices(dt.datetime.now(dt.UTC).date())]
    offered = {name for _, zones in choices for name, _ in zones}
    if current and current not in offered and current in zoneinfo.available_timezones():
        choices.insert(0, ("Your current zone", [(current, current.replace("_", " "))]))
    return choices


__all__ = ["COMMON", "REGIONS", "is_geographic", "label", "timezone_choices"]
