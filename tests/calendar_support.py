"""Moving the console's clock to a local moment, and downtime, for the calendar tests."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from bot.core.durations import MAX_DURATION, format_duration_compact
from tests.harness import TestBot

ROME = ZoneInfo("Europe/Rome")


def _same_calendar_as_2027(year: int) -> bool:
    return not calendar.isleap(year) and date(year, 1, 1).weekday() == date(2027, 1, 1).weekday()


# The calendar tests were written for 2027's days: its Mondays, and 28 March, the night Rome
# skips an hour. They run in a later year laid out the same, so no date has passed yet.
YEAR = next(year for year in count(date.today().year + 2) if _same_calendar_as_2027(year))


def rome(moment: str) -> datetime:
    """`2038-03-22 10:00` in Rome, as UTC."""
    return datetime.fromisoformat(moment).replace(tzinfo=ROME).astimezone(UTC)


async def advance_to(bot: TestBot, moment: str) -> str:
    """Move the clock to a local time in Rome, running what falls due on the way."""
    delta = rome(moment) - bot.clock.now()
    assert delta.total_seconds() >= 0, f"the clock is already past {moment}"
    said = []
    while delta > MAX_DURATION:  # the console's `advance` refuses a longer one
        said.append(await bot.advance(format_duration_compact(MAX_DURATION)))
        delta -= MAX_DURATION
    said.append(await bot.advance(format_duration_compact(max(delta, timedelta(seconds=1)))))
    return "\n".join(said)


def downtime(db_path: Path, seconds: float) -> None:
    """While the bot is stopped, its stored clock moves on: time passed with nobody there."""
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + :s"),
            {"s": seconds},
        )
    engine.dispose()
