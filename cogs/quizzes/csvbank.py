"""Question banks as CSV: a header row, one question a row, the delimiter sniffed.

Columns are found by their header, in Italian or English: question/domanda, answer
(right, correct, risposta, giusta, corretta), wrong answers (several columns named wrong…
/sbagliata…, or one column with answers separated by `|`), explanation/spiegazione,
category/categoria, difficulty/difficoltà. Italian Excel writes `;`, others `,` or tabs.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable

from cogs.quizzes.bank import CHOICE, BankError, Problem, Question, validate

_ROLES = {
    "question": ("question", "domanda", "testo", "text"),
    "right": ("answer", "right", "correct", "risposta", "giusta", "corretta", "esatta"),
    "wrong": ("wrong", "sbagliat", "errat", "incorrect", "distractor", "altre"),
    "explanation": ("explanation", "spiegazione", "feedback", "commento"),
    "category": ("category", "categoria", "topic", "argomento"),
    "difficulty": ("difficulty", "difficolta", "level", "livello"),
}
HEADER = ("question", "right_answer", "wrong_answers", "explanation", "category", "difficulty")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(char for char in plain if not unicodedata.combining(char))


def _role(header: str) -> str | None:
    name = _fold(header)
    # "wrong answer" before "answer": the longer meaning wins.
    for role in ("wrong", "question", "explanation", "category", "difficulty", "right"):
        if any(word in name for word in _ROLES[role]):
            return role
    return None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {delimiter: first.count(delimiter) for delimiter in ",;\t"}
        delimiter = max(counts, key=lambda key: counts[key])

        class Fallback(csv.excel):
            pass

        Fallback.delimiter = delimiter
        return Fallback


def _columns(header: list[str]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        role = _role(name)
        if role is not None:
            columns.setdefault(role, []).append(index)
    return columns


def parse_csv(text: str) -> tuple[Question, ...]:
    """Every question of a CSV file, or BankError with every bad row by its line."""
    try:
        rows = _rows(text)
    except csv.Error as error:
        raise BankError([Problem(0, "quizzes.csv.broken", {"reason": str(error)[:120]})]) from None
    if not rows:
        raise BankError([Problem(0, "quizzes.file.no_questions")])
    header_line, header = rows[0]
    columns = _columns(header)
    missing = [role for role in ("question", "right", "wrong") if role not in columns]
    if missing:
        raise BankError(
            [Problem(header_line, "quizzes.csv.missing_columns", {"columns": ", ".join(missing)})]
        )
    if len(columns["question"]) > 1 or len(columns["right"]) > 1:
        raise BankError([Problem(header_line, "quizzes.csv.ambiguous_columns")])
    problems: list[Problem] = []
    questions: list[Question] = []
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(line, "quizzes.csv.extra_cells", {"count": len(header)}))
            continue

        def cell(role: str, row: list[str] = row) -> str:
            index = columns.get(role, [len(row)])[0]
            return " ".join(row[index].split()) if index < len(row) else ""

        wrong: list[str] = []
        for index in columns["wrong"]:
            if index < len(row):
                wrong.extend(part.strip() for part in row[index].split("|") if part.strip())
        questions.append(
            Question(
                text=row[columns["question"][0]].strip()
                if columns["question"][0] < len(row)
                else "",
                answers=(cell("right"), *wrong),
                explanation=cell("explanation"),
                category=cell("category"),
                difficulty=cell("difficulty")[:20],
                kind=CHOICE,
                line=line,
            )
        )
    return validate(questions, problems)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for row in reader:
        rows.append((start, row))
        start = reader.line_num + 1
    while rows and not any(cell.strip() for cell in rows[0][1]):
        rows.pop(0)
    return rows


def write_csv(questions: Iterable[Question], *, delimiter: str = ",") -> str:
    """A bank as CSV with one `|`-separated column of wrong answers; reads back the same."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    for question in questions:
        writer.writerow(
            (
                question.text,
                question.right,
                " | ".join(question.answers[1:]),
                question.explanation,
                question.category,
                question.difficulty,
            )
        )
    return out.getvalue()
