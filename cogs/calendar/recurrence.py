"""Recurrence as members say it ("every Monday", "il primo del mese"), kept as RFC 5545
rules and unrolled by dateutil in the community's local time, so DST never moves a post."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from bot.core.errors import UserFacingError

_DAYS = {
    "MO": ("monday", "mondays", "mon", "lunedi", "lunedì", "lun"),
    "TU": ("tuesday", "tuesdays", "tue", "martedi", "martedì", "mar"),
    "WE": ("wednesday", "wednesdays", "wed", "mercoledi", "mercoledì", "mer"),
    "TH": ("thursday", "thursdays", "thu", "giovedi", "giovedì", "gio"),
    "FR": ("friday", "fridays", "fri", "venerdi", "venerdì", "ven"),
    "SA": ("saturday", "saturdays", "sat", "sabato", "sab"),
    "SU": ("sunday", "sundays", "sun", "domenica", "dom"),
}
_DAY_OF = {word: code for code, words in _DAYS.items() for word in words}
_SIMPLE = {
    "FREQ=DAILY": (
        "daily",
        "every day",
        "ogni giorno",
        "giornaliero",
        "quotidiano",
        "tutti i giorni",
    ),
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": (
        "weekdays",
        "every weekday",
        "feriali",
        "giorni feriali",
        "nei giorni feriali",
        "dal lunedì al venerdì",
        "dal lunedi al venerdi",
    ),
    "FREQ=WEEKLY": ("weekly", "every week", "settimanale", "ogni settimana"),
    "FREQ=MONTHLY": ("monthly", "every month", "mensile", "ogni mese"),
    "FREQ=YEARLY": ("yearly", "every year", "annuale", "ogni anno"),
    "FREQ=MONTHLY;BYMONTHDAY=1": (
        "first day of the month",
        "the first day of the month",
        "the first of the month",
        "first of the month",
        "il primo del mese",
        "primo del mese",
        "primo giorno del mese",
        "il primo giorno del mese",
    ),
    "FREQ=MONTHLY;BYMONTHDAY=-1": (
        "last day of the month",
        "the last day of the month",
        "l'ultimo del mese",
        "ultimo del mese",
        "ultimo giorno del mese",
        "l'ultimo giorno del mese",
    ),
}
_PHRASE = {phrase: rule for rule, phrases in _SIMPLE.items() for phrase in phrases}
_EVERY = re.compile(r"^(?:every|ogni|tutti i|tutte le|on)\s+(.+)$")
_NTH = re.compile(
    r"^(?:the\s+|il\s+|l')?(first|second|third|fourth|last|primo|secondo|terzo|quarto|ultimo)"
    r"\s+(\w+)\s+(?:of the month|of every month|del mese|di ogni mese)$"
)
_ORDINAL = {
    "first": 1, "primo": 1, "second": 2, "secondo": 2, "third": 3, "terzo": 3,
    "fourth": 4, "quarto": 4, "last": -1, "ultimo": -1,
}  # fmt: skip
MAX_RULE = 300


def parse_repeat(text: str) -> str:
    """The RFC 5545 rule for what a member typed; a clear error for anything else."""
    typed = " ".join(text.strip().lower().split())
    if typed.upper().startswith("RRULE:") or typed.upper().startswith("FREQ="):
        return _raw_rule(text.strip())
    if typed in _PHRASE:
        return _PHRASE[typed]
    if match := _NTH.match(typed):
        day = _DAY_OF.get(match[2])
        if day is not None:
            return f"FREQ=MONTHLY;BYDAY={_ORDINAL[match[1]]:+d}{day}"
    if match := _EVERY.match(typed):
        days = [_DAY_OF.get(word) for word in re.split(r"\s*(?:,|\band\b|\be\b)\s*", match[1])]
        if days and all(days):
            return "FREQ=WEEKLY;BYDAY=" + ",".join(dict.fromkeys(day for day in days if day))
    raise UserFacingError("calendar.bad_repeat", value=text[:80])


def _raw_rule(text: str) -> str:
    rule = text.split(":", 1)[1] if text.upper().startswith("RRULE:") else text
    rule = rule.strip().upper()
    if len(rule) > MAX_RULE or "DTSTART" in rule:
        raise UserFacingError("calendar.bad_repeat", value=text[:80])
    try:
        parsed = rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError):
        raise UserFacingError("calendar.bad_repeat", value=text[:80]) from None
    if not isinstance(parsed, rrule):
        raise UserFacingError("calendar.bad_repeat", value=text[:80])
    # More often than hourly is a flood, not an editorial calendar.
    if re.search(r"FREQ=(MINUTELY|SECONDLY)", rule):
        raise UserFacingError("calendar.too_often")
    return rule


def occurrences_after(
    rule: str, local_start: datetime, timezone: str, after: datetime, *, inclusive: bool = False
) -> datetime | None:
    """The first occurrence strictly after the UTC instant `after` (or at it), in UTC.

    The rule is unrolled on the naive local calendar, then each local time is placed in the
    zone: a 10:00 weekly post stays at 10:00 across a DST change. A local time the clocks skip
    moves on by the gap (02:30 becomes 03:30), a repeated one takes its first occurrence.
    """
    zone = ZoneInfo(timezone)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    unrolled = rrulestr(rule, dtstart=local_start)
    # A local hour repeated at the autumn change can make the naive calendar lag its instant.
    candidate = unrolled.after(local_after - timedelta(hours=2), inc=True)
    while candidate is not None:
        instant = candidate.replace(tzinfo=zone).astimezone(UTC)
        if instant > after or (inclusive and instant == after):
            return instant
        candidate = unrolled.after(candidate, inc=False)
    return None
