"""A round as it plays: cards posted, deadlines kept, reveals and advances done once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from bot.core.cards import Message
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Community, Member, MessageRef
from bot.core.services import Services
from cogs.quizzes.banks import BankStore
from cogs.quizzes.leaderboard import Leaderboards
from cogs.quizzes.models import FINISHED, RUNNING, STOPPED
from cogs.quizzes.render import QuizRenderer
from cogs.quizzes.schedule import ScheduleStore
from cogs.quizzes.service import AnswerOutcome, QuestionView, RoundService

log = logging.getLogger(__name__)
DEADLINE = "quiz-question"
START = "quiz-start"
REMIND = "quiz-remind"
REMINDER_LEAD = timedelta(minutes=10)
ComponentIds = Callable[..., str]


class QuizPlayer:
    def __init__(
        self,
        services: Services,
        component: ComponentIds,
        banks: BankStore,
        rounds: RoundService,
        boards: Leaderboards,
        schedules: ScheduleStore,
    ) -> None:
        self.services = services
        self.component = component
        self.banks = banks
        self.rounds = rounds
        self.boards = boards
        self.schedules = schedules
        services.scheduler.on(DEADLINE, self._deadline)
        services.scheduler.on(START, self._scheduled_start)
        services.scheduler.on(REMIND, self._reminder)

    async def renderer(self, community: Community) -> QuizRenderer:
        communities = self.services.communities
        return QuizRenderer(
            self.services.translator,
            await communities.language(community),
            await communities.timezone(community),
        )

    def _answer_ids(self, question_id: int) -> Callable[[int], str]:
        return lambda index: self.component("answer", question_id, index)

    async def restore(self) -> None:
        """Deadlines from the rows: open questions, scheduled quizzes and their reminders."""
        scheduler = self.services.scheduler
        for question_id, deadline in await self.rounds.open_deadlines():
            scheduler.schedule(DEADLINE, str(question_id), deadline)
        for schedule_id, starts_at, reminded in await self.schedules.pending():
            scheduler.schedule(START, str(schedule_id), starts_at)
            if not reminded:
                scheduler.schedule(REMIND, str(schedule_id), starts_at - REMINDER_LEAD)

    # -- a round -------------------------------------------------------------------

    async def begin(
        self,
        community: Community,
        channel_id: str,
        starter: Member | None,
        bank: str,
        count: int,
        seconds: int,
    ) -> QuestionView:
        questions = await self.banks.questions(community, bank)
        now = self.services.clock.now()
        first = await self.rounds.start(
            community, channel_id, starter, bank, questions, count, seconds, now
        )
        renderer = await self.renderer(community)
        try:
            opening = renderer.opening(bank, first.count, seconds)
            await self.services.outbox.send(community, channel_id, Message(text=opening))
            await self._post(community, first, renderer)
        except Exception:
            await self.rounds.discard(first.round_id)  # a round nobody sees must not go on
            raise
        return first

    async def _post(
        self, community: Community, question: QuestionView, renderer: QuizRenderer
    ) -> None:
        card = renderer.question(
            question, self._answer_ids(question.id), self.component("stop", question.round_id)
        )
        ref = await self.services.outbox.send(
            community, question.channel_id, Message(card=card), key=f"quiz-question:{question.id}"
        )
        await self.rounds.attach_message(question.id, ref.message_id)
        if question.deadline is not None:
            self.services.scheduler.schedule(DEADLINE, str(question.id), question.deadline)

    async def answer(self, ctx: Context, question_id: int, choice: int) -> None:
        outcome, question = await self.rounds.answer(
            question_id, choice, ctx.member, self.services.clock.now()
        )
        if outcome is AnswerOutcome.CLOSED:
            raise UserFacingError("quizzes.answer.closed")
        if outcome is AnswerOutcome.ALREADY:
            raise UserFacingError("quizzes.answer.already")
        if outcome is AnswerOutcome.NOT_FOUND or question is None:
            raise UserFacingError("errors.unknown_button")
        renderer = QuizRenderer(self.services.translator, ctx.language, ctx.timezone)
        label = renderer.label(question.kind, question.answers[choice])
        await ctx.reply(ctx.t("quizzes.answer.recorded", answer=label), ephemeral=True)

    async def _deadline(self, key: str) -> None:
        await self.close(int(key))

    async def _show_revealed(self, question: QuestionView, renderer: QuizRenderer) -> None:
        if question.message_id is None:
            return
        ref = MessageRef(
            question.platform, question.community_id, question.channel_id, question.message_id
        )
        card = renderer.revealed(question, self._answer_ids(question.id))
        try:
            await self.services.outbox.edit(ref, Message(card=card))
        except Exception:
            log.exception("could not reveal the quiz card", extra={"question": question.id})

    async def close(self, question_id: int) -> None:
        """At the deadline: reveal once, then the short leaderboard and the next question."""
        if not await self.rounds.reveal(question_id):
            return
        question = await self.rounds.view(question_id)
        if question is None:
            return
        community = Community(question.platform, question.community_id, "")
        renderer = await self.renderer(community)
        await self._show_revealed(question, renderer)
        if question.round_state != RUNNING:
            return
        standings = await self.boards.of_round(question.round_id)
        outbox = self.services.outbox
        following = await self.rounds.advance(
            question.round_id, question.position, self.services.clock.now()
        )
        if following is not None:
            board = renderer.after_question(question, standings)
            await outbox.send(community, question.channel_id, Message(card=board))
            await self._post(community, following, renderer)
            return
        info = await self.rounds.round(question.round_id)
        if info is not None and info.state == FINISHED:
            final = renderer.final(info.bank_name, standings, stopped=False)
            await outbox.send(
                community, question.channel_id, Message(card=final), key=f"quiz-final:{info.id}"
            )

    async def stop(self, community: Community, round_id: int) -> bool:
        stopped, closed = await self.rounds.stop(round_id, self.services.clock.now())
        if not stopped:
            return False
        renderer = await self.renderer(community)
        if closed is not None:
            self.services.scheduler.cancel(DEADLINE, str(closed))
            question = await self.rounds.view(closed)
            if question is not None:
                await self._show_revealed(question, renderer)
        info = await self.rounds.round(round_id)
        assert info is not None and info.state == STOPPED
        standings = await self.boards.of_round(round_id)
        await self.services.outbox.send(
            community,
            info.channel_id,
            Message(card=renderer.final(info.bank_name, standings, stopped=True)),
            key=f"quiz-final:{round_id}",
        )
        return True

    # -- scheduled quizzes ---------------------------------------------------------

    async def _reminder(self, key: str) -> None:
        found = await self.schedules.get(int(key))
        if found is None:
            return
        community, quiz = found
        # Caught up after the start time: the quiz itself is the news, not a reminder.
        if self.services.clock.now() >= quiz.starts_at:
            return
        if not await self.schedules.claim_reminder(quiz.id):
            return
        renderer = await self.renderer(community)
        card = renderer.announcement(quiz, reminder=True)
        await self.services.outbox.send(community, quiz.channel_id, Message(card=card))

    async def _scheduled_start(self, key: str) -> None:
        found = await self.schedules.get(int(key))
        if found is None or not await self.schedules.claim_start(int(key)):
            return
        community, quiz = found
        self.services.scheduler.cancel(REMIND, key)
        try:
            first = await self.begin(
                community, quiz.channel_id, None, quiz.bank, quiz.questions, quiz.seconds
            )
        except UserFacingError as error:
            await self.schedules.finish(quiz.id, None)
            renderer = await self.renderer(community)
            reason = renderer.t(error.key, **error.params)
            text = renderer.t("quizzes.schedule.failed", id=quiz.id, reason=reason)
            await self.services.outbox.send(community, quiz.channel_id, Message(text=text))
            return
        await self.schedules.finish(quiz.id, first.round_id)
