"""The review queue: held and reported posts, decided through the netiquette cog's own
queue, so the chat's card is edited and a post is decided once, here or there."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from sqlalchemy import select

from bot.core.errors import UserFacingError
from bot.core.model import MessageRef, Role
from bot.web.access import Visit, WebInteraction, page
from bot.web.cogs import loaded
from cogs.netiquette.cog import DECISION_BUTTONS, NetiquetteCog
from cogs.netiquette.models import PENDING, NetiquetteReview
from cogs.netiquette.render import Renderer

RECENT = 20


@dataclass(frozen=True, slots=True)
class Held:
    review: NetiquetteReview
    rule: str
    strikes: int
    link: str | None
    channel: str
    when: str
    decision: str | None
    followers: int


async def _reviews(visit: Visit, pending: bool) -> list[NetiquetteReview]:
    community = visit.community
    query = select(NetiquetteReview).where(
        NetiquetteReview.platform == community.platform,
        NetiquetteReview.community_id == community.id,
        NetiquetteReview.parent_id.is_(None),
    )
    if pending:
        query = query.where(NetiquetteReview.state == PENDING).order_by(NetiquetteReview.id)
    else:
        query = (
            query.where(NetiquetteReview.state != PENDING)
            .order_by(NetiquetteReview.decided_at.desc(), NetiquetteReview.id.desc())
            .limit(RECENT)
        )
    async with visit.services.db.session() as session:
        return list((await session.scalars(query)).all())


async def _shown(visit: Visit, cog: NetiquetteCog, rows: list[NetiquetteReview]) -> list[Held]:
    renderer = Renderer(visit.services.translator, visit.language, visit.timezone)
    platform = visit.services.platforms.get(visit.community.platform)
    now = visit.services.clock.now()
    shown = []
    for row in rows:
        strikes = await cog.reviews.active_strikes(visit.community, row.author_id, now)
        ref = MessageRef(row.platform, row.community_id, row.channel_id, row.message_id)
        shown.append(
            Held(
                row,
                renderer.rule_for_moderators(row.rule, row.pattern),
                len(strikes),
                await platform.message_link(ref),
                cog.queue.where(visit.community, row.channel_id),
                visit.when(row.created_at),
                renderer.decision(row) if row.state != PENDING else None,
                len(await cog.reviews.followers(row.id)) if row.state == PENDING else 0,
            )
        )
    return shown


@page(Role.MODERATOR)
async def queue(visit: Visit) -> web.StreamResponse:
    cog = loaded(visit.services, NetiquetteCog)
    return visit.render(
        "review.html",
        pending=await _shown(visit, cog, await _reviews(visit, pending=True)),
        decided=await _shown(visit, cog, await _reviews(visit, pending=False)),
        actions=list(DECISION_BUTTONS),
    )


@page(Role.MODERATOR)
async def decide(visit: Visit) -> web.StreamResponse:
    cog = loaded(visit.services, NetiquetteCog)
    decision = DECISION_BUTTONS.get(visit.request.match_info["action"])
    try:
        review_id = int(visit.request.match_info["review"])
    except ValueError:
        review_id = 0
    if decision is None or review_id <= 0:
        raise UserFacingError("netiquette.review.not_found", id=review_id)
    interaction = WebInteraction()
    try:
        await cog.queue.decide(visit.context(interaction), review_id, decision)
    except UserFacingError as error:
        if error.key != "netiquette.review.already":
            raise
        return visit.done("review", visit.t(error.key, **error.params))
    return visit.done("review", *interaction.replies)


def setup(router: web.UrlDispatcher) -> None:
    base = "/c/{platform}/{community}/review"
    router.add_get(base, queue)
    router.add_post(base + "/{review}/{action}", decide)
