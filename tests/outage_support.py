"""A PostgreSQL database behind a proxy the test can cut, and what the rows say afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import KnownMember
from cogs.contests.models import MessageCount
from cogs.digest.models import ActivityHour, MemberFlowHour
from tests.postgres import SERVER, fresh_postgres
from tests.tcp_proxy import TcpProxy

OUTAGE = 10.0  # seconds without a database, as the reliability promise names it


@dataclass
class CutDatabase:
    url: str  # straight to the server: what the test reads with
    proxy: TcpProxy

    @property
    def bot_url(self) -> str:  # through the proxy: what the bot runs on
        return self.proxy.url_for(self.url)


@asynccontextmanager
async def postgres_behind_proxy() -> AsyncIterator[CutDatabase]:
    host, _, port = SERVER.split("://", 1)[1].split("@")[-1].split("/")[0].partition(":")
    async with fresh_postgres() as url:
        proxy = TcpProxy(host, int(port or 5432))
        await proxy.start()
        try:
            yield CutDatabase(url, proxy)
        finally:
            await proxy.stop()


@dataclass(frozen=True)
class Tally:
    known: list[str]  # members the bot recorded as joined
    joins: int  # the digest's joins
    messages: int  # the digest's messages
    counted: dict[str, int]  # the contests' message count of each member


async def tally(url: str, platform: str) -> Tally:
    db = Database(url)
    try:
        async with db.session() as session:
            known = await session.scalars(
                select(KnownMember.member_id).where(KnownMember.platform == platform)
            )
            joins = await session.scalar(
                select(func.coalesce(func.sum(MemberFlowHour.joined), 0)).where(
                    MemberFlowHour.platform == platform
                )
            )
            messages = await session.scalar(
                select(func.coalesce(func.sum(ActivityHour.messages), 0)).where(
                    ActivityHour.platform == platform
                )
            )
            counted = await session.execute(
                select(MessageCount.member_id, MessageCount.count).where(
                    MessageCount.platform == platform
                )
            )
            return Tally(
                sorted(known),
                int(joins or 0),
                int(messages or 0),
                {member: count for member, count in counted.tuples()},
            )
    finally:
        await db.dispose()
