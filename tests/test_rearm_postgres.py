"""A deadline made by a process that dies before it comes is carried out by another one,
which started before the deadline was made and never restarts: its re-arm round reads
the rows the first one left. The community itself is new to the second one, which has
seen none of its events: its weekly digest comes from the round too."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.harness import TestBot
from tests.postgres import fresh_postgres

ROME = ZoneInfo("Europe/Rome")
RESULTS = "🏁 Results: Pizza or pasta?"
ANNOUNCEMENT = "Community call tonight"
DIGEST = "📈 Weekly digest"


async def known_in(bot: TestBot, kinds: set[str]) -> bool:
    """Whether the bot's scheduler holds a deadline of each kind, within a few seconds."""
    assert bot.app is not None
    for _ in range(250):
        if kinds <= {kind for _, kind, _ in bot.app.scheduler.pending()}:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_dead_process_deadlines_are_carried_out_by_one_already_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESCHEDULE_EVERY", "0.2")
    async with fresh_postgres() as url:
        first = TestBot(url, "en", tmp_path / "one")
        second = TestBot(url, "en", tmp_path / "two")
        await first.start()
        await second.start()
        try:
            at = (first.clock.now() + timedelta(minutes=3)).astimezone(ROME)
            await first.say(
                "join @mara as admin, staff",
                "join @bob",
                '@mara: /poll "Pizza or pasta?" "Pizza" "Pasta" duration:1m',
                "@bob click Pizza",
                f'@mara: /announce schedule channel:#news at:"{at:%Y-%m-%d %H:%M}" '
                f'text:"{ANNOUNCEMENT}"',
            )
            # Dies before either deadline: nothing of it is ever posted by this one.
            await first.stop()
            assert await known_in(second, {"poll-deadline", "announce"})
            await second.advance("5m")
            await second.advance("8d")
            there = second.all_output()
        finally:
            await first.stop()
            await second.stop()
    here = first.all_output()
    assert RESULTS not in here and "[#news]" not in here and DIGEST not in here
    assert there.count(RESULTS) == 1
    assert there.count(f"[#news] {ANNOUNCEMENT}") == 1
    assert "Poll by mara · closed" in there
    assert there.count(DIGEST) == 1
