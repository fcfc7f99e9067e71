"""A contest's rows and its state changes, each one conditional so that it happens once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Attachment, Community, Member
from cogs.contests.draw import commitment, new_seed
from cogs.contests.eligibility import Requirements
from cogs.contests.entering import Entries
from cogs.contests.models import (
    BY_MEMBERS,
    CLOSED,
    GIVEAWAY,
    OPEN,
    SUBMISSIONS,
    VOTING,
    Contest,
    ContestEntry,
    ContestVote,
)
from cogs.contests.voting import rank_by_votes
from cogs.contests.winners import draw_winners


@dataclass(frozen=True, slots=True)
class ContestView:
    id: int
    platform: str
    community_id: str
    channel_id: str
    message_id: str | None
    kind: str
    title: str
    winners: int
    judging: str
    state: str
    author_name: str
    requirements: Requirements
    submit_ends_at: datetime | None
    ends_at: datetime
    closed_at: datetime | None
    commitment: str
    seed: str
    draw_counter: int
    entries: int

    @property
    def community(self) -> Community:
        return Community(self.platform, self.community_id, "")

    @property
    def is_giveaway(self) -> bool:
        return self.kind == GIVEAWAY


@dataclass(frozen=True, slots=True)
class EntryView:
    id: int
    number: int
    member_id: str
    member_name: str
    entered_at: datetime
    content: str
    file_name: str | None
    votes: int


class ContestService(Entries):
    """A contest's rows and state changes; entering one is `Entries.enter`."""

    async def create(
        self,
        community: Community,
        channel_id: str,
        author: Member,
        *,
        kind: str,
        title: str,
        winners: int,
        now: datetime,
        ends_at: datetime,
        submit_ends_at: datetime | None = None,
        judging: str = BY_MEMBERS,
        requirements: Requirements | None = None,
    ) -> int:
        seed = new_seed()
        requirements = requirements or Requirements()
        async with self.db.session() as session:
            contest = Contest(
                platform=community.platform,
                community_id=community.id,
                channel_id=channel_id,
                kind=kind,
                title=title,
                winners=winners,
                judging=judging,
                state=OPEN,
                author_id=author.id,
                author_name=author.shown_name[:100],
                required_role=requirements.role,
                min_days=requirements.days,
                min_messages=requirements.messages,
                created_at=now,
                submit_ends_at=submit_ends_at,
                ends_at=ends_at,
                seed=seed,
                commitment=commitment(seed),
                draw_counter=0,
            )
            session.add(contest)
            await session.flush()
            return contest.id

    async def attach_message(self, contest_id: int, channel_id: str, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(Contest)
                .where(Contest.id == contest_id)
                .values(channel_id=channel_id, message_id=message_id)
            )

    async def discard(self, contest_id: int) -> None:
        async with self.db.session() as session:
            await session.execute(delete(Contest).where(Contest.id == contest_id))

    async def view(self, contest_id: int) -> ContestView | None:
        async with self.db.session() as session:
            contest = await session.get(Contest, contest_id)
            return await self._view(session, contest) if contest else None

    async def _view(self, session: AsyncSession, contest: Contest) -> ContestView:
        count = await session.scalar(
            select(func.count()).where(ContestEntry.contest_id == contest.id)
        )
        return ContestView(
            id=contest.id,
            platform=contest.platform,
            community_id=contest.community_id,
            channel_id=contest.channel_id,
            message_id=contest.message_id,
            kind=contest.kind,
            title=contest.title,
            winners=contest.winners,
            judging=contest.judging,
            state=contest.state,
            author_name=contest.author_name,
            requirements=Requirements(
                contest.required_role, contest.min_days, contest.min_messages
            ),
            submit_ends_at=contest.submit_ends_at,
            ends_at=contest.ends_at,
            closed_at=contest.closed_at,
            commitment=contest.commitment,
            seed=contest.seed,
            draw_counter=contest.draw_counter,
            entries=int(count or 0),
        )

    async def in_community(self, community: Community, contest_id: int) -> ContestView | None:
        found = await self.view(contest_id)
        if found is None or (found.platform, found.community_id) != (
            community.platform,
            community.id,
        ):
            return None
        return found

    async def listing(self, community: Community) -> list[ContestView]:
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(Contest)
                    .where(
                        Contest.platform == community.platform,
                        Contest.community_id == community.id,
                        Contest.state != CLOSED,
                        Contest.message_id.is_not(None),
                    )
                    .order_by(Contest.id)
                )
            ).all()
            return [await self._view(session, row) for row in rows]

    # -- entries (entering is in `entering.py`) ------------------------------------

    async def withdraw(self, community: Community, member_id: str) -> list[int]:
        """A member left: their entries in contests still open go; the contests touched."""
        async with self.db.session() as session:
            open_ids = select(Contest.id).where(
                Contest.platform == community.platform,
                Contest.community_id == community.id,
                Contest.state == OPEN,
            )
            touched = (
                await session.scalars(
                    select(ContestEntry.contest_id).where(
                        ContestEntry.member_id == member_id,
                        ContestEntry.contest_id.in_(open_ids),
                    )
                )
            ).all()
            if touched:
                await session.execute(
                    delete(ContestEntry).where(
                        ContestEntry.member_id == member_id,
                        ContestEntry.contest_id.in_(touched),
                    )
                )
            return list(touched)

    async def entries(self, contest_id: int) -> list[EntryView]:
        async with self.db.session() as session:
            votes = (
                select(ContestVote.entry_id, func.count().label("votes"))
                .where(ContestVote.contest_id == contest_id)
                .group_by(ContestVote.entry_id)
                .subquery()
            )
            rows = await session.execute(
                select(ContestEntry, func.coalesce(votes.c.votes, 0))
                .outerjoin(votes, votes.c.entry_id == ContestEntry.id)
                .where(ContestEntry.contest_id == contest_id)
                .order_by(ContestEntry.number)
            )
            return [
                EntryView(
                    entry.id,
                    entry.number,
                    entry.member_id,
                    entry.member_name,
                    entry.entered_at,
                    entry.content,
                    entry.file_name,
                    int(count),
                )
                for entry, count in rows.tuples()
            ]

    async def entry_files(self, contest_id: int, limit: int, budget: int) -> list[Attachment]:
        """The files members submitted, named after their entry's number, in order; as many
        as fit in `limit` files and `budget` bytes (a platform caps a message's files)."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    ContestEntry.number,
                    ContestEntry.file_name,
                    ContestEntry.file_type,
                    ContestEntry.file_data,
                )
                .where(ContestEntry.contest_id == contest_id, ContestEntry.file_data.is_not(None))
                .order_by(ContestEntry.number)
            )
            files: list[Attachment] = []
            for number, name, kind, data in rows.tuples():
                if data is None or len(files) >= limit or len(data) > budget:
                    continue
                budget -= len(data)
                files.append(Attachment(f"{number}-{name or 'file'}", data, kind or ""))
            return files

    # -- the close ---------------------------------------------------------------

    async def start_voting(self, contest_id: int) -> bool:
        async with self.db.session() as session:
            result = await session.execute(
                update(Contest)
                .where(Contest.id == contest_id, Contest.state == OPEN, Contest.kind == SUBMISSIONS)
                .values(state=VOTING)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def close(self, contest_id: int, now: datetime) -> bool:
        """Close once, and choose the winners in the same transaction: a draw for a giveaway,
        the votes (or staff's picks, already stored) for a submission contest."""
        async with self.db.session() as session:
            result = await session.execute(
                update(Contest)
                .where(Contest.id == contest_id, Contest.state.in_((OPEN, VOTING)))
                .values(state=CLOSED, closed_at=now)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return False
            contest = await session.get_one(Contest, contest_id)
            if contest.kind == GIVEAWAY:
                await draw_winners(session, contest, contest.winners, now, round_=0)
            elif contest.judging == BY_MEMBERS:
                await rank_by_votes(session, contest, now)
            return True

    async def deadlines(self) -> list[tuple[int, str, datetime]]:
        """(contest, "vote" or "end", when) of every contest not closed: the scheduler's rows."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(Contest.id, Contest.state, Contest.submit_ends_at, Contest.ends_at).where(
                    Contest.state != CLOSED
                )
            )
            found: list[tuple[int, str, datetime]] = []
            for contest_id, state, submit_ends_at, ends_at in rows.tuples():
                if state == OPEN and submit_ends_at is not None:
                    found.append((contest_id, "vote", submit_ends_at))
                else:
                    found.append((contest_id, "end", ends_at))
            return found
