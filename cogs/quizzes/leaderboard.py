"""Standings: of one round, of the season (every round of a community), of one member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select

from bot.core.model import Community
from bot.storage.database import Database
from cogs.quizzes.models import QuizAnswer, QuizRound
from cogs.quizzes.scoring import Standing, ranked


@dataclass(frozen=True, slots=True)
class MemberScores:
    last_round: Standing | None
    last_round_id: int | None
    season: Standing | None
    rounds: int  # rounds the member answered in
    players: int  # members in the season's standings


def _standings_query() -> Select[tuple[str, str, int, int, int, int]]:
    return select(
        QuizAnswer.member_id,
        func.max(QuizAnswer.member_name),
        func.sum(QuizAnswer.points),
        func.sum(case((QuizAnswer.correct, 1), else_=0)),
        func.count(QuizAnswer.id),
        func.sum(QuizAnswer.elapsed_ms),
    ).group_by(QuizAnswer.member_id)


def _rank(rows: object) -> list[Standing]:
    return ranked(
        Standing(member_id, name, int(total or 0), int(right or 0), int(count), int(time or 0))
        for member_id, name, total, right, count, time in rows  # type: ignore[attr-defined]
    )


class Leaderboards:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def of_round(self, round_id: int) -> list[Standing]:
        async with self.db.session() as session:
            rows = await session.execute(_standings_query().where(QuizAnswer.round_id == round_id))
            return _rank(rows.tuples().all())

    async def last_round(self, community: Community) -> int | None:
        async with self.db.session() as session:
            found: int | None = await session.scalar(
                select(QuizRound.id)
                .where(
                    QuizRound.platform == community.platform,
                    QuizRound.community_id == community.id,
                )
                .order_by(QuizRound.started_at.desc(), QuizRound.id.desc())
                .limit(1)
            )
            return found

    async def season(self, community: Community, since: datetime | None = None) -> list[Standing]:
        query = (
            _standings_query()
            .join(QuizRound, QuizRound.id == QuizAnswer.round_id)
            .where(
                QuizRound.platform == community.platform,
                QuizRound.community_id == community.id,
            )
        )
        if since is not None:
            query = query.where(QuizRound.started_at >= since)
        async with self.db.session() as session:
            rows = await session.execute(query)
            return _rank(rows.tuples().all())

    async def member(self, community: Community, member_id: str) -> MemberScores:
        season = await self.season(community)
        mine = next((standing for standing in season if standing.member_id == member_id), None)
        async with self.db.session() as session:
            last_id = await session.scalar(
                select(QuizAnswer.round_id)
                .join(QuizRound, QuizRound.id == QuizAnswer.round_id)
                .where(
                    QuizRound.platform == community.platform,
                    QuizRound.community_id == community.id,
                    QuizAnswer.member_id == member_id,
                )
                .order_by(QuizRound.started_at.desc(), QuizRound.id.desc())
                .limit(1)
            )
            rounds = await session.scalar(
                select(func.count(func.distinct(QuizAnswer.round_id)))
                .join(QuizRound, QuizRound.id == QuizAnswer.round_id)
                .where(
                    QuizRound.platform == community.platform,
                    QuizRound.community_id == community.id,
                    QuizAnswer.member_id == member_id,
                )
            )
        last = None
        if last_id is not None:
            standings = await self.of_round(last_id)
            last = next((s for s in standings if s.member_id == member_id), None)
        return MemberScores(last, last_id, mine, int(rounds or 0), len(season))
