"""Quiz rounds: start, answer, reveal, advance, stop; each change one conditional UPDATE."""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Integer, Table, bindparam, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.errors import UserFacingError
from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.prepared import Prepared
from cogs.quizzes.bank import TRUE_FALSE, Question
from cogs.quizzes.models import (
    FINISHED,
    OPEN,
    PENDING,
    REVEALED,
    RUNNING,
    STOPPED,
    QuizAnswer,
    QuizRound,
    QuizRoundQuestion,
)
from cogs.quizzes.scoring import points
from cogs.quizzes.views import AnswerOutcome, QuestionView, RoundInfo, round_info

# The tables, not the mapped classes, for an answer's two statements: the ORM's own
# handling of an UPDATE and of an INSERT cost more than the statements.
QUESTIONS = cast(Table, QuizRoundQuestion.__table__)
ROUNDS = cast(Table, QuizRound.__table__)
ANSWERS = cast(Table, QuizAnswer.__table__)
ANSWER_COLUMNS = (
    "question_id",
    "round_id",
    "member_id",
    "member_name",
    "choice",
    "correct",
    "elapsed_ms",
    "points",
    "answered_at",
)


@dataclass(frozen=True, slots=True)
class Answered:
    """What the reply to an answer shows: the question's kind and its answers."""

    kind: str
    answers: tuple[str, ...]


def _changed(result: object) -> bool:
    return bool(getattr(result, "rowcount", 0) == 1)


@functools.cache
def _lock_open_question() -> Prepared:
    """Locks a question still open at `now` and returns what scoring an answer needs,
    the round's seconds included."""
    seconds = select(ROUNDS.c.seconds).where(ROUNDS.c.id == QUESTIONS.c.round_id)
    return Prepared(
        update(QUESTIONS)
        .where(
            QUESTIONS.c.id == bindparam("question_id", type_=Integer),
            QUESTIONS.c.state == OPEN,
            QUESTIONS.c.deadline >= bindparam("now", type_=QUESTIONS.c.deadline.type),
        )
        .values(state=OPEN)
        .returning(
            QUESTIONS.c.round_id,
            QUESTIONS.c.kind,
            QUESTIONS.c.answers,
            QUESTIONS.c.right,
            QUESTIONS.c.opened_at,
            seconds.scalar_subquery().label("seconds"),
        )
    )


@functools.cache
def _record_answer() -> Prepared:
    """The answer, unless the member already gave one: no row returned then. Behind the
    question's lock the check sees every answer committed before; the unique key stays
    the last word."""
    # Each value typed by its column, so it is stored as the ORM would store it.
    given = {name: bindparam(name, type_=ANSWERS.c[name].type) for name in ANSWER_COLUMNS}
    mine = exists().where(
        ANSWERS.c.question_id == given["question_id"],
        ANSWERS.c.member_id == given["member_id"],
    )
    return Prepared(
        insert(ANSWERS)
        .from_select(ANSWER_COLUMNS, select(*given.values()).where(~mine))
        .returning(ANSWERS.c.id)
    )


