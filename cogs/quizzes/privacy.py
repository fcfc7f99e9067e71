"""What quizzes keep about a member: their answers. Erased, they are deleted: the member's
points leave the leaderboards."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Select, delete, select

from bot.core.privacy import DataSubject
from bot.storage.database import Database
from cogs.quizzes.models import QuizAnswer, QuizRound


class QuizzesData:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _rounds(self, subject: DataSubject) -> Select[tuple[int]]:
        return select(QuizRound.id).where(
            QuizRound.platform == subject.platform,
            QuizRound.community_id == subject.community_id,
        )

    async def export(self, subject: DataSubject) -> Mapping[str, object]:
        query = (
            select(
                QuizAnswer.round_id, QuizAnswer.correct, QuizAnswer.points, QuizAnswer.answered_at
            )
            .where(
                QuizAnswer.round_id.in_(self._rounds(subject)),
                QuizAnswer.member_id == subject.member_id,
            )
            .order_by(QuizAnswer.answered_at)
        )
        async with self.db.session() as session:
            rows = (await session.execute(query)).all()
        if not rows:
            return {}
        return {
            "answers": [
                {"round": round_id, "correct": correct, "points": points, "answered_at": at}
                for round_id, correct, points, at in rows
            ]
        }

    async def erase(self, subject: DataSubject) -> int:
        async with self.db.session() as session:
            result = await session.execute(
                delete(QuizAnswer).where(
                    QuizAnswer.round_id.in_(self._rounds(subject)),
                    QuizAnswer.member_id == subject.member_id,
                )
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def expire(self, before: datetime) -> int:
        return 0  # an answer is a button pressed, not text a member wrote
