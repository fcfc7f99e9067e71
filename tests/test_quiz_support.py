"""Shared by the quiz tests (no tests here): the sample banks, players, and the points read
back from the leaderboards the bot printed."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness import TestBot

DATA = Path(__file__).parent / "data" / "quizzes"
POINTS = re.compile(r"(?:🥇|🥈|🥉|\d+\.) (\w+) — ([\d.,]+) (?:punti|points)")


async def players(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "join @alice", "join @bob", "join @carla")


async def import_bank(bot: TestBot, name: str = "storia", file: str = "storia.gift") -> str:
    return await bot.say(f"@mara: /quiz import name:{name} file:{DATA / file}")


def standings(output: str) -> list[tuple[str, int]]:
    """The newest leaderboard in `output`: (name, points), best first."""
    block = re.split(r"📈|🏁|⏹|🏆", output)[-1]
    return [(name, int(re.sub(r"[.,]", "", points))) for name, points in POINTS.findall(block)]
