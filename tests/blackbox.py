"""Ponte as a separate process, as an operator starts it: `python -m bot …`."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

# Settings of the developer's own shell must not leak into a test's process.
_OWN_SETTINGS = ("DISCORD_", "SLACK_", "DATABASE_", "DEFAULT_LANGUAGE", "LOG_")


def bot_environment(database: Path, **values: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(_OWN_SETTINGS)
    }
    environment["DATABASE_URL"] = f"sqlite+aiosqlite:///{database}"
    environment.update(values)
    return environment


async def start_bot(workdir: Path, *arguments: str, **values: str) -> asyncio.subprocess.Process:
    """`python -m bot ARGUMENTS` in `workdir` (no `.env` there), on a database in it."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *arguments,
        cwd=workdir,
        env=bot_environment(workdir / "run.db", **values),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
