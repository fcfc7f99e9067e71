"""A chat export as numbered messages: a CSV with a `text` column, or one message per line.
Anything else is an `ExportError` naming its catalog key, never a traceback."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

# A CSV cell may hold a whole post; it is skipped later, not a reason to refuse the file.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Message:
    line: int
    text: str


class ExportError(Exception):
    def __init__(self, key: str, params: dict[str, str]) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def read_export(path: Path) -> list[Message]:
    """The messages of the file at `path`, each with the 1-based line it starts on."""
    shown = str(path)
    if not path.is_file():
        raise ExportError("questions.analyze.missing", {"file": shown})
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(
            "questions.analyze.unreadable", {"file": shown, "reason": error.strerror or ""}
        ) from None
    if b"\0" in data:
        raise ExportError("questions.analyze.binary", {"file": shown})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(
            "questions.analyze.not_utf8", {"file": shown, "position": str(error.start)}
        ) from None
    if not text.strip():
        raise ExportError("questions.analyze.empty", {"file": shown})
    first = text.splitlines()[0]
    columns = _header(first)
    if "text" in columns:
        return _csv_messages(text, columns.index("text"), shown)
    if path.suffix.lower() == ".csv":
        raise ExportError(
            "questions.analyze.no_text_column", {"file": shown, "columns": ", ".join(columns)}
        )
    return [Message(number, line) for number, line in enumerate(text.splitlines(), start=1)]


def _header(line: str) -> list[str]:
    try:
        cells = next(csv.reader([line]), [])
    except csv.Error:
        return []
    return [cell.strip().lower() for cell in cells]


def _csv_messages(text: str, column: int, shown: str) -> list[Message]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    messages: list[Message] = []
    try:
        next(reader)
        start = reader.line_num + 1
        for row in reader:
            if len(row) > column:
                messages.append(Message(start, row[column]))
            start = reader.line_num + 1
    except csv.Error as error:
        reason = {"file": shown, "reason": str(error)}
        raise ExportError("questions.analyze.not_csv", reason) from None
    return messages
