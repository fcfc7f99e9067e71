"""Contests' part of the weekly staff digest: the contests closed in the week, with their
entries and winners (named only where the community allows it)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.core.cards import Field
from bot.core.i18n import Translator
from bot.core.reports import ReportPeriod, ReportSection
from bot.storage.database import Database
from cogs.contests.models import (
    CLOSED,
    GIVEAWAY,
    SUBMISSIONS,
    Contest,
    ContestEntry,
    ContestWinner,
)

MAX_CONTESTS = 10
KINDS = {GIVEAWAY: "contests.digest.kind_giveaway", SUBMISSIONS: "contests.digest.kind_submissions"}


async def contests_section(
    db: Database, translator: Translator, period: ReportPeriod
) -> ReportSection | None:
    community = period.community
    async with db.session() as session:
        closed = (
            await session.scalars(
                select(Contest)
                .where(
                    Contest.platform == community.platform,
                    Contest.community_id == community.id,
                    Contest.state == CLOSED,
                    Contest.closed_at >= period.since,
                    Contest.closed_at < period.until,
                )
                .order_by(Contest.closed_at, Contest.id)
                .limit(MAX_CONTESTS)
            )
        ).all()
        if not closed:
            return None
        ids = [contest.id for contest in closed]
        counted = await session.execute(
            select(ContestEntry.contest_id, func.count())
            .where(ContestEntry.contest_id.in_(ids))
            .group_by(ContestEntry.contest_id)
        )
        entries = {contest_id: int(count) for contest_id, count in counted.tuples()}
        winners: dict[int, list[str]] = {}
        rows = await session.execute(
            select(ContestWinner.contest_id, ContestWinner.member_name)
            .where(ContestWinner.contest_id.in_(ids))
            .order_by(ContestWinner.contest_id, ContestWinner.rank)
        )
        for contest_id, name in rows.tuples():
            winners.setdefault(contest_id, []).append(name)

    def t(key: str, **params: object) -> str:
        return translator.gettext(period.language, key, **params)

    fields = []
    for contest in closed:
        names = winners.get(contest.id, [])
        shown = ", ".join(names) if period.name_members and names else str(len(names))
        fields.append(
            Field(
                f"#{contest.id} · {contest.title}",
                t(
                    "contests.digest.line",
                    kind=t(KINDS.get(contest.kind, KINDS[GIVEAWAY])),
                    entries=entries.get(contest.id, 0),
                    winners=shown,
                ),
            )
        )
    return ReportSection(t("contests.digest.title"), tuple(fields), order=60)
