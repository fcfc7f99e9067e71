"""Questions and their groups: stored, counted, forwarded, dismissed, merged; each state
change one conditional UPDATE, so a double click or a second process changes nothing twice."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast

from sqlalchemy import (
    Integer,
    Table,
    Update,
    bindparam,
    distinct,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.prepared import Prepared
from cogs.questions.models import (
    ACTIVE,
    ANSWERED,
    DISMISSED,
    FORWARDED,
    INDEXED_STATES,
    LIVE_STATES,
    MERGED,
    OPEN,
    FaqDelivery,
    FaqEntry,
    Question,
    QuestionGroup,
)

MAX_LINKS = 5  # a Discord embed field holds 1,024 characters: five lines with links
# The tables, not the mapped classes, for a question's two statements: the ORM's own
# handling of an UPDATE and of an INSERT cost more than the statements.
GROUPS = cast(Table, QuestionGroup.__table__)
QUESTIONS = cast(Table, Question.__table__)
# A question's columns: those its view shows, then its vector and its notice's flag.
_ASKED = (
    "platform",
    "community_id",
    "channel_id",
    "message_id",
    "member_id",
    "member_name",
    "text",
    "asked_at",
    "group_id",
    "vector",
    "unanswered_noticed",
)


@functools.cache
def _lock_group() -> Prepared:
    """A no-op UPDATE that locks a group members may still join, and reads its state."""
    return Prepared(
        update(GROUPS)
        .where(
            GROUPS.c.id == bindparam("group_id", type_=Integer),
            or_(*(GROUPS.c.state == state for state in INDEXED_STATES)),
        )
        .values(state=GROUPS.c.state)
        .returning(GROUPS.c.state)
    )


@functools.cache
def _insert_question() -> Prepared:
    return Prepared(insert(QUESTIONS).returning(QUESTIONS.c.id), keys=_ASKED)


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: int
    platform: str
    community_id: str
    channel_id: str
    message_id: str
    member_id: str
    member_name: str
    text: str
    asked_at: datetime
    group_id: int
    answered_at: datetime | None
    helper_message_id: str | None

    @classmethod
    def of(cls, row: Question) -> QuestionView:
        return cls(
            row.id,
            row.platform,
            row.community_id,
            row.channel_id,
            row.message_id,
            row.member_id,
            row.member_name,
            row.text,
            row.asked_at,
            row.group_id,
            row.answered_at,
            row.helper_message_id,
        )


@dataclass(frozen=True, slots=True)
class GroupView:
    id: int
    platform: str
    community_id: str
    state: str
    representative: str
    created_at: datetime
    card_channel_id: str | None
    card_message_id: str | None
    merged_into: int | None
    reopened: bool
    askers: tuple[str, ...]  # names, in the order they first asked
    recent: tuple[QuestionView, ...]  # the newest questions, for the card's links

    @property
    def community(self) -> Community:
        return Community(self.platform, self.community_id, "")


def changed(result: object) -> bool:
    return bool(getattr(result, "rowcount", 0) == 1)


class QuestionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def live_vectors(self, community: Community) -> list[tuple[int, bytes]]:
        """What the grouper is rebuilt from: the questions and FAQ entries of every group
        not merged into another."""
        live = QuestionGroup.state.in_(INDEXED_STATES)
        mine = (QuestionGroup.platform == community.platform) & (
            QuestionGroup.community_id == community.id
        )
        async with self.db.session() as session:
            asked = await session.execute(
                select(Question.group_id, Question.vector)
                .join(QuestionGroup, QuestionGroup.id == Question.group_id)
                .where(live, mine)
                .order_by(Question.id)
            )
            rows = [(group_id, vector) for group_id, vector in asked.tuples()]
            faq = await session.execute(
                select(FaqEntry.group_id, FaqEntry.vector)
                .join(QuestionGroup, QuestionGroup.id == FaqEntry.group_id)
                .where(live, mine, FaqEntry.state == ACTIVE)
            )
            rows.extend((group_id, vector) for group_id, vector in faq.tuples() if group_id)
        return rows

    async def record(
        self,
        community: Community,
        channel_id: str,
        message_id: str,
        member: Member,
        text: str,
        vector: bytes,
        group_id: int | None,
        now: datetime,
    ) -> tuple[QuestionView, str]:
        """The stored question, and the state of the group it joined: two statements when
        it joins a group (the group locked and its state read, the question inserted)."""
        async with self.db.writing() as session:
            locked = await _lock_group().rows(session, {"group_id": group_id}) if group_id else []
            if locked and group_id is not None:
                joined, state = group_id, str(locked[0].state)
            else:
                group = await self._new_group(session, community, text, now)
                joined, state = group.id, group.state
            view = QuestionView(
                0,
                community.platform,
                community.id,
                channel_id,
                message_id,
                member.id,
                member.shown_name[:100],
                text,
                now,
                joined,
                answered_at=None,
                helper_message_id=None,
            )
            values = {name: getattr(view, name) for name in _ASKED[:-2]}
            values.update(vector=vector, unanswered_noticed=False)
            [inserted] = await _insert_question().rows(session, values)
            return replace(view, id=inserted.id), state

    @staticmethod
    async def _new_group(
        session: AsyncSession, community: Community, text: str, now: datetime, state: str = OPEN
    ) -> QuestionGroup:
        group = QuestionGroup(
            platform=community.platform,
            community_id=community.id,
            state=state,
            representative=text,
            created_at=now,
            reopened=False,
        )
        session.add(group)
        await session.flush()
        return group

    async def new_group(
        self, community: Community, text: str, now: datetime, state: str = OPEN
    ) -> int:
        async with self.db.session() as session:
            return (await self._new_group(session, community, text, now, state)).id

    async def askers_since(self, group_id: int, since: datetime) -> int:
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count(distinct(Question.member_id))).where(
                    Question.group_id == group_id, Question.asked_at >= since
                )
            )
        return int(count or 0)

    async def group(self, group_id: int) -> GroupView | None:
        async with self.db.session() as session:
            group = await session.get(QuestionGroup, group_id)
            if group is None:
                return None
            firsts = await session.execute(
                select(Question.member_name, func.min(Question.id).label("first"))
                .where(Question.group_id == group_id)
                .group_by(Question.member_id, Question.member_name)
                .order_by("first")
            )
            recent = (
                await session.scalars(
                    select(Question)
                    .where(Question.group_id == group_id)
                    .order_by(Question.id.desc())
                    .limit(MAX_LINKS)
                )
            ).all()
            return GroupView(
                group.id,
                group.platform,
                group.community_id,
                group.state,
                group.representative,
                group.created_at,
                group.card_channel_id,
                group.card_message_id,
                group.merged_into,
                group.reopened,
                tuple(dict.fromkeys(name for name, _ in firsts.tuples())),
                tuple(QuestionView.of(row) for row in reversed(recent)),
            )

    async def _change(self, statement: Update) -> bool:
        async with self.db.session() as session:
            return changed(await session.execute(statement))

    async def forward(self, group_id: int, now: datetime) -> bool:
        """Open → forwarded, once: only the call that wins posts the staff card."""
        return await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id, QuestionGroup.state == OPEN)
            .values(state=FORWARDED, forwarded_at=now)
        )

    async def unforward(self, group_id: int) -> None:
        """The card could not be posted: the next asker tries again."""
        await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id, QuestionGroup.state == FORWARDED)
            .values(state=OPEN, forwarded_at=None)
        )

    async def set_card(self, group_id: int, channel_id: str, message_id: str) -> None:
        await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id)
            .values(card_channel_id=channel_id, card_message_id=message_id)
        )

    async def set_answered(self, group_id: int) -> bool:
        return await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id, QuestionGroup.state.in_((OPEN, FORWARDED)))
            .values(state=ANSWERED, reopened=False)
        )

    async def reopen(self, group_id: int) -> bool:
        """Answered → forwarded again: the FAQ's answer did not help enough members."""
        return await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id, QuestionGroup.state == ANSWERED)
            .values(state=FORWARDED, reopened=True)
        )

    async def unanswer(self, group_id: int) -> bool:
        """Its FAQ entry was removed: the group collects askers again."""
        return await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id, QuestionGroup.state == ANSWERED)
            .values(state=OPEN, reopened=False)
        )

    async def dismiss(self, group_id: int) -> bool:
        return await self._change(
            update(QuestionGroup)
            .where(QuestionGroup.id == group_id, QuestionGroup.state.in_((OPEN, FORWARDED)))
            .values(state=DISMISSED)
        )

    async def merge(self, keep: int, other: int) -> list[bytes] | None:
        """Fold `other` into `keep`: its askers, its answers, its FAQ entry when `keep` has
        none. The vectors moved, for the grouper; None when `other` was no longer live."""
        async with self.db.session() as session:
            result = await session.execute(
                update(QuestionGroup)
                .where(QuestionGroup.id == other, QuestionGroup.state.in_(LIVE_STATES))
                .values(state=MERGED, merged_into=keep)
            )
            if not changed(result):
                return None
            vectors = list(
                (
                    await session.scalars(select(Question.vector).where(Question.group_id == other))
                ).all()
            )
            await session.execute(
                update(Question).where(Question.group_id == other).values(group_id=keep)
            )
            kept_faq = await session.scalar(
                select(FaqEntry.id).where(FaqEntry.group_id == keep, FaqEntry.state == ACTIVE)
            )
            moved = FaqEntry.group_id == other
            values = {"group_id": None} if kept_faq else {"group_id": keep}
            await session.execute(update(FaqEntry).where(moved).values(**values))
            if not kept_faq:
                faq = await session.scalar(
                    select(FaqEntry.vector).where(
                        FaqEntry.group_id == keep, FaqEntry.state == ACTIVE
                    )
                )
                if faq is not None:
                    vectors.append(faq)
                    await session.execute(
                        update(QuestionGroup)
                        .where(QuestionGroup.id == keep, QuestionGroup.state.in_((OPEN, FORWARDED)))
                        .values(state=ANSWERED, reopened=False)
                    )
            taken = set(
                (
                    await session.scalars(
                        select(FaqDelivery.member_id).where(FaqDelivery.group_id == keep)
                    )
                ).all()
            )
            for delivery in (
                await session.scalars(select(FaqDelivery).where(FaqDelivery.group_id == other))
            ).all():
                if delivery.member_id in taken:
                    await session.delete(delivery)
                else:
                    delivery.group_id = keep
            return vectors

    async def open_questions(self, group_id: int) -> list[QuestionView]:
        """The group's questions, oldest first, one per member: whom an answer replies to."""
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(Question).where(Question.group_id == group_id).order_by(Question.id)
                )
            ).all()
        firsts: dict[str, QuestionView] = {}
        for row in rows:
            firsts.setdefault(row.member_id, QuestionView.of(row))
        return list(firsts.values())
