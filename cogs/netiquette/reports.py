"""Members report a message the rules missed: one review card however many report it."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Community, PostedMessage
from bot.core.services import Services
from cogs.netiquette.render import REPORT
from cogs.netiquette.review import ReviewQueue
from cogs.netiquette.service import Finding

MAX_REASON = 300


class Reports:
    def __init__(self, services: Services, queue: ReviewQueue) -> None:
        self.services = services
        self.queue = queue

    async def report(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        if target.author.is_bot:
            raise UserFacingError("netiquette.report.bot")
        if target.author.id == ctx.member.id:
            raise UserFacingError("netiquette.report.own")
        community: Community = ctx.community
        config = await self.queue.settings.get(community)
        review_id, created = await self.queue.hold(
            community,
            target,
            Finding(REPORT, REPORT),
            thread_of=None,
            held=config.reports_held,
        )
        now = self.services.clock.now()
        count = await self.queue.reviews.add_report(review_id, ctx.member.id, now)
        if count is None:
            await ctx.reply(ctx.t("netiquette.report.again"), ephemeral=True)
            return
        # The reporter is in the audit for the moderators' records, never in a message.
        await self.queue.reviews.record(
            community,
            "reported",
            now,
            review_id=review_id,
            actor_id=ctx.member.id,
            member_id=target.author.id,
            rule=REPORT,
            detail=argument.strip()[:MAX_REASON],
        )
        if created:
            await self.queue.post_card(review_id)
        else:
            await self.queue.refresh_card(review_id)
        await ctx.reply(ctx.t("netiquette.report.thanks"), ephemeral=True)
