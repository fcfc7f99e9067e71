"""Strikes escalate by the community's policy: a timeout, or a word to the admins."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.cards import Message
from bot.core.model import Community
from cogs.netiquette.models import NetiquetteReview
from cogs.netiquette.settings import Config

if TYPE_CHECKING:
    from cogs.netiquette.review import ReviewQueue

log = logging.getLogger(__name__)


async def escalate(
    queue: ReviewQueue,
    community: Community,
    review: NetiquetteReview,
    strikes: int,
    config: Config,
    now: datetime,
) -> None:
    """Apply the policy step a member just reached: a timeout, or a word to the admins."""
    member_id, member_name = review.author_id, review.author_name
    step = config.timeout_for(strikes)
    if step is None:
        return
    renderer = await queue.renderer(community)
    platform = queue.services.platforms.get(community.platform)
    until = now + step.timeout
    reason = renderer.t("netiquette.timeout_reason", count=strikes)
    try:
        done = await platform.timeout(community.id, member_id, until, reason)
    except Exception:
        log.exception("timeout failed", extra={"member": member_id})
        done = False
    await queue.reviews.record(
        community,
        "timeout" if done else "timeout_failed",
        now,
        member_id=member_id,
        detail=f"{strikes}:{int(step.timeout.total_seconds())}",
    )
    if done:
        note = renderer.t(
            "netiquette.escalation.done",
            member=member_name,
            count=strikes,
            until=renderer.when(until),
        )
        await queue.tell(
            community,
            member_id,
            review.channel_id,
            renderer.t("netiquette.dm.timed_out", until=renderer.when(until)),
        )
    else:
        note = renderer.t(
            "netiquette.escalation.admins",
            member=member_name,
            count=strikes,
            duration=renderer.span(step.timeout),
        )
    channel_id = await queue.review_channel(community, config)
    if channel_id is not None:
        await queue.services.outbox.send(community, channel_id, Message(text=note))
