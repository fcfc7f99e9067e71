"""Netiquette: check what members post, hold what breaks the rules, review it in the chat."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.core.cog import Cog, ComponentId
from bot.core.commands import Command, MessageAction
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.events import MemberJoined, MessageDeleted, MessageEdited, MessagePosted
from bot.core.model import Channel, Community, Member, PostedMessage, Role
from bot.core.privacy import PersonalData
from bot.core.reports import ReportPeriod, ReportSection
from bot.core.services import Services
from bot.storage.models import KnownMember
from cogs.netiquette.commands import NetiquetteCommands
from cogs.netiquette.digest import netiquette_section
from cogs.netiquette.engine import Checker, MessageContext, Severity, Verdict, warm_up
from cogs.netiquette.links import may_hold_link
from cogs.netiquette.models import APPROVED, REJECTED, WARNED
from cogs.netiquette.privacy import NetiquetteData
from cogs.netiquette.quick import ascii_fold
from cogs.netiquette.reports import Reports
from cogs.netiquette.review import ReviewQueue
from cogs.netiquette.rules import RuleStore
from cogs.netiquette.service import Finding, ReviewService
from cogs.netiquette.settings import SettingsStore

# Members who joined this recently are "new": stricter link rules apply to them.
NEW_MEMBER = timedelta(days=1)
# Join times are read once per member and process, not on every message: at most this many.
MAX_REMEMBERED = 50_000
DECISION_BUTTONS = {"approve": APPROVED, "reject": REJECTED, "warn": WARNED}


class NetiquetteCog(Cog):
    name = "netiquette"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.settings = SettingsStore(services.db)
        self._joined: dict[tuple[str, str, str], datetime | None] = {}
        self.rules = RuleStore(services.db)
        self.reviews = ReviewService(services.db)
        self.queue = ReviewQueue(services, self.reviews, self.settings, self._button_ids)
        self.reports = Reports(services, self.queue)
        self.handlers = NetiquetteCommands(services, self.rules, self.settings, self.reviews)

    def _button_ids(self, review_id: int) -> Callable[[str], str]:
        return lambda action: self.component(action, review_id)

    def personal_data(self) -> PersonalData:
        return NetiquetteData(self.services.db, self.queue.refresh_card)

    def commands(self) -> Sequence[Command]:
        return self.handlers.declare()

    def message_actions(self) -> Sequence[MessageAction]:
        return (MessageAction("report", "netiquette.action.report", self.reports.report),)

    async def start(self) -> None:
        # Off the event loop, before any message: the first one would wait for it.
        await asyncio.to_thread(warm_up, self.services.settings.cache_folder)
        await self.queue.start()

    async def reschedule(self) -> None:
        await self.queue.reschedule()

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        """The weekly digest's part: flagged and reported posts, and the decisions taken."""
        return await netiquette_section(self.services.db, self.services.translator, period)

    # -- checking what members write ---------------------------------------------------

    async def on_message_posted(self, event: MessagePosted) -> None:
        await self._check(event.community, event.channel, event.posted, event.thread_of)

    async def on_message_edited(self, event: MessageEdited) -> None:
        await self._check(event.community, event.channel, event.posted, event.thread_of)

    async def on_message_deleted(self, event: MessageDeleted) -> None:
        await self.queue.withdrawn(event.community, event.ref.channel_id, event.ref.message_id)

    async def _exempt(self, community: Community, author: Member) -> bool:
        if author.is_bot:
            return True
        if not author.has_role(Role.MODERATOR) and not author.has_role(Role.STAFF):
            return False
        return (await self.settings.get(community)).exempt_staff

    async def on_member_joined(self, event: MemberJoined) -> None:
        key = (event.community.platform, event.community.id, event.member.id)
        self._joined[key] = self.services.clock.now()

    async def _is_new(self, community: Community, member: Member) -> bool:
        key = (community.platform, community.id, member.id)
        if key not in self._joined:
            async with self.services.db.session() as session:
                joined = await session.scalar(
                    select(KnownMember.joined_at).where(
                        KnownMember.platform == community.platform,
                        KnownMember.community_id == community.id,
                        KnownMember.member_id == member.id,
                    )
                )
            if len(self._joined) >= MAX_REMEMBERED:
                self._joined.clear()
            self._joined[key] = joined
        joined_at = self._joined[key]
        return joined_at is not None and self.services.clock.now() - joined_at < NEW_MEMBER

    async def _check(
        self,
        community: Community,
        channel: Channel,
        message: PostedMessage,
        thread_of: str | None,
    ) -> None:
        if channel.is_dm or not message.text.strip():
            return
        if await self._exempt(community, message.author):
            return
        checker = await self.rules.checker(community)
        # Whether the author is new matters only to the links' limit: most messages hold no
        # link, and a member seen for the first time would cost a read of the database.
        plain = message.text if message.text.isascii() else ascii_fold(message.text)
        context = MessageContext(
            author_key=f"{community.platform}:{community.id}:{message.author.id}",
            at=self.services.clock.now(),
            is_new_member=may_hold_link(plain) and await self._is_new(community, message.author),
        )
        verdict = checker.check(message.text, context)
        if verdict is None:
            return
        await self._act(community, message, verdict, thread_of, _pattern(checker, verdict.rule))

    async def _act(
        self,
        community: Community,
        message: PostedMessage,
        verdict: Verdict,
        thread_of: str | None,
        pattern: str | None,
    ) -> None:
        finding = Finding(verdict.rule, verdict.category, verdict.span, pattern)
        now = self.services.clock.now()
        author = message.author
        if verdict.severity is Severity.HOLD:
            review_id, created = await self.queue.hold(
                community, message, finding, thread_of=thread_of
            )
            if created:
                await self.reviews.record(
                    community,
                    "held",
                    now,
                    review_id=review_id,
                    member_id=author.id,
                    rule=verdict.rule,
                )
                await self.queue.post_card(review_id)
            return
        await self.reviews.record(
            community,
            "warned" if verdict.severity is Severity.WARN else "logged",
            now,
            member_id=author.id,
            rule=verdict.rule,
            detail=f"{message.ref.channel_id}/{message.ref.message_id}",
        )
        if verdict.severity is Severity.WARN:
            renderer = await self.queue.renderer(community)
            text = renderer.t(
                "netiquette.dm.warned",
                name=author.shown_name,
                channel=self.queue.where(community, message.ref.channel_id),
                rule=renderer.rule_name(verdict.rule),
            )
            await self.queue.tell(community, author.id, message.ref.channel_id, text)

    # -- the review card's buttons -----------------------------------------------------

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        decision = DECISION_BUTTONS.get(component.action)
        review_id = component.number(0)
        if decision is None:
            raise UserFacingError("errors.unknown_button")
        await self.queue.decide(ctx, review_id, decision)


def _pattern(checker: Checker, rule: str) -> str | None:
    """A community rule's pattern, from the checker that matched it: no second read of
    the rules, which might meanwhile have changed."""
    if not rule.startswith("custom."):
        return None
    wanted = rule.removeprefix("custom.")
    return next((item.pattern for item in checker.config.custom if str(item.id) == wanted), None)
