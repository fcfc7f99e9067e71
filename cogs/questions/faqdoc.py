"""The FAQ as Markdown: `## question` on one line, the answer below it, until the next `##`.

Lines before the first `##` (a `# title`, notes) are ignored, so an exported file can be
edited by hand and imported again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HEADING = "## "


@dataclass(frozen=True, slots=True)
class DocEntry:
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    entries: tuple[DocEntry, ...]
    skipped: int  # questions without an answer, or too long to keep


class NotText(ValueError):
    """The file is not UTF-8 text."""


def to_markdown(title: str, entries: Iterable[DocEntry]) -> str:
    parts = [f"# {title}", ""]
    for entry in entries:
        # A line of the answer that starts like a heading would split it on import.
        answer = "\n".join(
            f"\\{line}" if line.startswith("#") else line for line in entry.answer.splitlines()
        )
        parts.extend([f"{HEADING}{' '.join(entry.question.split())}", "", answer.strip(), ""])
    return "\n".join(parts)


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotText(str(error)) from None
    if "\x00" in text:
        raise NotText("binary")
    return text


def parse_markdown(text: str, max_question: int, max_answer: int) -> ParsedDoc:
    entries: list[DocEntry] = []
    skipped = 0
    question: str | None = None
    lines: list[str] = []

    def close() -> None:
        nonlocal skipped
        if question is None:
            return
        answer = "\n".join(line[1:] if line.startswith("\\#") else line for line in lines)
        answer = answer.strip()
        if not question or not answer or len(question) > max_question or len(answer) > max_answer:
            skipped += 1
            return
        entries.append(DocEntry(question, answer))

    for raw in text.splitlines():
        if raw.startswith(HEADING) or raw.rstrip() == HEADING.strip():
            close()
            question = raw[len(HEADING) :].strip() if raw.startswith(HEADING) else ""
            lines = []
        elif question is not None:
            lines.append(raw.rstrip())
    close()
    return ParsedDoc(tuple(entries), skipped)
