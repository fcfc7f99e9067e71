"""The recurring questions' part of the weekly staff digest: new, answered and open
groups, answer times, and the FAQ answers given with how helpful members found them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.core.cards import Field
from bot.core.i18n import Translator
from bot.core.reports import ReportPeriod, ReportSection
from bot.storage.database import Database
from cogs.questions.faq import HELPFUL, NOT_HELPFUL
from cogs.questions.models import (
    ANSWERED,
    BY_FAQ,
    LIVE_STATES,
    FaqDelivery,
    QuestionGroup,
)
from cogs.questions.report import Report
from cogs.questions.stats import QuestionStatsService


async def _groups(db: Database, period: ReportPeriod) -> tuple[int, int, int]:
    """Groups of the community: new this week, of those answered, and all still open."""
    community = period.community
    where = (
        QuestionGroup.platform == community.platform,
        QuestionGroup.community_id == community.id,
        QuestionGroup.state.in_(LIVE_STATES),
    )
    async with db.session() as session:
        new = await session.scalar(
            select(func.count()).where(
                *where,
                QuestionGroup.created_at >= period.since,
                QuestionGroup.created_at < period.until,
            )
        )
        answered = await session.scalar(
            select(func.count()).where(
                *where,
                QuestionGroup.state == ANSWERED,
                QuestionGroup.created_at >= period.since,
                QuestionGroup.created_at < period.until,
            )
        )
        still_open = await session.scalar(
            select(func.count()).where(
                *where, QuestionGroup.state != ANSWERED, QuestionGroup.created_at < period.until
            )
        )
    return int(new or 0), int(answered or 0), int(still_open or 0)


async def _feedback(db: Database, period: ReportPeriod) -> tuple[int, int]:
    """What members said of the answers delivered this week: helpful, not helpful."""
    community = period.community
    async with db.session() as session:
        rows = await session.execute(
            select(FaqDelivery.feedback, func.count())
            .join(QuestionGroup, QuestionGroup.id == FaqDelivery.group_id)
            .where(
                QuestionGroup.platform == community.platform,
                QuestionGroup.community_id == community.id,
                FaqDelivery.created_at >= period.since,
                FaqDelivery.created_at < period.until,
            )
            .group_by(FaqDelivery.feedback)
        )
        counts = {feedback: int(count) for feedback, count in rows.tuples()}
    return counts.get(HELPFUL, 0), counts.get(NOT_HELPFUL, 0)


async def questions_section(
    db: Database,
    translator: Translator,
    period: ReportPeriod,
    *,
    unanswered_after: timedelta,
    min_askers: int,
) -> ReportSection | None:
    stats = await QuestionStatsService(db).stats(
        period.community,
        period.since,
        period.until,
        timezone=period.timezone,
        unanswered_after=unanswered_after,
        now=period.until,
        min_askers=min_askers,
    )
    before = await QuestionStatsService(db).stats(
        period.community,
        period.previous_since,
        period.since,
        timezone=period.timezone,
        unanswered_after=unanswered_after,
        now=period.since,
        min_askers=min_askers,
    )
    new, answered, still_open = await _groups(db, period)
    helpful, unhelpful = await _feedback(db, period)
    given = dict(stats.by_kind).get(BY_FAQ, 0)  # questions the FAQ answered first
    if not (stats.overall.asked or still_open or given):
        return None
    report = Report(translator, period.language, period.timezone)
    t = report.t
    fields = [
        Field(
            t("questions.digest.groups"),
            t("questions.digest.groups_line", new=new, answered=answered, open=still_open),
        ),
        Field(t("questions.stats.overall"), report.timing(stats.overall)),
        Field(t("questions.digest.before"), report.timing(before.overall)),
    ]
    if stats.by_kind:
        lines = [t(f"questions.kind.{kind}", count=count) for kind, count in stats.by_kind]
        fields.append(Field(t("questions.stats.by_kind"), "\n".join(lines)))
    fields.append(
        Field(
            t("questions.digest.faq"),
            t("questions.digest.faq_line", given=given, helpful=helpful, unhelpful=unhelpful),
        )
    )
    return ReportSection(t("questions.digest.title"), tuple(fields), order=40)
