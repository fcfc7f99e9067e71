"""`python -m bot netiquette check FILE`: the live rules tried on an export.

Moderators run a community's rules (the defaults where none is set) over past messages
before switching them on. Each message goes through the very `Checker.check` the bot runs
live, without a context: flood and repeat need the live stream and are not judged here.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot.core.i18n import Translator
from cogs.netiquette.engine import Checker, CheckerConfig, Verdict, warm_up

EXIT_BAD_INPUT = 2
# The cog's own catalog names the rules.
CATALOGS = Path(__file__).resolve().parent / "locale"
COMPILING_NOTICE_AFTER = 1.0  # seconds: loading kept lists takes a fraction of one
# An export bigger than this is refused rather than read into memory.
MAX_BYTES = 200 * 1024 * 1024


class InputError(Exception):
    """The file cannot be checked; the message says why, in one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot netiquette",
        description="Try the netiquette rules on an export of messages.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="flag the messages of a CSV (a 'text' column) or a text file (one a line)"
    )
    check.add_argument("file", type=Path, help="the export: CSV with a 'text' column, or text")
    check.add_argument("--lang", choices=("it", "en"), help="language of the rule names")
    check.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    check.add_argument("--database", help="DATABASE_URL holding the community's own rules")
    check.add_argument("--community", help="platform:id of the community, with --database")
    return parser


def read_messages(path: Path) -> list[str]:
    """The messages of an export, in order: CSV records if it has a `text` column (a
    message may span lines there), else one message per line."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error})") from None
    if b"\x00" in data:
        raise InputError(f"{path}: a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start + 1})") from None
    if not text.strip():
        raise InputError(f"{path}: empty, no messages to check")
    messages = _csv_messages(text)
    if messages is None:
        return text.splitlines()
    if not messages:
        raise InputError(f"{path}: a CSV header and no messages")
    return messages


def _csv_messages(text: str) -> list[str] | None:
    first = text.splitlines()[0]
    try:
        header = next(csv.reader([first]))
    except csv.Error:
        return None
    names = [name.strip().lower() for name in header]
    if "text" not in names or (len(names) == 1 and first.strip().lower() != "text"):
        return None
    column = names.index("text")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise InputError(f"not a well-formed CSV ({error})") from None
    return [row[column] if column < len(row) else "" for row in rows[1:]]


async def _community_config(url: str, community: str) -> CheckerConfig:
    from bot.core.model import Community
    from bot.storage.database import Database
    from cogs.netiquette.rules import RuleStore

    platform, _, community_id = community.partition(":")
    if not platform or not community_id:
        raise InputError(f"--community {community!r}: expected platform:id, like discord:1234")
    db = Database(url)
    try:
        return await RuleStore(db).config(Community(platform, community_id, community_id))
    finally:
        await db.dispose()


def _cache_folder() -> Path | None:
    """Where the bot keeps its compiled lists, so that this run loads them in milliseconds
    instead of compiling them for seconds; nowhere if the settings do not read."""
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        return Settings().cache_folder
    except ValidationError:
        return None


def _checker(database: str | None, community: str | None) -> Checker:
    if (database is None) != (community is None):
        raise InputError("--database and --community go together")
    if database is None or community is None:
        return Checker()
    try:
        return Checker(asyncio.run(_community_config(database, community)))
    except InputError:
        raise
    except Exception as error:  # any database failure ends in one clear line
        raise InputError(f"cannot read the community's rules: {error}") from None


def results(messages: Sequence[str], checker: Checker) -> Iterator[tuple[int, Verdict | None]]:
    for number, message in enumerate(messages, start=1):
        yield number, checker.check(message)


def _rule_name(translator: Translator, lang: str | None, rule: str) -> str:
    key = "netiquette.rule.custom" if rule.startswith("custom.") else f"netiquette.rule.{rule}"
    return translator.gettext(lang, key) if key in translator.keys("en") else rule


def _compile_lists(lang: str | None) -> None:
    """The curated lists, loaded from the bot's cache folder or, the first time, compiled
    there: that takes seconds, so a moderator is told why nothing is printed yet."""
    notice = threading.Timer(
        COMPILING_NOTICE_AFTER,
        lambda: sys.stderr.write(
            Translator([CATALOGS]).gettext(lang, "netiquette.check.compiling") + "\n"
        ),
    )
    notice.start()
    try:
        warm_up(_cache_folder())
    finally:
        notice.cancel()


def main(argv: list[str]) -> int:
    arguments = _parser().parse_args(argv)
    try:
        _compile_lists(arguments.lang)
        checker = _checker(arguments.database, arguments.community)
        messages = read_messages(arguments.file)
    except InputError as error:
        sys.stderr.write(f"netiquette check: {error}\n")
        return EXIT_BAD_INPUT
    try:
        _write(arguments, messages, checker)
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error of the check.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def _write(arguments: argparse.Namespace, messages: Sequence[str], checker: Checker) -> None:
    translator = Translator([CATALOGS])
    out = sys.stdout
    flagged = 0
    for number, verdict in results(messages, checker):
        flagged += verdict is not None
        if arguments.output == "json":
            record = {
                "line": number,
                "flag": verdict is not None,
                "rule": verdict.rule if verdict else None,
                "span": list(verdict.span) if verdict else None,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif verdict is None:
            out.write(f"{number}: ok\n")
        else:
            start, end = verdict.span
            name = _rule_name(translator, arguments.lang, verdict.rule)
            matched = messages[number - 1][start:end].replace("\n", " ")
            out.write(
                f"{number}: flag {verdict.rule} ({name}, {verdict.severity}) "
                f"at {start}-{end}: {matched!r}\n"
            )
    if arguments.output == "text":
        out.write(f"{flagged} of {len(messages)} flagged\n")
    out.flush()
