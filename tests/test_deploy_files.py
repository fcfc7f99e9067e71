"""The Docker deployment as written: compose.yaml's services fit together (PostgreSQL with
its volume, one migrate step before the bot processes, shards split between them, settings
Ponte accepts), and the Dockerfile's and services' commands are real CLI commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import _parser
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
BOTS = ("bot-1", "bot-2")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def cli_command(argv: list[str]) -> str:
    """`python -m bot ARGS` as Ponte's own parser reads it; fails on anything else."""
    assert argv[:3] == ["python", "-m", "bot"], argv
    parsed = _parser().parse_args(argv[3:])
    assert parsed.command is not None
    return str(parsed.command)


def settings_of(service: dict[str, Any]) -> Settings:
    """The service's settings as the process would read them (the password's default)."""
    values = {
        key.lower(): re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", str(value))
        for key, value in service["environment"].items()
    }
    return Settings.model_validate(values)


def test_postgres_keeps_its_data_in_a_named_volume(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data" and volume in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_migrate_runs_once_before_the_bot_processes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    migrate = services["migrate"]
    assert cli_command(migrate["command"]) == "migrate"
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in BOTS:
        bot = services[name]
        assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "command" not in bot  # the image's own: `python -m bot run`
        settings = settings_of(bot)
        assert settings.auto_migrate is False
        assert settings.database_url.startswith("postgresql+asyncpg://ponte:ponte@db:5432/")
    assert settings_of(migrate).database_url == settings_of(services[BOTS[0]]).database_url


def test_the_bot_processes_split_the_shards(compose: dict[str, Any]) -> None:
    plans = [settings_of(compose["services"][name]) for name in BOTS]
    totals = {settings.discord_shard_count for settings in plans}
    assert len(totals) == 1
    (total,) = totals
    shards = [shard for settings in plans for shard in settings.shard_ids]
    assert sorted(shards) == list(range(total or 0))  # each shard once, none left out


def test_the_image_runs_a_real_command_as_a_user(compose: dict[str, Any]) -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert instructions[0] == "FROM python:3.11-slim"
    assert '".[postgres]"' in text
    user = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    command = [line for line in instructions if line.startswith("CMD ")][-1]
    assert cli_command(json.loads(command.removeprefix("CMD "))) == "run"
    # What the image copies is what the code needs at run time, migrations included.
    copied = {line.split()[1] for line in instructions if line.startswith("COPY ")}
    assert {"bot", "cogs", "migrations", "pyproject.toml"} <= copied


def test_the_build_context_leaves_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "*.db"} <= ignored
