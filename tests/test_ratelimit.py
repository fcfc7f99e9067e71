"""A member who floods commands or buttons is asked, politely and privately, to slow down;
everyone else goes on as before, and so does the member once the bucket has refilled."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.clock import AdjustableClock
from bot.core.ratelimit import PRUNE_AT, RateLimited, RateLimiter
from tests.harness import TestBot, running_bot

SLOW_DOWN_EN = "[only for @alice] One moment: you are going a little fast. Try again in"
SLOW_DOWN_IT = "Un attimo: stai andando un po' troppo veloce. Riprova tra"


async def test_a_flood_of_commands_is_slowed_down_and_others_are_not(bot_en: TestBot) -> None:
    await bot_en.say("join @alice", "join @bob")
    answers = [await bot_en.say("@alice: /help") for _ in range(12)]
    assert all("/poll" in answer for answer in answers)
    refused = await bot_en.say("@alice: /help")
    assert refused.startswith(SLOW_DOWN_EN) and "/poll" not in refused
    assert refused.rstrip().endswith("2 s.")
    assert "/poll" in await bot_en.say("@bob: /help")
    await bot_en.advance("1m")
    assert "/poll" in await bot_en.say("@alice: /help")


async def test_buttons_count_too_and_the_answer_is_in_the_community_language(
    bot: TestBot,
) -> None:
    await bot.say("join @alice", "join @bob", '@bob: /poll "Pizza o pasta?" "Pizza" "Pasta"')
    said = await bot.say(*(["@alice click Pizza", "@alice click Pasta"] * 6))
    assert SLOW_DOWN_IT not in said
    said = await bot.say("@alice click Pizza")
    assert SLOW_DOWN_IT in said
    # The refused click changed nothing: alice's last vote (Pasta) stands.
    assert "Pasta" in await bot.say("@bob click Pasta")


async def test_a_form_and_the_command_that_opened_it_share_the_bucket(bot_en: TestBot) -> None:
    await bot_en.say("join @alice")
    for _ in range(11):
        await bot_en.say("@alice: /help")
    opened = await bot_en.say("@alice: /poll")
    assert "@alice fill" in opened
    refused = await bot_en.say('@alice fill question:"Tea?" options:"Yes\\nNo"')
    assert refused.startswith(SLOW_DOWN_EN)


async def test_zero_turns_the_limit_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_BURST", "0")
    async with running_bot(tmp_path / "p.db", "en") as bot:
        await bot.say("join @alice")
        said = await bot.say(*(["@alice: /help"] * 40))
        assert "One moment" not in said


def test_the_bucket_refills_at_its_rate_and_never_above_its_burst() -> None:
    clock = AdjustableClock()
    limits = RateLimiter(clock, burst=3, per_minute=6)
    key = ("console", "c", "alice")
    for _ in range(3):
        limits.check(key)
    with pytest.raises(RateLimited) as refused:
        limits.check(key)
    assert refused.value.params == {"seconds": 10}
    clock.advance(timedelta(seconds=10))
    limits.check(key)
    with pytest.raises(RateLimited):
        limits.check(key)
    clock.advance(timedelta(hours=5))
    for _ in range(3):
        limits.check(key)
    with pytest.raises(RateLimited):
        limits.check(key)


def test_members_at_rest_are_forgotten_so_memory_stays_bounded() -> None:
    clock = AdjustableClock()
    limits = RateLimiter(clock, burst=2, per_minute=60)
    for number in range(PRUNE_AT):
        limits.check(("console", "c", f"m{number}"))
    assert len(limits) == PRUNE_AT
    clock.advance(timedelta(minutes=1))
    limits.check(("console", "c", "newcomer"))
    assert len(limits) == 1
