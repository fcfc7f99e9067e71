"""`python -m bot netiquette check FILE` as a moderator runs it on an export."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.model import Community
from bot.storage.database import Database
from cogs.netiquette.engine import RuleKind, Severity
from cogs.netiquette.rules import RuleStore
from tests.blackbox import bot_environment

ROOT = Path(__file__).resolve().parents[1]


def run_check(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "netiquette", "check", *args],
        cwd=ROOT,
        env=bot_environment(tmp_path / "unused.db"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


EXPORT = [
    "ciao a tutti, chi gioca stasera?",
    "sei proprio un c0gl1one",
    "entrate nel mio server discord.gg/abc",
    "he called me 'idiot', can a mod check?",
]


def test_a_plain_file_in_json_gives_one_object_per_line_in_order(tmp_path: Path) -> None:
    export = tmp_path / "history.txt"
    export.write_text("\n".join(EXPORT) + "\n", encoding="utf-8")
    result = run_check(tmp_path, str(export), "--format", "json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [
        {"line": 1, "flag": False, "rule": None, "span": None},
        {"line": 2, "flag": True, "rule": "insult", "span": [15, 23]},
        {"line": 3, "flag": True, "rule": "link.invite", "span": [23, 37]},
        {"line": 4, "flag": False, "rule": None, "span": None},
    ]
    assert EXPORT[1][15:23] == "c0gl1one"


def test_a_csv_with_a_text_column_in_text_format(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        'author,text,when\nanna,"ciao, come va?",1\nbob,"che cazzo\ndici",2\ncy,FREE NITRO,3\n',
        encoding="utf-8",
    )
    result = run_check(tmp_path, str(export), "--lang", "it")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1: ok"
    assert lines[1].startswith("2: flag vulgarity (niente volgarità, hold) at 4-9: 'cazzo'")
    assert lines[2] == "3: ok"
    assert lines[-1] == "1 of 3 flagged"


def test_english_rule_names(tmp_path: Path) -> None:
    export = tmp_path / "one.txt"
    export.write_text("kys\n", encoding="utf-8")
    result = run_check(tmp_path, str(export), "--lang", "en")
    assert result.stdout.splitlines()[0].startswith("1: flag harassment (no harassment")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"\xff\xfe\x00s\x00e\x00i", "binary"),
        (b"caf\xe9 latin-1\n", "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"author,text\n", "no messages"),
    ],
)
def test_broken_files_end_in_one_clear_line_and_exit_2(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    export = tmp_path / "broken"
    export.write_bytes(content)
    result = run_check(tmp_path, str(export))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and reason in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    missing = run_check(tmp_path, str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    folder = run_check(tmp_path, str(tmp_path))
    assert folder.returncode == 2 and "folder" in folder.stderr
    assert "Traceback" not in missing.stderr + folder.stderr


def test_community_rules_need_both_options(tmp_path: Path) -> None:
    export = tmp_path / "one.txt"
    export.write_text("ciao\n", encoding="utf-8")
    result = run_check(tmp_path, str(export), "--community", "console:local")
    assert result.returncode == 2 and "--database and --community go together" in result.stderr


def test_a_communitys_own_rules_from_its_database(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    url = f"sqlite+aiosqlite:///{database}"
    migrated = subprocess.run(
        [sys.executable, "-m", "bot", "migrate", "--database", url],
        cwd=ROOT,
        env=bot_environment(database),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    asyncio.run(_add_rules(url))
    export = tmp_path / "history.txt"
    export.write_text("I love pineapple pizza\nsei un pirla\n", encoding="utf-8")
    result = run_check(
        tmp_path, str(export), "--format", "json", "--database", url, "--community", "console:c1"
    )
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["flag"] and first["rule"].startswith("custom.") and first["span"] == [7, 22]
    assert second == {"line": 2, "flag": False, "rule": None, "span": None}  # allowed word
    defaults = run_check(tmp_path, str(export), "--format", "json")
    assert [json.loads(line)["flag"] for line in defaults.stdout.splitlines()] == [False, True]


async def _add_rules(url: str) -> None:
    db = Database(url)
    try:
        store = RuleStore(db)
        community = Community("console", "c1", "c1")
        now = datetime.now(UTC)
        await store.add(community, RuleKind.WORD, "pineapple pizza", Severity.HOLD, "mod", now)
        await store.add(community, RuleKind.ALLOW_WORD, "pirla", Severity.HOLD, "mod", now)
    finally:
        await db.dispose()


def test_the_first_run_says_it_compiles_the_lists_and_the_next_loads_them(tmp_path: Path) -> None:
    export = tmp_path / "one.txt"
    export.write_text("sei un idiota\n", encoding="utf-8")
    cache = tmp_path / "fresh-cache"

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "netiquette", "check", str(export), "--lang", "en"],
            cwd=ROOT,
            env=bot_environment(tmp_path / "unused.db", CACHE_DIR=str(cache)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    first = check()
    assert first.returncode == 0 and "1: flag" in first.stdout
    assert "Compiling the word lists" in first.stderr
    assert sorted(path.name.split("-")[2] for path in cache.glob("patterns-*.hs")) == [
        "lists",
        "quick",
        "quick",
    ]
    again = check()
    assert again.returncode == 0 and again.stdout == first.stdout
    assert again.stderr == ""
