"""Durations as members type them: `90m`, `1h30m`, `2d`, `1w`, Italian `2g` and `1 ora` too."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS: dict[str, int] = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "secondo": 1,
    "secondi": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "minuto": 60,
    "minuti": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
    "ora": 3600,
    "ore": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "g": 86400,
    "giorno": 86400,
    "giorni": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    "sett": 604800,
    "settimana": 604800,
    "settimane": 604800,
}
_PART = re.compile(r"(\d{1,7})\s*([a-z]+)")
# A year is far beyond any deadline a community bot keeps; larger values are typos.
MAX_DURATION = timedelta(days=366)


class DurationError(ValueError):
    """The text is not a duration this parser understands."""


def parse_duration(text: str) -> timedelta:
    cleaned = text.strip().lower().replace(",", " ")
    if not cleaned:
        raise DurationError(text)
    position = 0
    seconds = 0
    for match in _PART.finditer(cleaned):
        if cleaned[position : match.start()].strip():
            raise DurationError(text)
        unit = _UNITS.get(match.group(2))
        if unit is None:
            raise DurationError(text)
        seconds += int(match.group(1)) * unit
        position = match.end()
    if position == 0 or cleaned[position:].strip():
        raise DurationError(text)
    duration = timedelta(seconds=seconds)
    if duration <= timedelta(0) or duration > MAX_DURATION:
        raise DurationError(text)
    return duration


def format_duration_compact(duration: timedelta) -> str:
    """The inverse of `parse_duration`, in its shortest form (`1h30m`)."""
    remaining = int(duration.total_seconds())
    parts: list[str] = []
    for suffix, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts) or "0s"
