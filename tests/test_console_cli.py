"""The console through the real CLI: scripts in both languages, and a second run that
carries on where the first stopped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.blackbox import bot_environment

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "docs" / "demo"


def run_cli(
    *args: str, database: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = bot_environment(database, **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


DEMO_OUTCOMES = {
    "it": [
        "[#benvenuti] Ciao @alice, benvenuto/a in Ponte! Siamo in 2.",
        "[#benvenuti] Ciao @bruno, benvenuto/a in Ponte! Siamo in 3.",
        "[DM @alice]",
        "ruolo Nuovi dato a @bruno",
        "[solo per @bruno] Voto cambiato: ora Pasta.",
        "🏁 Risultati: Pizza o pasta?",
        "Vince «Pasta».",
        "[solo per @bruno] Il sondaggio è chiuso: il voto non è stato registrato.",
    ],
    "en": [
        "[#welcome] Hi @alice, welcome to Ponte! We are 2.",
        "[#welcome] Hi @bruno, welcome to Ponte! We are 3.",
        "[DM @alice]",
        "role Newcomers given to @bruno",
        "[only for @bruno] Vote changed: now Pasta.",
        "🏁 Results: Pizza or pasta?",
        "“Pasta” wins.",
        "[only for @bruno] The poll is closed: your vote was not recorded.",
    ],
}


@pytest.mark.parametrize("language", ["it", "en"])
def test_demo_welcomes_two_members_and_runs_a_poll_to_its_close(
    tmp_path: Path, language: str
) -> None:
    script = DEMO / f"demo-{language}.txt"
    result = run_cli(
        "console", "--script", str(script), "--lang", language, database=tmp_path / "demo.db"
    )
    assert result.returncode == 0, result.stderr
    for expected in DEMO_OUTCOMES[language]:
        assert expected in result.stdout, expected
    assert "Traceback" not in result.stderr


def test_second_run_on_the_same_database_carries_on(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    first = tmp_path / "first.txt"
    first.write_text(
        'join @alice\njoin @bob\n@alice: /poll "Mare?" "Sì" "No" duration:1h\n@bob click Sì\n',
        encoding="utf-8",
    )
    second = tmp_path / "second.txt"
    second.write_text("@alice click No\nadvance 61m\n", encoding="utf-8")
    assert run_cli("console", "--script", str(first), database=database).returncode == 0
    result = run_cli("console", "--script", str(second), database=database)
    assert result.returncode == 0, result.stderr
    assert "[solo per @alice] Voto registrato: No." in result.stdout
    assert "Parità tra: Sì, No." in result.stdout


def test_unknown_lines_are_explained_and_the_script_goes_on(tmp_path: Path) -> None:
    script = tmp_path / "odd.txt"
    script.write_text(
        "frobnicate\njoin @alice as wizard\n@ghost: hello\n"
        "join @alice\n@alice click Nope\nadvance forever\n",
        encoding="utf-8",
    )
    result = run_cli("console", "--script", str(script), database=tmp_path / "odd.db")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "? riga 1 non capita: «frobnicate»" in out
    assert "? riga 2: ruolo sconosciuto" in out
    assert "@ghost non è nella community" in out
    assert "? nessun pulsante «Nope»" in out
    assert "Benvenuto/a @alice" in out
    assert "? riga 6: «advance forever» non ha una durata valida" in out


def test_bad_configuration_exits_non_zero_with_a_clear_message(tmp_path: Path) -> None:
    result = run_cli(
        "console",
        "--script",
        str(DEMO / "demo-it.txt"),
        database=tmp_path / "x.db",
        env={"TIMEZONE": "Mars/Olympus"},
    )
    assert result.returncode == 2
    assert "bad configuration" in result.stderr and "TIMEZONE" in result.stderr
    result = run_cli("migrate", database=tmp_path / "x.db", env={"DATABASE_URL": "mysql://nope"})
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_migrate_command_creates_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "m.db"
    result = run_cli("migrate", database=database)
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(database) as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {"polls", "poll_votes", "welcome_settings", "sent_messages", "alembic_version"} <= tables


def test_interactive_console_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    import signal
    import time

    environment = bot_environment(tmp_path / "i.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--lang", "en"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdin is not None
        process.stdin.write("join @alice\n")
        process.stdin.flush()
        deadline = time.monotonic() + 30
        import sqlite3

        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(tmp_path / "i.db") as connection:
                    if connection.execute("SELECT count(*) FROM sent_messages").fetchone()[0] >= 2:
                        break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Welcome @alice to Ponte!" in out
    assert "Traceback" not in err
