"""A local date and time as members type it, read in their community's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import ParseError, parse_date

from bot.core.errors import UserFacingError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOCAL = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def local_date(text: str, language: str) -> date:
    """`2026-12-05`, or `05/12/2026` read the way the language writes dates."""
    iso = _ISO.match(text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            raise UserFacingError("errors.impossible_moment", value=text) from None
    if _LOCAL.match(text):
        # The locale knows whether the day or the month comes first (05/12 in Italy).
        try:
            return parse_date(text.replace(".", "/").replace("-", "/"), locale=language)
        except (ParseError, ValueError):
            raise UserFacingError("errors.impossible_moment", value=text) from None
    raise UserFacingError("errors.bad_moment", value=text)


def local_moment(text: str, timezone: str, language: str) -> datetime:
    """`2026-12-05 18:00` (or `05/12/2026 18:00`) in `timezone`, as an aware UTC datetime."""
    parts = text.strip().replace("T", " ").split()
    if len(parts) != 2:
        raise UserFacingError("errors.bad_moment", value=text)
    try:
        day = local_date(parts[0], language)
    except UserFacingError as error:
        raise UserFacingError(error.key, value=text) from None
    clock = _TIME.match(parts[1])
    if not clock:
        raise UserFacingError("errors.bad_moment", value=text)
    try:
        moment = time(int(clock[1]), int(clock[2]))
    except ValueError:
        raise UserFacingError("errors.impossible_moment", value=text) from None
    return aware(datetime.combine(day, moment), timezone, text)


def aware(local: datetime, timezone: str, typed: str = "") -> datetime:
    """A naive local time in `timezone` as UTC; a time the clocks skip is refused."""
    zone = ZoneInfo(timezone)
    placed = local.replace(tzinfo=zone)
    utc = placed.astimezone(UTC)
    # A time skipped when the clocks go forward does not come back from UTC the same.
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise UserFacingError("errors.skipped_moment", value=typed or local.isoformat(" "))
    return utc
