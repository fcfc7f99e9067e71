"""What a round shows: a question with its counts, a round's state, an answer's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cogs.quizzes.models import QuizRound


class AnswerOutcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    CLOSED = "closed"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: int
    round_id: int
    platform: str
    community_id: str
    channel_id: str
    position: int
    count: int  # questions in the round
    seconds: int
    kind: str
    text: str
    answers: tuple[str, ...]
    right: int
    explanation: str
    state: str
    deadline: datetime | None
    message_id: str | None
    tallies: tuple[int, ...]
    round_state: str

    @property
    def answered(self) -> int:
        return sum(self.tallies)


@dataclass(frozen=True, slots=True)
class RoundInfo:
    id: int
    platform: str
    community_id: str
    channel_id: str
    bank_name: str
    state: str
    current: int
    question_count: int
    seconds: int
    started_at: datetime


def round_info(row: QuizRound) -> RoundInfo:
    return RoundInfo(
        row.id,
        row.platform,
        row.community_id,
        row.channel_id,
        row.bank_name,
        row.state,
        row.current,
        row.question_count,
        row.seconds,
        row.started_at,
    )
