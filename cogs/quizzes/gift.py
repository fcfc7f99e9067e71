"""Moodle's GIFT format, read and written for button quizzes.

Read as Moodle's own importer does (question/format/gift/format.php): questions are
separated by blank lines, `//` lines are comments, `$CATEGORY:` sets the category of what
follows, `::title::` names a question, `[html]`/`[plain]`/`[markdown]`/`[moodle]` set a
text's format, `\\~ \\= \\# \\{ \\} \\: \\\\` escape, `####` starts the general feedback and
`#` an answer's feedback. Multiple choice (`=` right, `~` wrong, `~%100%` right) and
true/false (`{T}`, `{FALSE#…#…}`) are played; every other type, and partial credit, is
reported by line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cogs.quizzes.bank import (
    CHOICE,
    FALSE,
    TRUE,
    TRUE_FALSE,
    BankError,
    Problem,
    Question,
    validate,
)

# Escaped characters become private-use characters while the structure is parsed.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003",
            "\\{": "\ue004", "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}  # fmt: skip
_RESTORE = {"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#", "\ue004": "{",
            "\ue005": "}", "\ue006": ":", "\ue007": "\n"}  # fmt: skip
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_TAG = re.compile(r"<[^>]*>")
_TRUE_WORDS = {"t", "true"}
_FALSE_WORDS = {"f", "false"}


@dataclass(frozen=True, slots=True)
class _Block:
    line: int
    text: str


def _protect(text: str) -> str:
    for escape, placeholder in _ESCAPES.items():
        text = text.replace(escape, placeholder)
    return text


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _blocks(text: str) -> Iterator[_Block]:
    """Blank lines separate questions; comment lines vanish wherever they are."""
    lines: list[str] = []
    start = 0
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if lines:
                yield _Block(start, "\n".join(lines))
            lines = []
            continue
        if not lines:
            start = number
        lines.append(line)


def _clean(text: str) -> str:
    """A text as members read it: its format marker gone, HTML reduced to its words."""
    found = _FORMAT.match(text)
    if found:
        text = text[found.end() :]
        if found.group(1).lower() == "html":
            text = html.unescape(_TAG.sub("", _restore(text)))
            return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
    text = _restore(text)
    return "\n".join(" ".join(line.split()) for line in text.strip().split("\n")).strip()


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _category(block: _Block) -> str:
    path = block.text.strip()[len("$CATEGORY:") :]
    path = re.sub(r"\[id:[^\]]*\]", "", path).strip()
    parts = [part.strip() for part in path.split("/") if part.strip()]
    parts = [part for part in parts if part not in ("$course$", "$system$", "$module$", "top")]
    return _restore(parts[-1]) if parts else ""


def _split_answers(body: str, line: int) -> list[tuple[str, str, int]]:
    """`=a ~b ~c` into (marker, text, line) in order."""
    answers: list[tuple[str, str, int]] = []
    current: list[str] = []
    marker = ""
    current_line = line
    for index, char in enumerate(body):
        if char in "=~":
            if marker or "".join(current).strip():
                answers.append((marker, "".join(current), current_line))
            marker, current = char, []
            current_line = line + body[:index].count("\n")
        else:
            current.append(char)
    if marker or "".join(current).strip():
        answers.append((marker, "".join(current), current_line))
    return answers


def _choice(
    text: str, body: str, block: _Block, body_line: int, general: str, problems: list[Problem]
) -> Question | None:
    answers = _split_answers(body, body_line)
    if answers and not answers[0][0]:
        problems.append(Problem(answers[0][2], "quizzes.gift.text_before_answers"))
        return None
    right: list[tuple[str, str]] = []
    wrong: list[str] = []
    for marker, raw, line in answers:
        answer, _, feedback = raw.partition("#")
        answer = answer.strip()
        weight = _WEIGHT.match(answer)
        percent = 100.0 if marker == "=" else 0.0
        if weight:
            percent = float(weight.group(1).replace(",", "."))
            answer = answer[weight.end() :]
        if percent not in (0.0, 100.0):
            problems.append(Problem(line, "quizzes.gift.partial_credit"))
            return None
        if "->" in answer:
            problems.append(Problem(block.line, "quizzes.gift.unsupported_matching"))
            return None
        if percent == 100.0:
            right.append((_one_line(answer), _clean(feedback)))
        else:
            wrong.append(_one_line(answer))
    if not wrong:
        problems.append(Problem(block.line, "quizzes.gift.unsupported_short_answer"))
        return None
    if len(right) > 1:
        problems.append(Problem(block.line, "quizzes.gift.several_right"))
        return None
    if not right:
        problems.append(Problem(block.line, "quizzes.file.no_right_answer"))
        return None
    answer, feedback = right[0]
    return Question(text, (answer, *wrong), general or feedback, kind=CHOICE, line=block.line)


def _true_false(text: str, word: str, feedback: list[str], block: _Block, general: str) -> Question:
    is_true = word in _TRUE_WORDS
    # Moodle: the first feedback is shown to who answers true, the second to who answers false.
    right_feedback = feedback[0] if is_true and feedback else ""
    if not is_true and len(feedback) > 1:
        right_feedback = feedback[1]
    answers = (TRUE, FALSE) if is_true else (FALSE, TRUE)
    return Question(
        text, answers, general or _clean(right_feedback), kind=TRUE_FALSE, line=block.line
    )


def _question(block: _Block, category: str, problems: list[Problem]) -> Question | None:
    raw = _protect(block.text)
    rest = raw.lstrip()
    if rest.startswith("::"):
        end = rest.find("::", 2)
        if end < 0:
            problems.append(Problem(block.line, "quizzes.gift.unclosed_title"))
            return None
        rest = rest[end + 2 :]
    start, finish = rest.find("{"), rest.rfind("}")
    if start < 0:
        key = "quizzes.gift.missing_open" if finish >= 0 else "quizzes.gift.description"
        problems.append(Problem(block.line, key))
        return None
    if finish < start:
        problems.append(Problem(block.line, "quizzes.gift.missing_close"))
        return None
    before, body, after = rest[:start], rest[start + 1 : finish], rest[finish + 1 :]
    if "{" in body or "}" in body:
        problems.append(Problem(block.line, "quizzes.gift.nested_braces"))
        return None
    body_line = block.line + raw[: len(raw) - len(rest) + start].count("\n")
    # A missing-word question: the blank stands where the answers were.
    tail = after.strip()
    gap = "" if tail[:1] in tuple(".,;:!?)»”") else " "
    text = _clean(f"{before.rstrip()} _____{gap}{tail}" if tail else before)
    body, _, general_raw = body.partition("####")
    general = _clean(general_raw)
    answer_text = body.strip()
    if not answer_text:
        problems.append(Problem(block.line, "quizzes.gift.unsupported_essay"))
        return None
    if answer_text.startswith("#"):
        problems.append(Problem(block.line, "quizzes.gift.unsupported_numeric"))
        return None
    word, *feedback = answer_text.split("#")
    question: Question | None
    if word.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        question = _true_false(text, word.strip().lower(), feedback, block, general)
    elif answer_text[0] not in "=~":
        problems.append(Problem(block.line, "quizzes.gift.text_before_answers"))
        return None
    else:
        question = _choice(text, body, block, body_line, general, problems)
    if question is None:
        return None
    return Question(
        question.text,
        question.answers,
        question.explanation,
        category,
        "",
        question.kind,
        question.line,
    )


def parse_gift(text: str) -> tuple[Question, ...]:
    """Every question of a GIFT file, or BankError with every bad line."""
    problems: list[Problem] = []
    questions: list[Question] = []
    category = ""
    for block in _blocks(text):
        if block.text.strip().startswith("$CATEGORY:"):
            category = _category(block)
            continue
        question = _question(block, category, problems)
        if question is not None:
            questions.append(question)
    return validate(questions, problems)


def _escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def write_gift(questions: Iterable[Question]) -> str:
    """A bank as GIFT that Moodle and this importer both read back."""
    out: list[str] = []
    category: str | None = None
    for number, question in enumerate(questions, start=1):
        if question.category != (category or ""):
            category = question.category
            out.append(f"$CATEGORY: {_escape(category)}\n")
        general = f"####{_escape(question.explanation)}" if question.explanation else ""
        head = f"::Q{number}:: {_escape(question.text)}"
        if question.kind == TRUE_FALSE:
            out.append(f"{head} {{{'TRUE' if question.right == TRUE else 'FALSE'}{general}}}\n")
            continue
        lines = [f"{head} {{", f"\t={_escape(question.right)}"]
        lines.extend(f"\t~{_escape(answer)}" for answer in question.answers[1:])
        if general:
            lines.append(f"\t{general}")
        lines.append("}\n")
        out.append("\n".join(lines))
    return "\n".join(out)


__all__ = ["BankError", "parse_gift", "write_gift"]
