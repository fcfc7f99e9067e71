"""Digests: this week's figures live, built by the digest cog's own builder as `/digest
now` builds them, and the digests posted before, as they were posted.

A past digest is not rebuilt: the outbox keeps every card the bot sent (sent_messages), and
the digest's weekly claim (digest_runs) names its message, so the page shows exactly what
staff read that week. Only its chart, which a card keeps by file name, is drawn again by the
digest's chart code from the hourly rollups, which are counts kept for good."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from aiohttp import web
from sqlalchemy import select

from bot.core.cards import Card
from bot.core.errors import UserFacingError
from bot.core.model import Role
from bot.core.serialize import message_from_json
from bot.storage.models import SentMessage
from bot.web.access import Visit, page
from bot.web.cogs import loaded
from cogs.digest.chart import activity_chart
from cogs.digest.cog import DigestCog
from cogs.digest.figures import compute
from cogs.digest.models import DigestRun
from cogs.digest.render import DigestRenderer
from cogs.digest.week import Week, preview_week

PAST = 12
CURRENT = "current"


@dataclass(frozen=True, slots=True)
class Posted:
    week: date
    card: Card
    posted: str


async def _posted(visit: Visit) -> list[Posted]:
    community = visit.community
    async with visit.services.db.session() as session:
        runs = (
            await session.scalars(
                select(DigestRun)
                .where(
                    DigestRun.platform == community.platform,
                    DigestRun.community_id == community.id,
                    DigestRun.message_id.is_not(None),
                )
                .order_by(DigestRun.week.desc())
                .limit(PAST)
            )
        ).all()
        shown = []
        for run in runs:
            sent = await session.scalar(
                select(SentMessage)
                .where(
                    SentMessage.platform == community.platform,
                    SentMessage.community_id == community.id,
                    SentMessage.message_id == run.message_id,
                )
                .order_by(SentMessage.id.desc())
                .limit(1)
            )
            card = message_from_json(sent.content).card if sent is not None else None
            if card is not None:
                shown.append(Posted(run.week, card, visit.when(run.claimed_at)))
        return shown


@page(Role.STAFF)
async def overview(visit: Visit) -> web.StreamResponse:
    cog = loaded(visit.services, DigestCog)
    settings = await cog.digests.settings(visit.community)
    week = preview_week(visit.services.clock.now(), visit.timezone)
    live = await cog.builder.build(visit.community, week, settings, preview=True)
    return visit.render(
        "digests.html", live=live.card, posted=await _posted(visit), current=CURRENT
    )


async def _week(visit: Visit) -> Week:
    """The week a chart is asked for: this one, or one whose digest this community posted."""
    wanted = visit.request.match_info["week"]
    if wanted == CURRENT:
        return preview_week(visit.services.clock.now(), visit.timezone)
    try:
        end = date.fromisoformat(wanted)
    except ValueError:
        raise UserFacingError("web.digests.not_found") from None
    community = visit.community
    async with visit.services.db.session() as session:
        found = await session.scalar(
            select(DigestRun.id).where(
                DigestRun.platform == community.platform,
                DigestRun.community_id == community.id,
                DigestRun.week == end,
            )
        )
    if found is None:
        raise UserFacingError("web.digests.not_found")
    return Week(end, visit.timezone)


@page(Role.STAFF)
async def chart(visit: Visit) -> web.StreamResponse:
    week = await _week(visit)
    await visit.services.counters.flush()  # this process's counts not written yet
    async with visit.services.db.session() as session:
        figures = await compute(session, visit.community, week, names=False)
    labels = DigestRenderer(visit.services.translator, visit.language).chart_text(figures)
    drawn = await asyncio.to_thread(
        activity_chart,
        labels,
        [now for _, now, _ in figures.per_day],
        [before for _, _, before in figures.per_day],
    )
    return web.Response(body=drawn, content_type="image/png")


def setup(router: web.UrlDispatcher) -> None:
    base = "/c/{platform}/{community}/digests"
    router.add_get(base, overview)
    router.add_get(base + "/{week}.png", chart)
