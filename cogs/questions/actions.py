"""What staff and members do with the cards: answer a group, dismiss it, merge two,
promote a staff reply to the FAQ, and tell whether the FAQ's answer helped."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.cards import Card, Form, FormField, Message
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Community, Member, Role
from cogs.questions.faq import HELPFUL, NOT_HELPFUL, FaqView, Feedback
from cogs.questions.flow import QuestionFlow
from cogs.questions.models import BY_STAFF, FORWARDED, LIVE_STATES, OPEN
from cogs.questions.render import ANSWER_EXCERPT, GREEN, excerpt
from cogs.questions.service import GroupView

MAX_ANSWER = 1800  # a Discord message holds 2,000 characters, the question's title included
MAX_FAQ_QUESTION = 300


def checked_answer(text: str | None) -> str:
    answer = (text or "").strip()
    if not answer:
        raise UserFacingError("questions.answer_empty")
    if len(answer) > MAX_ANSWER:
        raise UserFacingError("questions.answer_too_long", limit=MAX_ANSWER, length=len(answer))
    return answer


def checked_question(text: str | None) -> str:
    question = " ".join((text or "").split())
    if not question:
        raise UserFacingError("questions.faq.question_empty")
    if len(question) > MAX_FAQ_QUESTION:
        raise UserFacingError("questions.faq.question_too_long", limit=MAX_FAQ_QUESTION)
    return question


class StaffActions:
    def __init__(self, flow: QuestionFlow) -> None:
        self.flow = flow

    async def _group(self, ctx: Context, group_id: int) -> GroupView:
        group = await self.flow.questions.group(group_id)
        if group is None or (group.platform, group.community_id) != (
            ctx.community.platform,
            ctx.community.id,
        ):
            raise UserFacingError("questions.group_not_found", id=group_id)
        return group

    # -- answer --------------------------------------------------------------------

    async def open_answer_form(self, ctx: Context, group_id: int) -> None:
        ctx.require(Role.STAFF)
        group = await self._group(ctx, group_id)
        if group.state not in LIVE_STATES:
            raise UserFacingError("questions.group_closed", id=group_id)
        await ctx.open_form(
            Form(
                custom_id=self.flow.component("answer", group_id),
                title=ctx.t("questions.form.answer_title", id=group_id),
                fields=(
                    FormField(
                        "answer",
                        ctx.t("questions.form.answer"),
                        multiline=True,
                        max_length=MAX_ANSWER,
                    ),
                    FormField(
                        "question",
                        ctx.t("questions.form.question"),
                        required=False,
                        max_length=MAX_FAQ_QUESTION,
                        placeholder=excerpt(group.representative, 100),
                    ),
                ),
            )
        )

    async def submit_answer(self, ctx: Context, group_id: int, values: Mapping[str, str]) -> None:
        ctx.require(Role.STAFF)
        answer = checked_answer(values.get("answer"))
        typed = values.get("question", "").strip()
        question = checked_question(typed) if typed else None
        entry = await self.answer_group(ctx.community, group_id, answer, question, ctx.member)
        await ctx.reply(ctx.t("questions.answered", id=group_id, entry=entry.id), ephemeral=True)

    async def answer_group(
        self,
        community: Community,
        group_id: int,
        answer: str,
        question: str | None,
        by: Member,
    ) -> FaqView:
        """Store the answer in the FAQ, reply to everyone who asked, edit the staff card."""
        flow = self.flow
        group = await flow.questions.group(group_id)
        if group is None or group.state not in LIVE_STATES:
            raise UserFacingError("questions.group_closed", id=group_id)
        now = flow.now()
        entry = await flow.faq.for_group(group_id)
        if entry is not None:
            text = question or entry.question
            vector = await flow.grouper.vector_soon(text)
            edited = await flow.faq.edit(entry.id, now, question=text, answer=answer, vector=vector)
            entry = edited or entry
        else:
            text = question or " ".join(group.representative.split())[:MAX_FAQ_QUESTION]
            vector = await flow.grouper.vector_soon(text)
            entry = await flow.faq.add(community, text, answer, vector, by.id, now, group_id)
            # The FAQ's own wording of the question joins the group's paraphrases.
            flow.grouper.add(await flow.loaded(community), group_id, vector)
        if group.state in (OPEN, FORWARDED):
            await flow.questions.set_answered(group_id)
        await self._reply_to_askers(community, group_id, entry, by)
        await flow.refresh_card(group_id)
        return entry

    async def _reply_to_askers(
        self, community: Community, group_id: int, entry: FaqView, by: Member
    ) -> None:
        flow = self.flow
        config = await flow.settings.get(community)
        t = await flow.t(community)
        platform = flow.services.platforms.get(community.platform)
        answered = await flow.faq.answered_members(group_id)
        for question in await flow.questions.open_questions(group_id):
            if question.member_id in answered or not config.faq_answers_in(question.channel_id):
                continue
            asker = Member(
                community.platform, community.id, question.member_id, question.member_name
            )
            intro = t("questions.answer_intro", member=platform.mention(asker))
            await flow.deliver(community, entry, question, intro, BY_STAFF, by.id)

    # -- dismiss and merge ---------------------------------------------------------

    async def dismiss(self, ctx: Context, group_id: int) -> None:
        ctx.require(Role.STAFF)
        await self._group(ctx, group_id)
        if not await self.flow.questions.dismiss(group_id):
            raise UserFacingError("questions.group_closed", id=group_id)
        await self._show(ctx, group_id)
        await ctx.reply(ctx.t("questions.dismissed", id=group_id), ephemeral=True)

    async def _show(self, ctx: Context, group_id: int) -> None:
        """The pressed card itself, redrawn; the stored card when it is another message."""
        group = await self.flow.questions.group(group_id)
        if group is None:
            return
        if ctx.message is not None and ctx.message.message_id == group.card_message_id:
            await ctx.update(await self.flow.card(group))
        else:
            await self.flow.refresh_card(group_id)

    async def open_merge_form(self, ctx: Context, group_id: int) -> None:
        ctx.require(Role.STAFF)
        await self._group(ctx, group_id)
        await ctx.open_form(
            Form(
                custom_id=self.flow.component("merge", group_id),
                title=ctx.t("questions.form.merge_title", id=group_id),
                fields=(
                    FormField(
                        "group",
                        ctx.t("questions.form.merge_group"),
                        max_length=12,
                        placeholder="12",
                    ),
                ),
            )
        )

    async def submit_merge(self, ctx: Context, group_id: int, values: Mapping[str, str]) -> None:
        ctx.require(Role.STAFF)
        typed = values.get("group", "").strip().lstrip("#")
        if not typed.isdigit():
            raise UserFacingError("questions.merge_number", value=typed[:20])
        other_id = int(typed)
        keep = await self._group(ctx, group_id)
        other = await self._group(ctx, other_id)
        if other_id == group_id:
            raise UserFacingError("questions.merge_self")
        if keep.state not in LIVE_STATES:
            raise UserFacingError("questions.group_closed", id=group_id)
        if other.state not in LIVE_STATES:
            raise UserFacingError("questions.group_closed", id=other_id)
        flow = self.flow
        key = await flow.loaded(ctx.community)
        vectors = await flow.questions.merge(group_id, other_id)
        if vectors is None:
            raise UserFacingError("questions.group_closed", id=other_id)
        flow.grouper.forget_group(key, other_id)
        flow.grouper.load(key, ((group_id, vector) for vector in vectors))
        await flow.refresh_card(other_id)
        await self._show(ctx, group_id)
        if keep.state == OPEN:  # the askers it gained may make it recurring
            config = await flow.settings.get(ctx.community)
            await flow.after_ask(ctx.community, config, group_id, OPEN)
        await ctx.reply(ctx.t("questions.merged", id=other_id, into=group_id), ephemeral=True)

    # -- staff's reply to the FAQ --------------------------------------------------

    async def promote(self, ctx: Context, reply_id: int) -> None:
        ctx.require(Role.STAFF)
        claimed = await self.flow.tracking.claim_reply(reply_id, ctx.community)
        if claimed is None:
            raise UserFacingError("questions.promote_done")
        group_id, text = claimed
        answer = text.strip()[:MAX_ANSWER]
        entry = await self.answer_group(ctx.community, group_id, answer, None, ctx.member)
        done = Card(
            title=ctx.t("questions.promoted", id=group_id, entry=entry.id),
            text=excerpt(answer, ANSWER_EXCERPT),
            color=GREEN,
        )
        await ctx.update(Message(card=done))

    # -- helpful or not ------------------------------------------------------------

    async def feedback(self, ctx: Context, delivery_id: int, helpful: bool) -> None:
        flow = self.flow
        value = HELPFUL if helpful else NOT_HELPFUL
        result = await flow.faq.feedback(delivery_id, ctx.member.id, value)
        if result.outcome is Feedback.GONE:
            raise UserFacingError("errors.unknown_button")
        if result.outcome is Feedback.NOT_YOURS:
            raise UserFacingError("questions.feedback_not_yours")
        if result.outcome is Feedback.ALREADY:
            raise UserFacingError("questions.feedback_already")
        await ctx.reply(
            ctx.t("questions.thanks_helpful" if helpful else "questions.thanks_not_helpful"),
            ephemeral=True,
        )
        entry = result.entry
        if helpful or entry is None or result.group_id is None:
            return
        config = await flow.settings.get(ctx.community)
        if entry.not_helpful >= config.not_helpful_limit:
            await self._back_to_staff(ctx.community, result.group_id, entry)

    async def _back_to_staff(self, community: Community, group_id: int, entry: FaqView) -> None:
        """The answer did not help enough members: staff sees the group again."""
        flow = self.flow
        if not await flow.questions.reopen(group_id):
            return
        config = await flow.settings.get(community)
        channel_id = await flow.staff_channel(community, config)
        group = await flow.questions.group(group_id)
        if group is None or channel_id is None:
            return
        t = await flow.t(community)
        if group.card_message_id is None:
            message = await flow.card(group)
            ref = await flow.services.outbox.send(
                community, channel_id, message, key=f"questions:{group_id}"
            )
            await flow.questions.set_card(group_id, ref.channel_id, ref.message_id)
        else:
            await flow.refresh_card(group_id)
        await flow.services.outbox.send(
            community,
            channel_id,
            Message(
                text=t(
                    "questions.back_to_staff", id=group_id, entry=entry.id, count=entry.not_helpful
                )
            ),
        )
