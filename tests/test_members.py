"""The members the bot has seen: a newcomer's row, a leave, a return, one row throughout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.storage.models import KnownMember
from tests.harness import TestBot


async def _rows(bot: TestBot) -> list[KnownMember]:
    assert bot.app is not None
    async with bot.app.db.session() as session:
        return list((await session.scalars(select(KnownMember))).all())


async def test_a_member_who_leaves_and_comes_back_is_one_row_joined_again(bot: TestBot) -> None:
    await bot.say("join @alice")
    [first] = await _rows(bot)
    assert first.member_id and first.left_at is None
    await bot.say("advance 1d", "leave @alice")
    [gone] = await _rows(bot)
    assert gone.left_at is not None and gone.joined_at == first.joined_at
    await bot.say("advance 2d", "join @alice")
    [back] = await _rows(bot)
    assert back.id == first.id and back.left_at is None
    assert back.joined_at - first.joined_at >= timedelta(days=3)
