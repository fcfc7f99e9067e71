"""Moving the console clock to a local moment, and reading a digest card it printed."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.harness import TestBot

ROME = ZoneInfo("Europe/Rome")


async def advance_to(bot: TestBot, weekday: int, hour: int, minute: int = 0) -> str:
    """Advance to the next `weekday` (0 = Monday) at `hour:minute`, Rome time."""
    now = bot.clock.now().astimezone(ROME)
    day = now.date() + timedelta(days=(weekday - now.weekday()) % 7)
    target = datetime.combine(day, time(hour, minute), tzinfo=ROME)
    if target <= now:
        target = datetime.combine(day + timedelta(days=7), time(hour, minute), tzinfo=ROME)
    seconds = int((target - now).total_seconds()) + 1
    return await bot.advance(f"{seconds}s")


async def midweek(bot: TestBot) -> str:
    """Move to the next Wednesday noon: the Monday digest then has this week's messages,
    and Friday's digest is days away, whatever day the suite runs on."""
    return await advance_to(bot, 2, 12)


def digest_cards(output: str, channel: str = "#staff") -> list[str]:
    """Each card printed in `channel` whose title is a digest's, as its text."""
    cards: list[str] = []
    for block in ("\n" + output).split("\n["):
        if block.startswith(f"{channel}]") and "📈" in block:
            cards.append(block)
    return cards


def value(card: str, name: str) -> str:
    """What follows `name: ` on its line of the card."""
    for line in card.splitlines():
        line = line.strip().removeprefix("┃").strip()
        if line.startswith(f"{name}: "):
            return line[len(name) + 2 :]
    raise AssertionError(f"{name!r} not in the card:\n{card}")


def bullets(card: str, name: str) -> list[str]:
    """The `• …` lines under `name:` in the card."""
    lines = [line.strip().removeprefix("┃").strip() for line in card.splitlines()]
    start = lines.index(f"{name}:") + 1
    found = []
    for line in lines[start:]:
        if not line.startswith("• "):
            break
        found.append(line[2:])
    return found
