"""An answer's press on its own: one answer a member, scored with the round's time, and
each refusal (a choice not on the card, a question closed or unknown) writing nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.quizzes.bank import Question
from cogs.quizzes.models import QuizAnswer
from cogs.quizzes.service import AnswerOutcome, QuestionView, RoundService

COMMUNITY = Community("console", "c1", "Test")
QUESTIONS = (Question("Capitale d'Italia?", ("Roma", "Milano", "Napoli")),)
STARTED = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
ALICE = Member("console", "c1", "alice", "Alice")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    await asyncio.to_thread(upgrade, database_url)
    database = Database(database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def _start(db: Database, seconds: int = 20) -> tuple[RoundService, QuestionView]:
    service = RoundService(db)
    first = await service.start(COMMUNITY, "general", None, "b", QUESTIONS, 1, seconds, STARTED)
    return service, first


async def _answers(db: Database) -> list[tuple[str, int, bool, int, int]]:
    async with db.session() as session:
        rows = await session.execute(
            select(
                QuizAnswer.member_id,
                QuizAnswer.choice,
                QuizAnswer.correct,
                QuizAnswer.elapsed_ms,
                QuizAnswer.points,
            ).order_by(QuizAnswer.member_id)
        )
        return list(rows.tuples())


async def test_an_answer_is_scored_with_the_rounds_time_and_counts_once(db: Database) -> None:
    service, question = await _start(db, seconds=20)
    five_seconds_in = STARTED + timedelta(seconds=5)
    outcome, shown = await service.answer(question.id, question.right, ALICE, five_seconds_in)
    assert outcome is AnswerOutcome.RECORDED
    assert shown is not None and shown.answers == question.answers
    assert shown.kind == question.kind
    wrong = (question.right + 1) % len(question.answers)
    again, _ = await service.answer(question.id, wrong, ALICE, five_seconds_in)
    assert again is AnswerOutcome.ALREADY
    # 1000 × (1 − 5 / (2 × 20)): the round's 20 seconds, not any other.
    assert await _answers(db) == [("alice", question.right, True, 5000, 875)]


async def test_a_wrong_answer_scores_nothing(db: Database) -> None:
    service, question = await _start(db)
    wrong = (question.right + 1) % len(question.answers)
    outcome, _ = await service.answer(question.id, wrong, ALICE, STARTED)
    assert outcome is AnswerOutcome.RECORDED
    assert await _answers(db) == [("alice", wrong, False, 0, 0)]


async def test_a_choice_not_on_the_card_is_refused_and_leaves_the_member_free(
    db: Database,
) -> None:
    service, question = await _start(db)
    for choice in (len(question.answers), -1):
        outcome, shown = await service.answer(question.id, choice, ALICE, STARTED)
        assert (outcome, shown) == (AnswerOutcome.NOT_FOUND, None)
    assert await _answers(db) == []
    outcome, _ = await service.answer(question.id, 0, ALICE, STARTED)
    assert outcome is AnswerOutcome.RECORDED


async def test_a_closed_or_unknown_question_takes_no_answer(db: Database) -> None:
    service, question = await _start(db, seconds=20)
    late, _ = await service.answer(question.id, 0, ALICE, STARTED + timedelta(seconds=21))
    assert late is AnswerOutcome.CLOSED
    assert await service.reveal(question.id)
    revealed, _ = await service.answer(question.id, 0, ALICE, STARTED)
    assert revealed is AnswerOutcome.CLOSED
    unknown, _ = await service.answer(question.id + 1000, 0, ALICE, STARTED)
    assert unknown is AnswerOutcome.NOT_FOUND
    assert await _answers(db) == []


async def test_a_member_pressing_many_times_at_once_answers_once(db: Database) -> None:
    service, question = await _start(db)
    outcomes = await asyncio.gather(
        *(service.answer(question.id, choice % 3, ALICE, STARTED) for choice in range(6))
    )
    assert sorted(outcome for outcome, _ in outcomes) == sorted(
        [AnswerOutcome.RECORDED] + [AnswerOutcome.ALREADY] * 5
    )
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(QuizAnswer)) == 1
