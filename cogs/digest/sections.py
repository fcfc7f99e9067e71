"""A digest assembled: the rollups' figures, the tag report, every other cog's section and
the chart, for one community and week."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import select

from bot.core.cards import Card
from bot.core.model import Community
from bot.core.reports import ReportPeriod, ReportSection
from bot.core.services import Services
from bot.storage.models import KnownMember
from cogs.digest.chart import activity_chart
from cogs.digest.figures import Figures, compute, prune
from cogs.digest.render import MAX_CHANNELS, DigestRenderer
from cogs.digest.service import Settings
from cogs.digest.tags import TagService
from cogs.digest.week import Week

log = logging.getLogger(__name__)
OWN_SECTIONS = ("members", "activity", "responses", "tags")


@dataclass(frozen=True, slots=True)
class Digest:
    figures: Figures
    sections: tuple[ReportSection, ...]
    card: Card


class DigestBuilder:
    def __init__(self, services: Services, tags: TagService, own_name: str) -> None:
        self.services = services
        self.tags = tags
        self.own_name = own_name

    async def _member_names(self, community: Community, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        async with self.services.db.session() as session:
            rows = await session.execute(
                select(KnownMember.member_id, KnownMember.name).where(
                    KnownMember.platform == community.platform,
                    KnownMember.community_id == community.id,
                    KnownMember.member_id.in_(ids),
                )
            )
            return {member_id: name for member_id, name in rows}

    async def _channel_names(self, community: Community, figures: Figures) -> dict[str, str]:
        platform = self.services.platforms.get(community.platform)
        names: dict[str, str] = {}
        for channel_id, _ in figures.per_channel[:MAX_CHANNELS]:
            channel = await platform.resolve_channel(community.id, channel_id)
            names[channel_id] = platform.channel_mention(channel) if channel else channel_id
        return names

    async def _cog_sections(self, period: ReportPeriod, settings: Settings) -> list[ReportSection]:
        found: list[ReportSection] = []
        for cog in self.services.cogs:
            if cog.name == self.own_name or not settings.includes(cog.name):
                continue
            try:
                section = await cog.report_section(period)
            except Exception:
                # One cog's broken section must not cost the staff the whole digest.
                log.exception("report section failed", extra={"cog": cog.name})
                continue
            if section is not None:
                found.append(section)
        return found

    async def build(
        self, community: Community, week: Week, settings: Settings, *, preview: bool
    ) -> Digest:
        services = self.services
        language = await services.communities.language(community)
        await services.counters.flush()  # this process's counts not written yet
        async with services.db.session() as session:
            figures = await compute(session, community, week, names=settings.names)
            await prune(session, services.clock.now())
        renderer = DigestRenderer(services.translator, language)
        channels = await self._channel_names(community, figures)
        members = await self._member_names(community, [m for m, _ in figures.top_members])
        sections = renderer.own_sections(
            figures, lambda channel: channels.get(channel, channel), members, settings.includes
        )
        if settings.includes("tags"):
            tag_section = renderer.tag_section(
                await self.tags.report(community, week.since, week.until)
            )
            if tag_section is not None:
                sections.append(tag_section)
        period = ReportPeriod(
            community=community,
            since=week.since,
            until=week.until,
            previous_since=week.previous_since,
            language=language,
            timezone=week.timezone,
            name_members=settings.names,
        )
        sections.extend(await self._cog_sections(period, settings))
        chart = await asyncio.to_thread(
            activity_chart,
            renderer.chart_text(figures),
            [now for _, now, _ in figures.per_day],
            [before for _, _, before in figures.per_day],
        )
        card = renderer.card(figures, sections, chart, preview=preview)
        return Digest(figures, tuple(sections), card)
