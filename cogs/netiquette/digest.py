"""Netiquette's part of the weekly staff digest: posts flagged and reported, by category,
and the decisions moderators took."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from bot.core.cards import Field
from bot.core.i18n import Translator
from bot.core.reports import ReportPeriod, ReportSection
from bot.storage.database import Database
from cogs.netiquette.models import APPROVED, PENDING, REJECTED, WARNED, NetiquetteReview

REPORTED = "report"  # the rule of a post members reported


async def _flagged(
    db: Database, period: ReportPeriod, since: datetime, until: datetime
) -> Counter[str]:
    """Reviews opened in the time, by category; members' reports under REPORTED."""
    community = period.community
    async with db.session() as session:
        rows = await session.execute(
            select(NetiquetteReview.rule, NetiquetteReview.category, func.count())
            .where(
                NetiquetteReview.platform == community.platform,
                NetiquetteReview.community_id == community.id,
                NetiquetteReview.parent_id.is_(None),
                NetiquetteReview.created_at >= since,
                NetiquetteReview.created_at < until,
            )
            .group_by(NetiquetteReview.rule, NetiquetteReview.category)
        )
        found: Counter[str] = Counter()
        for rule, category, count in rows.tuples():
            found[REPORTED if rule == REPORTED else category] += int(count)
    return found


async def _decisions(db: Database, period: ReportPeriod) -> tuple[Counter[str], int]:
    community = period.community
    where = (
        NetiquetteReview.platform == community.platform,
        NetiquetteReview.community_id == community.id,
        NetiquetteReview.parent_id.is_(None),
    )
    async with db.session() as session:
        rows = await session.execute(
            select(NetiquetteReview.state, func.count())
            .where(
                *where,
                NetiquetteReview.decided_at >= period.since,
                NetiquetteReview.decided_at < period.until,
            )
            .group_by(NetiquetteReview.state)
        )
        decided = Counter({state: int(count) for state, count in rows.tuples()})
        pending = await session.scalar(
            select(func.count()).where(
                *where,
                NetiquetteReview.state == PENDING,
                NetiquetteReview.created_at < period.until,
            )
        )
    return decided, int(pending or 0)


async def netiquette_section(
    db: Database, translator: Translator, period: ReportPeriod
) -> ReportSection | None:
    now = await _flagged(db, period, period.since, period.until)
    before = await _flagged(db, period, period.previous_since, period.since)
    decided, pending = await _decisions(db, period)
    if not (now or before or decided or pending):
        return None

    def t(key: str, **params: object) -> str:
        return translator.gettext(period.language, key, **params)

    flagged = sum(count for key, count in now.items() if key != REPORTED)
    flagged_before = sum(count for key, count in before.items() if key != REPORTED)
    categories = [
        t("netiquette.digest.count", name=t(f"netiquette.category.{key}"), count=count)
        for key, count in sorted(now.items(), key=lambda item: (-item[1], item[0]))
        if key != REPORTED
    ]
    fields = [
        Field(
            t("netiquette.digest.flagged"),
            t("netiquette.digest.change", now=flagged, before=flagged_before),
        ),
        Field(
            t("netiquette.digest.reported"),
            t("netiquette.digest.change", now=now[REPORTED], before=before[REPORTED]),
        ),
    ]
    if categories:
        fields.append(Field(t("netiquette.digest.categories"), "\n".join(categories)))
    fields.append(
        Field(
            t("netiquette.digest.decisions"),
            t(
                "netiquette.digest.decisions_line",
                approved=decided[APPROVED],
                rejected=decided[REJECTED],
                warned=decided[WARNED],
                pending=pending,
            ),
        )
    )
    return ReportSection(t("netiquette.digest.title"), tuple(fields), order=30)
