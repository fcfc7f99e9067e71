"""Quizzes' part of the weekly staff digest: the rounds played in the week, how many
played, and who led (named only where the community allows it)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.cards import Field
from bot.core.i18n import Translator
from bot.core.reports import ReportPeriod, ReportSection
from bot.storage.database import Database
from cogs.quizzes.leaderboard import Leaderboards
from cogs.quizzes.models import FINISHED, STOPPED, QuizAnswer, QuizRound

MAX_ROUNDS = 10


async def quizzes_section(
    db: Database, translator: Translator, period: ReportPeriod
) -> ReportSection | None:
    community = period.community
    async with db.session() as session:
        rounds = (
            await session.scalars(
                select(QuizRound)
                .where(
                    QuizRound.platform == community.platform,
                    QuizRound.community_id == community.id,
                    QuizRound.state.in_((FINISHED, STOPPED)),
                    QuizRound.ended_at >= period.since,
                    QuizRound.ended_at < period.until,
                )
                .order_by(QuizRound.ended_at, QuizRound.id)
                .limit(MAX_ROUNDS)
            )
        ).all()
        if not rounds:
            return None
        counted = await session.execute(
            select(QuizAnswer.round_id, func.count(func.distinct(QuizAnswer.member_id)))
            .where(QuizAnswer.round_id.in_([item.id for item in rounds]))
            .group_by(QuizAnswer.round_id)
        )
        players = {round_id: int(count) for round_id, count in counted.tuples()}

    def t(key: str, **params: object) -> str:
        return translator.gettext(period.language, key, **params)

    boards = Leaderboards(db)
    fields = []
    for item in rounds:
        standings = await boards.of_round(item.id)
        leader = standings[0] if standings else None
        if leader is None:
            best = t("quizzes.digest.nobody")
        elif period.name_members:
            best = t("quizzes.digest.leader", name=leader.name, points=leader.points)
        else:
            best = t("quizzes.digest.top_points", points=leader.points)
        fields.append(
            Field(
                f"#{item.id} · {item.bank_name}",
                t("quizzes.digest.line", players=players.get(item.id, 0), best=best),
            )
        )
    return ReportSection(t("quizzes.digest.title"), tuple(fields), order=55)
