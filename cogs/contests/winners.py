"""The winners: drawn at a giveaway's close, drawn again by a reroll, read for the results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.database import Database
from cogs.contests.draw import Draw, draw
from cogs.contests.models import CLOSED, GIVEAWAY, Contest, ContestEntry, ContestWinner


@dataclass(frozen=True, slots=True)
class WinnerView:
    rank: int
    member_id: str
    member_name: str
    round: int


async def draw_winners(
    session: AsyncSession, contest: Contest, count: int, now: datetime, round_: int
) -> Draw:
    """Draw from the entries that have not won yet, store the winners and the counter."""
    entries = dict(
        (
            await session.execute(
                select(ContestEntry.member_id, ContestEntry.member_name).where(
                    ContestEntry.contest_id == contest.id
                )
            )
        )
        .tuples()
        .all()
    )
    won = dict(
        (
            await session.execute(
                select(ContestWinner.member_id, ContestWinner.rank).where(
                    ContestWinner.contest_id == contest.id
                )
            )
        )
        .tuples()
        .all()
    )
    pool = [member for member in entries if member not in won]
    result = draw(contest.seed, pool, count, contest.draw_counter)
    rank = max(won.values(), default=0)
    for member_id in result.winners:
        rank += 1
        session.add(
            ContestWinner(
                contest_id=contest.id,
                member_id=member_id,
                member_name=entries[member_id],
                rank=rank,
                round=round_,
                won_at=now,
            )
        )
    await session.execute(
        update(Contest).where(Contest.id == contest.id).values(draw_counter=result.next_counter)
    )
    await session.flush()
    return result


class Winners:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def reroll(self, contest_id: int, count: int, now: datetime) -> Draw | None:
        """Draw `count` more from the entries that have not won; None unless the contest is
        a closed giveaway. Rerolls at the same moment run one after the other."""
        async with self.db.session() as session:
            # Locks the row first, so a second reroll reads the counter this one leaves.
            locked = await session.execute(
                update(Contest)
                .where(Contest.id == contest_id, Contest.state == CLOSED, Contest.kind == GIVEAWAY)
                .values(draw_counter=Contest.draw_counter)
            )
            if locked.rowcount != 1:  # type: ignore[attr-defined]
                return None
            contest = await session.get_one(Contest, contest_id)
            rounds = await session.scalar(
                select(func.max(ContestWinner.round)).where(ContestWinner.contest_id == contest_id)
            )
            return await draw_winners(session, contest, count, now, int(rounds or 0) + 1)

    async def of(self, contest_id: int) -> list[WinnerView]:
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(ContestWinner)
                    .where(ContestWinner.contest_id == contest_id)
                    .order_by(ContestWinner.rank)
                )
            ).all()
            return [WinnerView(row.rank, row.member_id, row.member_name, row.round) for row in rows]

    async def is_winner(self, contest_id: int, member_id: str) -> bool:
        async with self.db.session() as session:
            found = await session.scalar(
                select(ContestWinner.id).where(
                    ContestWinner.contest_id == contest_id, ContestWinner.member_id == member_id
                )
            )
            return found is not None
