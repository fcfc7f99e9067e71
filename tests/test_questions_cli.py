"""`python -m bot questions analyze` as a community manager runs it on a history export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.blackbox import bot_environment

ROOT = Path(__file__).resolve().parents[1]

HISTORY_IT = [
    "ciao a tutti",
    "come resetto la password?",
    "bella partita ieri",
    "nn riesco a cambiare la pw",
    "quando inizia il torneo?",
    "",
    "password dimenticata, help",
    "👍👍👍",
    "x" * 40_000,
    "a che ora comincia il torneo di sabato",
    "come cambio l'email?",
    "grazie mille",
]


def analyze(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "questions", "analyze", *args],
        cwd=cwd,
        env=bot_environment(cwd / "unused.db"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_csv_history_reports_the_recurring_questions_biggest_first(tmp_path: Path) -> None:
    export = tmp_path / "storia.csv"
    rows = ["author,text"] + [f'm{n},"{text}"' for n, text in enumerate(HISTORY_IT)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = analyze(str(export), "--lang", "it", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{export}: 12 messaggi, 6 domande, 2 ricorrenti"
    assert "saltati (vuoti, troppo lunghi o senza parole): 3" in lines[1]
    first = next(line for line in lines if line.startswith("1. "))
    assert "password" in first and "×3" in first
    assert any(line.startswith("2. ") and "torneo" in line and "×2" in line for line in lines)
    assert "email" not in result.stdout
    assert result.stderr == ""


def test_json_lists_the_line_numbers_of_each_group(tmp_path: Path) -> None:
    export = tmp_path / "history.txt"
    export.write_text("\n".join(HISTORY_IT) + "\n", encoding="utf-8")
    result = analyze(str(export), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [[2, 4, 7], [5, 10]]


def test_the_report_speaks_english_when_asked(tmp_path: Path) -> None:
    export = tmp_path / "history.txt"
    export.write_text(
        "how do i reset my password?\nforgot my pw pls help\nhi all\n", encoding="utf-8"
    )
    result = analyze(str(export), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{export}: 3 messages, 2 questions, 1 recurring"
    assert "“how do i reset my password?” ×2 (line 1)" in result.stdout
    assert "line 2: forgot my pw pls help" in result.stdout


def test_a_long_file_shows_progress_on_stderr_only(tmp_path: Path) -> None:
    export = tmp_path / "long.txt"
    chat = ["come resetto la password?", "ciao", "password dimenticata, help", "ok"]
    export.write_text("\n".join(chat * 150) + "\n", encoding="utf-8")
    result = analyze(str(export), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)
    assert len(groups[0]) == 300
    assert "letti 600 messaggi su 600" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("latin1.txt", "perché?\n".encode("latin-1"), "non è testo UTF-8"),
        ("empty.csv", b"", "il file è vuoto"),
        ("blank.txt", b"\n  \n", "il file è vuoto"),
        ("image.png", b"\x89PNG\r\n\x1a\n\0\0\0", "non è un file di testo"),
        ("columns.csv", b"author,message\nanna,ciao?\n", "non ha una colonna `text`"),
        ("quotes.csv", b'text\n"come si fa"x?\n', "non è un CSV leggibile"),
    ],
)
def test_a_broken_file_gets_one_clear_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    export = tmp_path / name
    export.write_bytes(content)
    result = analyze(str(export), "--lang", "it", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr


def test_a_missing_file_gets_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    result = analyze(str(tmp_path / "nowhere.csv"), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"ponte: {tmp_path / 'nowhere.csv'}: no such file"


def test_help_says_a_group_is_two_questions_or_more(tmp_path: Path) -> None:
    result = analyze("--help", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0
    assert "default 2" in result.stdout
