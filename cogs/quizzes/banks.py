"""Question banks of a community: import (all or nothing), list, read back, delete."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from bot.core.errors import UserFacingError
from bot.core.model import Attachment, Community, Member
from bot.storage.database import Database
from cogs.quizzes.bank import BankError, Problem, Question, decode
from cogs.quizzes.csvbank import parse_csv
from cogs.quizzes.gift import parse_gift
from cogs.quizzes.models import QuizBank, QuizQuestion

NAME = re.compile(r"^[\w-]{1,40}$")


@dataclass(frozen=True, slots=True)
class BankSummary:
    name: str
    questions: int
    source: str
    categories: int
    created_at: datetime


def bank_name(raw: str) -> str:
    name = raw.strip().casefold()
    if not NAME.match(name):
        raise UserFacingError("quizzes.bank.bad_name", name=raw[:60])
    return name


def read_file(attachment: Attachment) -> tuple[str, tuple[Question, ...]]:
    """The file's format and its questions; BankError lists every problem by line."""
    text = decode(attachment.data)
    lowered = attachment.filename.casefold()
    if lowered.endswith((".csv", ".tsv")):
        return "csv", parse_csv(text)
    if lowered.endswith((".gift", ".txt")):
        return "gift", parse_gift(text)
    # No telling extension: a GIFT file always has an answer block.
    if "{" in text and "}" in text:
        return "gift", parse_gift(text)
    if "\n" in text.strip():
        return "csv", parse_csv(text)
    raise BankError([Problem(0, "quizzes.file.unknown_format")])


class BankStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        community: Community,
        name: str,
        source: str,
        questions: tuple[Question, ...],
        author: Member,
        now: datetime,
    ) -> None:
        try:
            async with self.db.session() as session:
                bank = QuizBank(
                    platform=community.platform,
                    community_id=community.id,
                    name=name,
                    source=source,
                    created_by=author.id,
                    created_at=now,
                )
                session.add(bank)
                await session.flush()
                session.add_all(
                    QuizQuestion(
                        bank_id=bank.id,
                        position=position,
                        kind=question.kind,
                        text=question.text,
                        answers=json.dumps(question.answers, ensure_ascii=False),
                        explanation=question.explanation,
                        category=question.category,
                        difficulty=question.difficulty,
                    )
                    for position, question in enumerate(questions)
                )
        except IntegrityError:
            raise UserFacingError("quizzes.bank.exists", name=name) from None

    async def summaries(self, community: Community) -> list[BankSummary]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    QuizBank.name,
                    QuizBank.source,
                    QuizBank.created_at,
                    func.count(QuizQuestion.id),
                    func.count(func.distinct(QuizQuestion.category)),
                )
                .join(QuizQuestion, QuizQuestion.bank_id == QuizBank.id, isouter=True)
                .where(QuizBank.platform == community.platform)
                .where(QuizBank.community_id == community.id)
                .group_by(QuizBank.id, QuizBank.name, QuizBank.source, QuizBank.created_at)
                .order_by(QuizBank.name)
            )
            return [
                BankSummary(name, int(count), source, int(categories), created)
                for name, source, created, count, categories in rows.tuples()
            ]

    async def questions(self, community: Community, name: str) -> tuple[Question, ...]:
        """The bank's questions in their order; an unknown bank is a clear answer."""
        async with self.db.session() as session:
            bank_id = await session.scalar(
                select(QuizBank.id).where(
                    QuizBank.platform == community.platform,
                    QuizBank.community_id == community.id,
                    QuizBank.name == name,
                )
            )
            if bank_id is None:
                raise UserFacingError("quizzes.bank.unknown", name=name)
            rows = await session.scalars(
                select(QuizQuestion)
                .where(QuizQuestion.bank_id == bank_id)
                .order_by(QuizQuestion.position)
            )
            return tuple(
                Question(
                    row.text,
                    tuple(json.loads(row.answers)),
                    row.explanation,
                    row.category,
                    row.difficulty,
                    row.kind,
                )
                for row in rows.all()
            )

    async def delete(self, community: Community, name: str) -> bool:
        """One statement; the questions go with the bank (ON DELETE CASCADE)."""
        async with self.db.session() as session:
            result = await session.execute(
                delete(QuizBank).where(
                    QuizBank.platform == community.platform,
                    QuizBank.community_id == community.id,
                    QuizBank.name == name,
                )
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]
