"""Moving the console's clock to a local moment, and downtime, for the calendar tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from tests.harness import TestBot

ROME = ZoneInfo("Europe/Rome")


def rome(moment: str) -> datetime:
    """`2027-03-22 10:00` in Rome, as UTC."""
    return datetime.fromisoformat(moment).replace(tzinfo=ROME).astimezone(UTC)


async def advance_to(bot: TestBot, moment: str) -> str:
    """Move the clock to a local time in Rome, running what falls due on the way."""
    delta = rome(moment) - bot.clock.now()
    assert delta.total_seconds() >= 0, f"the clock is already past {moment}"
    return await bot.advance(f"{max(int(delta.total_seconds()), 1)}s")


def downtime(db_path: Path, seconds: float) -> None:
    """While the bot is stopped, its stored clock moves on: time passed with nobody there."""
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + :s"),
            {"s": seconds},
        )
    engine.dispose()
