"""The live path: a message becomes a tracked, grouped question; a recurring group reaches
staff as one card, edited as more members ask; an answered group is answered by the FAQ."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from bot.core.cards import Message
from bot.core.events import MessageDeleted, MessagePosted
from bot.core.model import Channel, Community, Member, MessageRef, Role
from bot.core.pacing import Paced
from bot.core.services import Services
from cogs.questions import engine
from cogs.questions.faq import FaqService, FaqView
from cogs.questions.models import ANSWERED, BY_FAQ, BY_STAFF, DISMISSED, FORWARDED, OPEN
from cogs.questions.render import Translate, faq_answer, promote_card, staff_card
from cogs.questions.service import GroupView, QuestionService, QuestionView
from cogs.questions.settings import QuestionsConfig, SettingsService
from cogs.questions.tracking import AnswerTracking

log = logging.getLogger(__name__)
UNANSWERED = "question-unanswered"
CARD = "question-card"
# A forwarded group's card is edited for new askers at most this often.
CARD_GAP = timedelta(seconds=5)
# After a long downtime, older questions are history: telling staff about each of them at
# once would bury the staff channel.
STALE_AFTER = timedelta(days=7)
MAX_UNANSWERED_AFTER = timedelta(days=30)  # the longest `unanswered_after` a setting allows
# Longer messages are announcements or pasted logs, never a question to group: skipped
# before any work, so a 40,000-character message costs nothing.
MAX_QUESTION_TEXT = 1500
# The asker's own word that a member's reply solved it.
_SOLVED = re.compile(
    r"\b(grazie|grz|thx|thanks|thank you|ty|risolto|risolta|funziona|solved|fixed|works|"
    r"worked)\b",
    re.IGNORECASE,
)


def is_staff(member: Member) -> bool:
    return member.has_role(Role.STAFF) or member.has_role(Role.MODERATOR)


def says_solved(text: str) -> bool:
    return bool(_SOLVED.search(text)) and len(text) <= 300


class QuestionFlow:
    def __init__(
        self,
        services: Services,
        component: Callable[..., str],
        questions: QuestionService,
        tracking: AnswerTracking,
        faq: FaqService,
        settings: SettingsService,
    ) -> None:
        self.services = services
        self.component = component
        self.questions = questions
        self.tracking = tracking
        self.faq = faq
        self.settings = settings
        self.grouper = engine.Grouper()
        self._loaded: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        # A recurring question's card shows who asked: a burst of askers edits it once.
        self._card_for_askers = Paced(
            services.scheduler,
            services.clock,
            CARD,
            lambda key: self.refresh_card(int(key)),
            CARD_GAP,
        )

    # -- the grouper ---------------------------------------------------------------

    @staticmethod
    def key(community: Community) -> str:
        return f"{community.platform}:{community.id}"

    async def loaded(self, community: Community) -> str:
        """The grouper's key for a community, its groups read from the rows on first use."""
        key = self.key(community)
        if key not in self._loaded:
            async with self._locks.setdefault(key, asyncio.Lock()):
                if key not in self._loaded:
                    self.grouper.load(key, await self.questions.live_vectors(community))
                    self._loaded.add(key)
        return key

    async def t(self, community: Community) -> Translate:
        language = await self.services.communities.language(community)
        return partial(self.services.translator.gettext, language)

    def now(self) -> datetime:
        return self.services.clock.now()

    # -- messages ------------------------------------------------------------------

    async def on_message(self, event: MessagePosted) -> None:
        text = event.text
        if not text or event.channel.is_dm:
            return
        answers = event.reply_to or event.thread_of
        # A long, careful answer from staff is still an answer: only questions are capped.
        if answers is not None and await self._reply(event, answers):
            return
        if len(text) > MAX_QUESTION_TEXT or is_staff(event.author):
            return
        if not engine.is_question(text):
            return
        config = await self.settings.get(event.community)
        if not config.watches(event.channel.id):
            return
        await self.record(event, config)

    async def record(self, event: MessagePosted, config: QuestionsConfig) -> None:
        community = event.community
        key = await self.loaded(community)
        vector = await self.grouper.vector_soon(event.text)
        # Messages arrive concurrently: a burst of the same question must see each other's
        # groups, so matching, storing and indexing happen one at a time per community.
        async with self._locks.setdefault(key, asyncio.Lock()):
            hit = self.grouper.match(key, vector)
            question, state = await self.questions.record(
                community,
                event.channel.id,
                event.ref.message_id,
                event.author,
                event.text,
                vector,
                hit[0] if hit else None,
                self.now(),
            )
            self.grouper.add(key, question.group_id, vector)
        if state == DISMISSED:
            return  # staff said this is no question: kept, never forwarded or answered
        answered = state == ANSWERED and await self._answer_from_faq(
            community, config, question, event.author
        )
        if not answered:
            self.services.scheduler.schedule(
                UNANSWERED, str(question.id), question.asked_at + config.unanswered_after
            )
        await self.after_ask(community, config, question.group_id, state)

    async def after_ask(
        self, community: Community, config: QuestionsConfig, group_id: int, state: str
    ) -> None:
        """Forward a group that became recurring, once; otherwise bring its card up to date.
        Most questions are in a group of one or two askers: a count, nothing more."""
        if state == OPEN:
            askers = await self.questions.askers_since(group_id, self.now() - config.window)
            if askers >= config.min_askers:
                await self.forward(community, config, group_id)
            return
        await self._card_for_askers(str(group_id))

    async def forward(self, community: Community, config: QuestionsConfig, group_id: int) -> None:
        if not await self.questions.forward(group_id, self.now()):
            return
        group = await self.questions.group(group_id)
        assert group is not None
        if group.card_message_id is not None:
            # Forwarded before (its FAQ entry was removed since): the same card again.
            await self.refresh_card(group_id)
            return
        channel_id = await self.staff_channel(community, config)
        if channel_id is None:
            log.warning("no staff channel for recurring questions", extra={"group": group_id})
            await self.questions.unforward(group_id)
            return
        try:
            message = await self.card(group)
            ref = await self.services.outbox.send(
                community, channel_id, message, key=f"questions:{group_id}"
            )
        except Exception:
            await self.questions.unforward(group_id)
            raise
        await self.questions.set_card(group_id, ref.channel_id, ref.message_id)

    def where(self, community: Community, channel_id: str) -> str:
        """A channel as the platform names it in a message: #generale, <#C0123>."""
        platform = self.services.platforms.get(community.platform)
        return platform.channel_mention(
            Channel(community.platform, community.id, channel_id, channel_id)
        )

    async def staff_channel(self, community: Community, config: QuestionsConfig) -> str | None:
        if config.staff_channel_id:
            return config.staff_channel_id
        platform = self.services.platforms.get(community.platform)
        channel = await platform.role_channel(community.id, Role.STAFF)
        return channel.id if channel is not None else None

    async def card(self, group: GroupView) -> Message:
        platform = self.services.platforms.get(group.platform)
        links = [
            await platform.message_link(
                MessageRef(group.platform, group.community_id, item.channel_id, item.message_id)
            )
            for item in group.recent
        ]
        faq = await self.faq.for_group(group.id)
        t = await self.t(group.community)
        where = partial(self.where, group.community)
        return Message(card=staff_card(t, group, links, faq, self.component, where))

    async def refresh_card(self, group_id: int) -> None:
        """Edit the staff card where it was posted, by its stored ids (also after a restart)."""
        group = await self.questions.group(group_id)
        if group is None or group.card_channel_id is None or group.card_message_id is None:
            return
        ref = MessageRef(
            group.platform, group.community_id, group.card_channel_id, group.card_message_id
        )
        try:
            await self.services.outbox.edit(ref, await self.card(group))
        except Exception:
            log.exception("could not edit the staff card", extra={"group": group_id})

    # -- answers -------------------------------------------------------------------

    async def _answer_from_faq(
        self,
        community: Community,
        config: QuestionsConfig,
        question: QuestionView,
        member: Member,
    ) -> bool:
        """The FAQ's answer, in the question's thread; never in a channel where it is off,
        never to staff, never twice to one member for one group."""
        if not config.faq_answers_in(question.channel_id) or is_staff(member):
            return False
        entry = await self.faq.for_group(question.group_id)
        if entry is None:
            return False
        t = await self.t(community)
        mention = self.services.platforms.get(community.platform).mention(member)
        return await self.deliver(
            community, entry, question, t("questions.faq.auto_intro", member=mention), BY_FAQ
        )

    async def deliver(
        self,
        community: Community,
        entry: FaqView,
        question: QuestionView,
        intro: str,
        kind: str,
        by: str | None = None,
    ) -> bool:
        delivery = await self.faq.deliver(
            entry.id, question.group_id, question.id, question.member_id, self.now()
        )
        if delivery is None:
            return False
        t = await self.t(community)
        await self.services.outbox.send(
            community,
            question.channel_id,
            faq_answer(t, intro, entry, delivery, self.component),
            key=f"questions-answer:{delivery}",
            thread_of=question.message_id,
        )
        if await self.tracking.mark_answered(question.id, self.now(), kind, by):
            self.services.scheduler.cancel(UNANSWERED, str(question.id))
        return True

    async def _reply(self, event: MessagePosted, answers: str) -> bool:
        """A reply to a tracked question: staff's answer, a member's help, or the asker's
        thanks. False when it answers no tracked question (a thread under an announcement)."""
        community = event.community
        question = await self.tracking.by_message(community, event.channel.id, answers)
        if question is None:
            return False
        author = event.author
        now = self.now()
        if author.id == question.member_id:
            if says_solved(event.text) and await self.tracking.solved_by_helper(question.id):
                self.services.scheduler.cancel(UNANSWERED, str(question.id))
        elif not is_staff(author):
            await self.tracking.note_helper(question.id, event.ref.message_id, now)
        else:
            if await self.tracking.mark_answered(question.id, now, BY_STAFF, author.id):
                self.services.scheduler.cancel(UNANSWERED, str(question.id))
            await self._offer_promotion(community, question, author, event.text)
        return True

    async def _offer_promotion(
        self, community: Community, question: QuestionView, author: Member, text: str
    ) -> None:
        """Staff's reply to a forwarded question can become its FAQ answer with one button."""
        group = await self.questions.group(question.group_id)
        if group is None or group.state != FORWARDED or group.card_channel_id is None:
            return
        reply_id = await self.tracking.offer_reply(question.id, author, text, self.now())
        t = await self.t(community)
        card = promote_card(t, group, author.shown_name, text, reply_id, self.component)
        await self.services.outbox.send(
            community, group.card_channel_id, Message(card=card), key=f"questions-reply:{reply_id}"
        )

    # -- unanswered questions ------------------------------------------------------

    async def on_deleted(self, event: MessageDeleted) -> None:
        ref = event.ref
        question_id = await self.tracking.withdrawn(event.community, ref.channel_id, ref.message_id)
        if question_id is not None:
            self.services.scheduler.cancel(UNANSWERED, str(question_id))

    async def unanswered(self, key: str) -> None:
        question = await self.tracking.claim_unanswered(int(key))
        if question is None:
            return
        community = Community(question.platform, question.community_id, "")
        config = await self.settings.get(community)
        channel_id = await self.staff_channel(community, config)
        if channel_id is None:
            return
        t = await self.t(community)
        platform = self.services.platforms.get(community.platform)
        link = await platform.message_link(
            MessageRef(community.platform, community.id, question.channel_id, question.message_id)
        )
        text = t(
            "questions.unanswered",
            member=question.member_name,
            channel=self.where(community, question.channel_id),
            after=config.unanswered_after,
            text=question.text[:300],
        )
        await self.services.outbox.send(
            community,
            channel_id,
            Message(text=f"{text} {link}" if link else text),
            key=f"questions-unanswered:{question.id}",
        )

    async def reschedule(self) -> None:
        """At start and on every re-arm round: every question still waiting for an answer,
        from the rows; those due more than STALE_AFTER ago are left alone."""
        configs: dict[tuple[str, str], QuestionsConfig] = {}
        now = self.now()
        since = now - MAX_UNANSWERED_AFTER - STALE_AFTER
        for question_id, platform, community_id, asked_at in await self.tracking.unanswered(since):
            pair = (platform, community_id)
            if pair not in configs:
                configs[pair] = await self.settings.get(Community(platform, community_id, ""))
            due = asked_at + configs[pair].unanswered_after
            if due >= now - STALE_AFTER:
                self.services.scheduler.schedule(UNANSWERED, str(question_id), due)
