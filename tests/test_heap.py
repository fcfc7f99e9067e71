"""Once Ponte has started, a full collection no longer reads what start made: the pause it
puts on the event loop is that of the objects made since."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.heap import settle_after_start
from tests.harness import TestBot


@pytest.fixture
def unfrozen_after() -> Iterator[None]:
    yield
    # The other tests' garbage must stay collectable.
    gc.unfreeze()


async def test_a_settled_bot_leaves_the_collector_only_what_came_after(
    db_path: Path, unfrozen_after: None
) -> None:
    bot = TestBot(f"sqlite+aiosqlite:///{db_path}", "it")
    await bot.start()
    try:
        frozen = settle_after_start()
        await bot.say("join @mara as staff", "join @luca", "@luca: come resetto la password?")
        in_reach = len(gc.get_objects())
        assert frozen > 5 * in_reach
        gc.unfreeze()
        assert len(gc.get_objects()) >= frozen
    finally:
        await bot.stop()