class RoundService:
    def __init__(self, db: Database, rng: random.Random | None = None) -> None:
        self.db = db
        self.rng = rng or random.SystemRandom()

    async def start(
        self,
        community: Community,
        channel_id: str,
        starter: Member | None,
        bank_name: str,
        questions: tuple[Question, ...],
        count: int,
        seconds: int,
        now: datetime,
    ) -> QuestionView:
        """A new round in a channel with its first question open; one round per channel."""
        if not questions:
            raise UserFacingError("quizzes.bank.empty", name=bank_name)
        # A random subset, played in the bank's order: banks are often ordered by topic.
        picked = sorted(self.rng.sample(range(len(questions)), min(count, len(questions))))
        chosen = [questions[index] for index in picked]
        async with self.db.session() as session:
            row = QuizRound(
                platform=community.platform,
                community_id=community.id,
                channel_id=channel_id,
                bank_name=bank_name,
                started_by=starter.id if starter else "",
                seconds=seconds,
                question_count=len(chosen),
                current=0,
                state=RUNNING,
                started_at=now,
            )
            session.add(row)
            try:
                # Written first, read nothing before: the unique index on running rounds
                # answers "busy", also for a round another process started a moment ago.
                await session.flush()
            except IntegrityError:
                raise UserFacingError("quizzes.round.busy") from None
            for position, question in enumerate(chosen):
                order = list(range(len(question.answers)))
                if question.kind != TRUE_FALSE:
                    self.rng.shuffle(order)
                else:  # true before false, always: members read them in that order
                    order.sort(key=lambda index: question.answers[index] != "true")
                first = position == 0
                session.add(
                    QuizRoundQuestion(
                        round_id=row.id,
                        position=position,
                        kind=question.kind,
                        text=question.text,
                        answers=json.dumps(
                            [question.answers[index] for index in order], ensure_ascii=False
                        ),
                        right=order.index(0),
                        explanation=question.explanation,
                        state=OPEN if first else PENDING,
                        opened_at=now if first else None,
                        deadline=now + timedelta(seconds=seconds) if first else None,
                    )
                )
            await session.flush()
            question_id = await session.scalar(
                select(QuizRoundQuestion.id).where(
                    QuizRoundQuestion.round_id == row.id, QuizRoundQuestion.position == 0
                )
            )
            assert question_id is not None
            return await self._view(session, question_id)

    async def discard(self, round_id: int) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(QuizRound).where(QuizRound.id == round_id).values(state=STOPPED)
            )
            await session.execute(
                update(QuizRoundQuestion)
                .where(QuizRoundQuestion.round_id == round_id, QuizRoundQuestion.state == OPEN)
                .values(state=REVEALED)
            )

    async def attach_message(self, question_id: int, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(QuizRoundQuestion)
                .where(QuizRoundQuestion.id == question_id)
                .values(message_id=message_id)
            )

    async def answer(
        self, question_id: int, choice: int, member: Member, now: datetime
    ) -> tuple[AnswerOutcome, Answered | None]:
        """Two statements for a press: the open question locked and read, the answer
        inserted unless the member gave one; what the reply shows, for any outcome but
        NOT_FOUND."""
        try:
            async with self.db.writing() as session:
                # A no-op conditional UPDATE locks the open question: a reveal waits for it.
                locked = await _lock_open_question().rows(
                    session, {"question_id": question_id, "now": now}
                )
                if not locked:
                    found = await session.scalar(
                        select(QUESTIONS.c.id).where(QUESTIONS.c.id == question_id)
                    )
                    return (
                        (AnswerOutcome.CLOSED, None) if found else (AnswerOutcome.NOT_FOUND, None)
                    )
                question = locked[0]
                answered = Answered(question.kind, tuple(json.loads(question.answers)))
                if not 0 <= choice < len(answered.answers):
                    return AnswerOutcome.NOT_FOUND, None
                elapsed = max(int((now - question.opened_at).total_seconds() * 1000), 0)
                correct = choice == question.right
                recorded = await _record_answer().rows(
                    session,
                    {
                        "question_id": question_id,
                        "round_id": question.round_id,
                        "member_id": member.id,
                        "member_name": member.shown_name[:100],
                        "choice": choice,
                        "correct": correct,
                        "elapsed_ms": elapsed,
                        "points": points(correct, elapsed, question.seconds),
                        "answered_at": now,
                    },
                )
                outcome = AnswerOutcome.RECORDED if recorded else AnswerOutcome.ALREADY
                return outcome, answered
        except IntegrityError:
            # The same member twice at once, past the lock: the first click counts.
            return AnswerOutcome.ALREADY, None

    async def reveal(self, question_id: int) -> bool:
        """Close an open question; True only for the one call that closed it."""
        async with self.db.session() as session:
            result = await session.execute(
                update(QuizRoundQuestion)
                .where(QuizRoundQuestion.id == question_id, QuizRoundQuestion.state == OPEN)
                .values(state=REVEALED)
            )
            return _changed(result)

    async def advance(self, round_id: int, position: int, now: datetime) -> QuestionView | None:
        """Open the question after `position`, once; None when the round is over (or was
        advanced by someone else, or stopped)."""
        async with self.db.session() as session:
            moved = await session.execute(
                update(QuizRound)
                .where(
                    QuizRound.id == round_id,
                    QuizRound.state == RUNNING,
                    QuizRound.current == position,
                )
                .values(current=position + 1)
            )
            if not _changed(moved):
                return None
            round_row = await session.get_one(QuizRound, round_id)
            if position + 1 >= round_row.question_count:
                await session.execute(
                    update(QuizRound)
                    .where(QuizRound.id == round_id, QuizRound.state == RUNNING)
                    .values(state=FINISHED, ended_at=now)
                )
                return None
            await session.execute(
                update(QuizRoundQuestion)
                .where(
                    QuizRoundQuestion.round_id == round_id,
                    QuizRoundQuestion.position == position + 1,
                    QuizRoundQuestion.state == PENDING,
                )
                .values(
                    state=OPEN,
                    opened_at=now,
                    deadline=now + timedelta(seconds=round_row.seconds),
                )
            )
            question_id = await session.scalar(
                select(QuizRoundQuestion.id).where(
                    QuizRoundQuestion.round_id == round_id,
                    QuizRoundQuestion.position == position + 1,
                )
            )
            assert question_id is not None
            return await self._view(session, question_id)

    async def stop(self, round_id: int, now: datetime) -> tuple[bool, int | None]:
        """Stop a running round once; the question it closed, if one was open."""
        async with self.db.session() as session:
            stopped = await session.execute(
                update(QuizRound)
                .where(QuizRound.id == round_id, QuizRound.state == RUNNING)
                .values(state=STOPPED, ended_at=now)
            )
            if not _changed(stopped):
                return False, None
            open_id = await session.scalar(
                select(QuizRoundQuestion.id).where(
                    QuizRoundQuestion.round_id == round_id, QuizRoundQuestion.state == OPEN
                )
            )
            if open_id is None:
                return True, None
            closed = await session.execute(
                update(QuizRoundQuestion)
                .where(QuizRoundQuestion.id == open_id, QuizRoundQuestion.state == OPEN)
                .values(state=REVEALED)
            )
            return True, open_id if _changed(closed) else None

    async def view(self, question_id: int) -> QuestionView | None:
        async with self.db.session() as session:
            if await session.get(QuizRoundQuestion, question_id) is None:
                return None
            return await self._view(session, question_id)

    async def _view(self, session: AsyncSession, question_id: int) -> QuestionView:
        question = await session.get_one(QuizRoundQuestion, question_id, populate_existing=True)
        round_row = await session.get_one(QuizRound, question.round_id, populate_existing=True)
        answers = tuple(json.loads(question.answers))
        grouped = await session.execute(
            select(QuizAnswer.choice, func.count())
            .where(QuizAnswer.question_id == question_id)
            .group_by(QuizAnswer.choice)
        )
        counts = dict(grouped.tuples().all())
        return QuestionView(
            id=question.id,
            round_id=round_row.id,
            platform=round_row.platform,
            community_id=round_row.community_id,
            channel_id=round_row.channel_id,
            position=question.position,
            count=round_row.question_count,
            seconds=round_row.seconds,
            kind=question.kind,
            text=question.text,
            answers=answers,
            right=question.right,
            explanation=question.explanation,
            state=question.state,
            deadline=question.deadline,
            message_id=question.message_id,
            tallies=tuple(int(counts.get(index, 0)) for index in range(len(answers))),
            round_state=round_row.state,
        )

    async def round(self, round_id: int) -> RoundInfo | None:
        async with self.db.session() as session:
            row = await session.get(QuizRound, round_id, populate_existing=True)
            return round_info(row) if row is not None else None

    async def running_in(self, community: Community, channel_id: str) -> RoundInfo | None:
        async with self.db.session() as session:
            row = await session.scalar(
                select(QuizRound).where(
                    QuizRound.platform == community.platform,
                    QuizRound.community_id == community.id,
                    QuizRound.channel_id == channel_id,
                    QuizRound.state == RUNNING,
                )
            )
            return round_info(row) if row is not None else None

    async def open_deadlines(self) -> list[tuple[int, datetime]]:
        """Open questions of running rounds: the scheduler is rebuilt from these."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(QuizRoundQuestion.id, QuizRoundQuestion.deadline)
                .join(QuizRound, QuizRound.id == QuizRoundQuestion.round_id)
                .where(QuizRound.state == RUNNING, QuizRoundQuestion.state == OPEN)
            )
            return [(qid, deadline) for qid, deadline in rows.tuples() if deadline is not None]


__all__ = ["AnswerOutcome", "Answered", "QuestionView", "RoundInfo", "RoundService"]
