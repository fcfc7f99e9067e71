"""The review queue in the chat: hold and card, decisions, escalation, reminders, erasure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from bot.core.cards import Message
from bot.core.context import Context
from bot.core.errors import PermissionDenied, UserFacingError
from bot.core.model import Channel, Community, HoldOutcome, Member, MessageRef, PostedMessage, Role
from bot.core.services import Services
from cogs.netiquette.aftermath import UNDONE, carry_out_undone, left_undone, mark_applied
from cogs.netiquette.escalation import escalate
from cogs.netiquette.models import APPROVED, PENDING, WARNED, NetiquetteReview
from cogs.netiquette.render import REPORT, Renderer
from cogs.netiquette.service import Finding, ReviewService
from cogs.netiquette.settings import Config, SettingsStore

log = logging.getLogger(__name__)
REMIND = "netiquette-remind"
ERASE = "netiquette-erase"
AT_START = datetime(2000, 1, 1, tzinfo=UTC)  # a deadline long past: runs at the start
NOT_HELD = "none"
# Rules whose next breaches, while the first waits, join its review instead of a new card.
GROUPED = frozenset({"flood", "repeat"})

ButtonIds = Callable[[int], Callable[[str], str]]


class ReviewQueue:
    def __init__(
        self,
        services: Services,
        reviews: ReviewService,
        settings: SettingsStore,
        button_ids: ButtonIds,
    ) -> None:
        self.services = services
        self.reviews = reviews
        self.settings = settings
        self.button_ids = button_ids
        services.scheduler.on(REMIND, self._remind)
        services.scheduler.on(ERASE, self._erase)
        services.scheduler.on(UNDONE, partial(carry_out_undone, self))

    async def start(self) -> None:
        await self.reschedule()
        # At the scheduler's start, once the platforms are connected.
        for review_id in await left_undone(self.services.db, self.services.clock.now()):
            self.services.scheduler.schedule(UNDONE, str(review_id), AT_START)

    async def reschedule(self) -> None:
        """The reminders and erasures the rows hold: at start and on every re-arm round."""
        for review_id, when in await self.reviews.reminders():
            self.services.scheduler.schedule(REMIND, str(review_id), when)
        for review_id, when in await self.reviews.erasures():
            self.services.scheduler.schedule(ERASE, str(review_id), when)

    async def renderer(self, community: Community) -> Renderer:
        communities = self.services.communities
        return Renderer(
            self.services.translator,
            await communities.language(community),
            await communities.timezone(community),
        )

    @staticmethod
    def community_of(review: NetiquetteReview) -> Community:
        return Community(review.platform, review.community_id, "")

    async def review_channel(self, community: Community, config: Config) -> str | None:
        if config.review_channel_id:
            return config.review_channel_id
        platform = self.services.platforms.get(community.platform)
        channel = await platform.role_channel(community.id, Role.MODERATOR)
        return channel.id if channel else None

    def where(self, community: Community, channel_id: str) -> str:
        """A channel as its platform links it in a message (`<#id>`, `#name` on the console)."""
        platform = self.services.platforms.get(community.platform)
        return platform.channel_mention(
            Channel(community.platform, community.id, channel_id, channel_id)
        )

    async def tell(self, community: Community, member_id: str, channel_id: str, text: str) -> None:
        """A private word to a member: a DM, or where DMs are closed an ephemeral notice."""
        message = Message(text=text)
        try:
            if await self.services.outbox.dm(community, member_id, message) is None:
                await self.services.outbox.ephemeral(community, channel_id, member_id, message)
        except Exception:
            log.exception("could not reach the member", extra={"member": member_id})

    # -- into the queue ----------------------------------------------------------------

    async def hold(
        self,
        community: Community,
        message: PostedMessage,
        finding: Finding,
        *,
        thread_of: str | None,
        held: bool = True,
    ) -> tuple[int, bool]:
        """Hold `message` (when asked) and open its review; (review id, newly opened)."""
        renderer = await self.renderer(community)
        config = await self.settings.get(community)
        existing = await self.reviews.pending_for(
            community, message.ref.channel_id, message.ref.message_id
        )
        if existing is not None:
            return existing, False
        if finding.rule in GROUPED:
            lead = await self.reviews.lead_for(community, message.author.id, finding.rule)
            if lead is not None:
                await self._follow(community, message, finding, lead, thread_of, renderer)
                return lead, False
        outcome = NOT_HELD
        if held:
            platform = self.services.platforms.get(community.platform)
            notice = Message(text=renderer.t("netiquette.hold_notice"))
            outcome = (await platform.hold(message.ref, notice)).value
        now = self.services.clock.now()
        review_id, created = await self.reviews.open(
            message,
            finding,
            hold=outcome,
            now=now,
            remind_at=now + config.reminder,
            thread_of=thread_of,
        )
        if created:
            self.services.scheduler.schedule(REMIND, str(review_id), now + config.reminder)
            if outcome != NOT_HELD:
                key = (
                    "netiquette.dm.held_report"
                    if finding.rule == "report"
                    else "netiquette.dm.held"
                )
                await self.tell(
                    community,
                    message.author.id,
                    message.ref.channel_id,
                    renderer.t(
                        key,
                        name=message.author.shown_name,
                        channel=self.where(community, message.ref.channel_id),
                        rule=renderer.rule_name(finding.rule),
                    ),
                )
        return review_id, created

    async def _follow(
        self,
        community: Community,
        message: PostedMessage,
        finding: Finding,
        lead: int,
        thread_of: str | None,
        renderer: Renderer,
    ) -> None:
        """A flood goes on: hold this message too, on the first one's card and decision,
        with no new card and no new notice to its author."""
        platform = self.services.platforms.get(community.platform)
        notice = Message(text=renderer.t("netiquette.hold_notice"))
        outcome = (await platform.hold(message.ref, notice)).value
        await self.reviews.open(
            message,
            finding,
            hold=outcome,
            now=self.services.clock.now(),
            remind_at=None,
            thread_of=thread_of,
            parent_id=lead,
        )
        await self.refresh_card(lead)

    async def post_card(self, review_id: int) -> None:
        review = await self.reviews.view(review_id)
        if review is None:
            return
        community = self.community_of(review)
        channel_id = await self.review_channel(community, await self.settings.get(community))
        if channel_id is None:
            log.warning("no review channel: the review waits unseen", extra={"review": review_id})
            return
        message = await self._card_message(review)
        ref = await self.services.outbox.send(
            community, channel_id, message, key=f"netiquette-review:{review_id}"
        )
        await self.reviews.attach_card(review_id, ref.channel_id, ref.message_id)

    async def _card_message(self, review: NetiquetteReview) -> Message:
        community = self.community_of(review)
        renderer = await self.renderer(community)
        platform = self.services.platforms.get(community.platform)
        ref = MessageRef(review.platform, review.community_id, review.channel_id, review.message_id)
        link = await platform.message_link(ref)
        strikes = await self.reviews.active_strikes(
            community, review.author_id, self.services.clock.now()
        )
        followers = len(await self.reviews.followers(review.id))
        card = renderer.card(
            review,
            followers=followers,
            strikes=len(strikes),
            channel=self.where(community, review.channel_id),
            link=link,
            button_id=self.button_ids(review.id),
        )
        return Message(card=card)

    async def refresh_card(self, review_id: int, ctx: Context | None = None) -> None:
        review = await self.reviews.view(review_id)
        if review is None or review.card_message_id is None or review.card_channel_id is None:
            return
        ref = MessageRef(
            review.platform, review.community_id, review.card_channel_id, review.card_message_id
        )
        message = await self._card_message(review)
        try:
            if ctx is not None and ctx.message == ref:
                await ctx.update(message)
            else:
                await self.services.outbox.edit(ref, message)
        except Exception:
            log.exception("could not update the review card", extra={"review": review_id})

    # -- decisions ---------------------------------------------------------------------

    async def decide(self, ctx: Context, review_id: int, decision: str) -> None:
        if not ctx.member.has_role(Role.MODERATOR):
            raise PermissionDenied("netiquette.review.denied")
        review = await self.reviews.view(review_id)
        if review is None or (review.platform, review.community_id) != (
            ctx.community.platform,
            ctx.community.id,
        ):
            raise UserFacingError("netiquette.review.not_found", id=review_id)
        config = await self.settings.get(ctx.community)
        now = self.services.clock.now()
        erase_at = now + config.retention
        won = await self.reviews.decide(
            review_id,
            decision,
            ctx.member,
            now,
            erase_at=erase_at,
            strike_expires=now + config.strike_expiry,
        )
        renderer = Renderer(self.services.translator, ctx.language, ctx.timezone)
        if not won:
            decided = await self.reviews.view(review_id)
            assert decided is not None
            raise UserFacingError("netiquette.review.already", decision=renderer.decision(decided))
        scheduler = self.services.scheduler
        scheduler.cancel(REMIND, str(review_id))
        scheduler.schedule(ERASE, str(review_id), erase_at)
        followers = await self.reviews.followers(review_id)
        for follower in followers:
            scheduler.schedule(ERASE, str(follower.id), erase_at)
        await self.refresh_card(review_id, ctx)
        await self.carry_out(ctx.community, review, followers, decision, renderer, now)
        await ctx.reply(
            ctx.t(f"netiquette.review.done_{decision}", id=review_id, member=review.author_name),
            ephemeral=True,
        )

    async def carry_out(
        self,
        community: Community,
        review: NetiquetteReview,
        followers: list[NetiquetteReview],
        decision: str,
        renderer: Renderer,
        now: datetime,
    ) -> None:
        """What a decision does, then marked done: a start finds what a death left undone."""
        if decision == APPROVED:
            for restored in (review, *followers):
                await self._repost(community, restored, renderer)
            if review.hold != NOT_HELD:
                await self.tell(
                    community,
                    review.author_id,
                    review.channel_id,
                    renderer.t(
                        "netiquette.dm.approved",
                        name=review.author_name,
                        channel=self.where(community, review.channel_id),
                    ),
                )
        else:
            await self._reject(community, review, renderer, warned=decision == WARNED, now=now)
        await mark_applied(self.services.db, review.id, now)

    async def _repost(
        self, community: Community, review: NetiquetteReview, renderer: Renderer
    ) -> None:
        """Put a hidden message back under its author's name; one left in place stays."""
        if review.hold != HoldOutcome.HIDDEN.value or review.text is None:
            return
        platform = self.services.platforms.get(community.platform)
        author = Member(
            review.platform,
            review.community_id,
            review.author_id,
            review.author_name,
            review.author_name,
            avatar_url=review.author_avatar,
        )
        try:
            await platform.repost(
                community.id,
                review.channel_id,
                author,
                review.text,
                attribution=renderer.t("netiquette.attribution", member=review.author_name),
                thread_of=review.thread_of,
            )
        except Exception:
            log.exception("could not restore the message", extra={"review": review.id})

    async def _reject(
        self,
        community: Community,
        review: NetiquetteReview,
        renderer: Renderer,
        *,
        warned: bool,
        now: datetime,
    ) -> None:
        config = await self.settings.get(community)
        if review.hold in (NOT_HELD, HoldOutcome.FAILED.value):
            # Still in sight (a report, or a hold that failed): take it down now.
            platform = self.services.platforms.get(community.platform)
            ref = MessageRef(
                review.platform, review.community_id, review.channel_id, review.message_id
            )
            await platform.hold(ref, Message(text=renderer.t("netiquette.hold_notice")))
        strikes = len(await self.reviews.active_strikes(community, review.author_id, now))
        text = renderer.t(
            "netiquette.dm.rejected_report" if review.rule == REPORT else "netiquette.dm.rejected",
            name=review.author_name,
            channel=self.where(community, review.channel_id),
            rule=renderer.rule_name(review.rule),
            count=strikes,
        )
        if warned:
            text = f"{text}\n{renderer.t('netiquette.dm.warning')}"
        await self.tell(community, review.author_id, review.channel_id, text)
        await escalate(self, community, review, strikes, config, now)

    # -- what the author and the clock do ----------------------------------------------

    async def withdrawn(self, community: Community, channel_id: str, message_id: str) -> None:
        """A message still in sight (not hidden by us) was deleted before the decision."""
        review_id = await self.reviews.pending_for(community, channel_id, message_id)
        if review_id is None:
            return
        review = await self.reviews.view(review_id)
        if review is None or review.hold == HoldOutcome.HIDDEN.value:
            return  # the hold itself deleted it
        config = await self.settings.get(community)
        now = self.services.clock.now()
        if await self.reviews.withdraw(review_id, now, now + config.retention):
            self.services.scheduler.cancel(REMIND, str(review_id))
            self.services.scheduler.schedule(ERASE, str(review_id), now + config.retention)
            await self.refresh_card(review_id)

    async def _remind(self, key: str) -> None:
        review = await self.reviews.view(int(key))
        if review is None or review.state != PENDING:
            return
        if not await self.reviews.mark_reminded(review.id):
            return
        community = self.community_of(review)
        channel_id = review.card_channel_id or await self.review_channel(
            community, await self.settings.get(community)
        )
        if channel_id is None:
            return
        renderer = await self.renderer(community)
        text = renderer.t(
            "netiquette.remind",
            id=review.id,
            member=review.author_name,
            since=renderer.when(review.created_at),
        )
        await self.services.outbox.send(community, channel_id, Message(text=text))

    async def _erase(self, key: str) -> None:
        if await self.reviews.erase(int(key)):
            await self.refresh_card(int(key))
