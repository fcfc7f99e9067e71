"""A question bank as the importers read it: questions, limits, and the errors of a file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.cards import MAX_BUTTON_LABEL

# What a button quiz can play. An answer is a button's label: Slack's hold 75 characters.
MAX_ANSWER = MAX_BUTTON_LABEL
MIN_ANSWERS = 2
MAX_ANSWERS = 5
MAX_QUESTION = 500
MAX_EXPLANATION = 500
MAX_CATEGORY = 60
MAX_QUESTIONS = 500
MAX_PROBLEMS_SHOWN = 15

TRUE_FALSE = "truefalse"
CHOICE = "choice"
# The answers of a true/false question: stored as these tokens, shown in each language.
TRUE = "true"
FALSE = "false"


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    answers: tuple[str, ...]  # the right one first
    explanation: str = ""
    category: str = ""
    difficulty: str = ""
    kind: str = CHOICE
    line: int = 0  # where it starts in its file

    @property
    def right(self) -> str:
        return self.answers[0]


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad line of a file: a catalog key and its parameters."""

    line: int
    key: str
    params: dict[str, object] = field(default_factory=dict)


class BankError(Exception):
    """A file that cannot be imported; every problem found, by line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = tuple(sorted(problems, key=lambda problem: problem.line))


def decode(data: bytes) -> str:
    """The file as text; a binary or non-UTF-8 file is refused as a whole."""
    if b"\x00" in data:
        raise BankError([Problem(0, "quizzes.file.binary")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BankError([Problem(line, "quizzes.file.not_utf8")]) from None
    if any(ord(char) < 32 and char not in "\t\n\r" for char in text):
        raise BankError([Problem(0, "quizzes.file.binary")])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check(question: Question, problems: list[Problem]) -> None:
    """Add what keeps one question from being played with buttons."""
    line = question.line
    if not question.text:
        problems.append(Problem(line, "quizzes.file.no_question"))
    elif len(question.text) > MAX_QUESTION:
        problems.append(Problem(line, "quizzes.file.question_too_long", {"limit": MAX_QUESTION}))
    if not question.answers or not question.answers[0]:
        problems.append(Problem(line, "quizzes.file.no_right_answer"))
        return
    if len(question.answers) < MIN_ANSWERS:
        problems.append(Problem(line, "quizzes.file.too_few_answers", {"limit": MIN_ANSWERS}))
    if len(question.answers) > MAX_ANSWERS:
        problems.append(Problem(line, "quizzes.file.too_many_answers", {"limit": MAX_ANSWERS}))
    for answer in question.answers:
        if not answer:
            problems.append(Problem(line, "quizzes.file.empty_answer"))
        elif len(answer) > MAX_ANSWER:
            problems.append(
                Problem(
                    line,
                    "quizzes.file.answer_too_long",
                    {"answer": answer[:30] + "…", "limit": MAX_ANSWER},
                )
            )
    folded = [answer.casefold() for answer in question.answers]
    if len(set(folded)) != len(folded):
        problems.append(Problem(line, "quizzes.file.duplicate_answers"))
    if len(question.explanation) > MAX_EXPLANATION:
        problems.append(
            Problem(line, "quizzes.file.explanation_too_long", {"limit": MAX_EXPLANATION})
        )
    if len(question.category) > MAX_CATEGORY:
        problems.append(Problem(line, "quizzes.file.category_too_long", {"limit": MAX_CATEGORY}))


def validate(questions: Sequence[Question], problems: list[Problem]) -> tuple[Question, ...]:
    """Every question checked, duplicates refused; raises with all problems, or returns."""
    seen: dict[str, int] = {}
    for question in questions:
        check(question, problems)
        folded = " ".join(question.text.casefold().split())
        if folded and folded in seen:
            problems.append(
                Problem(question.line, "quizzes.file.duplicate_question", {"first": seen[folded]})
            )
        seen.setdefault(folded, question.line)
    if len(questions) > MAX_QUESTIONS:
        problems.append(Problem(0, "quizzes.file.too_many_questions", {"limit": MAX_QUESTIONS}))
    if not questions and not problems:
        problems.append(Problem(0, "quizzes.file.no_questions"))
    if problems:
        raise BankError(problems)
    return tuple(questions)
