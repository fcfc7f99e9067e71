"""`python -m bot run | console | dashboard | migrate | slack-manifest`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bot.config import Settings
from bot.core.errors import StartupError
from bot.logs import configure_logging

if TYPE_CHECKING:
    from bot.storage.migrate import SchemaState

log = logging.getLogger("bot")
EXIT_CONFIG = 2
# Tools a cog brings (`python -m bot netiquette check FILE`): each module has
# `main(argv: list[str]) -> int` and parses its own arguments.
COG_TOOLS = {
    "netiquette": ("cogs.netiquette.cli", "try the netiquette rules on an export"),
    "questions": ("cogs.questions.cli", "find the recurring questions in an export"),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Ponte, the community bot")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser(
        "run", help="start on Discord and/or Slack if tokens are set, else the console"
    )
    console = commands.add_parser(
        "console", help="the terminal community (interactive or a script)"
    )
    console.add_argument("--script", type=Path, help="read console lines from this file")
    console.add_argument("--lang", choices=("it", "en"), help="the community's language")
    console.add_argument("--database", help="DATABASE_URL for this run")
    migrate = commands.add_parser("migrate", help="upgrade the database to the newest schema")
    migrate.add_argument("--database", help="DATABASE_URL for this run")
    revision = commands.add_parser("revision", help="write a migration for changed models")
    revision.add_argument("-m", "--message", required=True, help="what the migration does")
    revision.add_argument("--database", help="an up-to-date database to compare with")
    commands.add_parser("slack-manifest", help="print the Slack app manifest (YAML)")
    dashboard = commands.add_parser("dashboard", help="serve the web dashboard beside the bot")
    dashboard.add_argument("--login", metavar="@NAME", help="print a one-time sign-in link")
    dashboard.add_argument("--database", help="DATABASE_URL for this run")
    for name, (_, summary) in COG_TOOLS.items():
        commands.add_parser(name, help=summary, add_help=False)
    return parser


def load_settings(**overrides: object) -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']).upper()}: {item['msg']}"
            for item in error.errors()
        )
        raise StartupError(problems) from None
    changes = {key: value for key, value in overrides.items() if value is not None}
    if changes:
        try:
            settings = Settings.model_validate({**settings.model_dump(), **changes})
        except ValidationError as error:
            raise StartupError(str(error)) from None
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given and given[0] in COG_TOOLS:
        tool = importlib.import_module(COG_TOOLS[given[0]][0])
        result: int = tool.main(given[1:])
        return result
    arguments = _parser().parse_args(given)
    command = arguments.command or "run"
    try:
        if command == "console":
            settings = load_settings(
                database_url=arguments.database,
                default_language=arguments.lang,
            )
        elif command in ("migrate", "revision", "dashboard"):
            settings = load_settings(database_url=arguments.database)
        else:
            settings = load_settings()
    except StartupError as error:
        sys.stderr.write(f"ponte: bad configuration: {error}\n")
        return EXIT_CONFIG
    configure_logging(
        settings.log_level if command != "console" else "WARNING", settings.log_format
    )
    if command == "migrate":
        return _migrate(settings.database_url)
    if command == "revision":
        from bot.storage.migrate import new_revision, upgrade

        upgrade(settings.database_url)
        new_revision(settings.database_url, arguments.message)
        return 0
    if command == "slack-manifest":
        from bot.adapters.slack.manifest import print_slack_manifest

        return int(print_slack_manifest(settings))
    if command == "dashboard":
        from bot.web.serve import print_login_link, run_dashboard

        if arguments.login:
            return asyncio.run(print_login_link(settings, arguments.login))
        return asyncio.run(_until_signal(lambda stop: run_dashboard(settings, stop)))
    if command == "console":
        from bot.adapters.console.main import run_console

        script = arguments.script
        if script is not None and not script.is_file():
            sys.stderr.write(f"ponte: no such script: {script}\n")
            return EXIT_CONFIG
        try:
            return asyncio.run(_until_signal(lambda stop: run_console(settings, script, stop)))
        except StartupError as error:
            return _cannot_start(error)
    from bot.runtime import run_platforms

    try:
        return asyncio.run(_until_signal(lambda stop: run_platforms(settings, stop)))
    except StartupError as error:
        return _cannot_start(error)


def _cannot_start(error: StartupError) -> int:
    from bot.storage.migrate import SchemaMismatch

    # The app has logged a schema mismatch already, with both revisions as fields.
    if not isinstance(error, SchemaMismatch):
        sys.stderr.write(f"ponte: cannot start: {error}\n")
    return EXIT_CONFIG


def _migrate(database_url: str) -> int:
    """Upgrade to this code's heads; a schema newer than the code is left alone (exit 2)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.storage.migrate import schema_state, upgrade

    async def read() -> SchemaState:
        engine = create_async_engine(database_url)
        try:
            return await schema_state(engine)
        finally:
            await engine.dispose()

    state = asyncio.run(read())
    if not state.current and not state.older:
        log.error(state.problem())
        return EXIT_CONFIG
    if not state.current:
        upgrade(database_url)
    log.info("database schema up to date", extra={"revision": ",".join(state.code)})
    return 0


async def _until_signal(work: Callable[[asyncio.Event], Coroutine[Any, Any, int]]) -> int:
    """Run `work(stop)`. SIGINT or SIGTERM set `stop`, so it finishes what it is doing and
    shuts down through its own `finally`; a second signal cancels it outright."""
    stop = asyncio.Event()
    task: asyncio.Task[int] = asyncio.ensure_future(work(stop))
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        if stop.is_set():
            task.cancel()
        else:
            log.info("stopping on signal")
            stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, on_signal)
    try:
        return await task
    except asyncio.CancelledError:
        log.warning("stopped by a second signal")
        return 0
