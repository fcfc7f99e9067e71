"""`python -m bot questions analyze FILE [--lang it|en] [--format text|json] [--min N]`: the
recurring questions of a chat export, grouped exactly as the bot groups them live."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.core.i18n import LANGUAGES, Translator
from cogs.questions.detect import readable
from cogs.questions.engine import FoundGroup, find_groups
from cogs.questions.export import ExportError, Message, read_export

EXIT_BAD_INPUT = 2
MIN_GROUP = 2
EXAMPLES = 3
EXCERPT = 120
# Below this many messages the analysis is over before a bar would mean anything.
PROGRESS_FROM = 500


def _translator(lang: str) -> Translator:
    from bot.app import build_translator

    return build_translator(lang)


def _language(argv: Sequence[str]) -> str:
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=LANGUAGES)
    known, _ = early.parse_known_args(argv)
    default = os.environ.get("DEFAULT_LANGUAGE", "it")
    return str(known.lang or (default if default in LANGUAGES else "it"))


def _parser(t: Translator, lang: str) -> argparse.ArgumentParser:
    def say(key: str, **params: object) -> str:
        return t.gettext(lang, key, **params)

    parser = argparse.ArgumentParser(prog="python -m bot questions")
    commands = parser.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser(
        "analyze",
        help=say("questions.analyze.description"),
        description=say("questions.analyze.description"),
    )
    analyze.add_argument("file", type=Path, help=say("questions.analyze.file_help"))
    analyze.add_argument("--lang", choices=LANGUAGES, help=say("questions.analyze.lang_help"))
    analyze.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=say("questions.analyze.format_help"),
    )
    analyze.add_argument(
        "--min",
        type=int,
        default=MIN_GROUP,
        metavar="N",
        help=say("questions.analyze.min_help", count=MIN_GROUP),
    )
    return parser


class _Bar:
    """Progress on stderr: one redrawn line on a terminal, a line per tenth elsewhere."""

    def __init__(self, t: Translator, lang: str, total: int, stream: TextIO) -> None:
        self._t, self._lang, self._total, self._stream = t, lang, total, stream
        self._done = 0
        self._shown_tenth = 0
        self._live = stream.isatty()

    def __call__(self, step: int) -> None:
        self._done += step
        tenth = self._done * 10 // self._total
        if not self._live and tenth == self._shown_tenth:
            return
        self._shown_tenth = tenth
        filled = self._done * 20 // self._total
        label = self._t.gettext(
            self._lang, "questions.analyze.progress", done=self._done, total=self._total
        )
        line = f"[{'#' * filled}{'.' * (20 - filled)}] {label}"
        self._stream.write(f"\r{line}" if self._live else f"{line}\n")
        if self._live and self._done >= self._total:
            self._stream.write("\n")
        self._stream.flush()


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1] + "…"


def _report(
    t: Translator,
    lang: str,
    file: str,
    messages: list[Message],
    groups: list[FoundGroup],
    minimum: int,
    questions: int,
) -> str:
    def say(key: str, **params: object) -> str:
        return t.gettext(lang, key, **params)

    shown = [group for group in groups if len(group.indexes) >= minimum]
    lines = [
        say(
            "questions.analyze.summary",
            file=file,
            messages=len(messages),
            questions=questions,
            groups=len(shown),
        )
    ]
    skipped = sum(not readable(message.text.strip()) for message in messages)
    if skipped:
        lines.append(say("questions.analyze.skipped", count=skipped))
    lines.append("")
    if not shown:
        lines.append(say("questions.analyze.none", count=minimum))
    for rank, group in enumerate(shown, start=1):
        first = messages[group.representative]
        lines.append(
            say(
                "questions.analyze.group",
                rank=rank,
                question=_excerpt(first.text),
                count=len(group.indexes),
                line=str(first.line),
            )
        )
        others = [index for index in group.indexes if index != group.representative]
        for index in others[:EXAMPLES]:
            example = messages[index]
            lines.append(
                say(
                    "questions.analyze.example", line=str(example.line), text=_excerpt(example.text)
                )
            )
        if len(others) > EXAMPLES:
            lines.append(say("questions.analyze.more", count=len(others) - EXAMPLES))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    lang = _language(argv)
    t = _translator(lang)
    arguments = _parser(t, lang).parse_args(argv)
    try:
        messages = read_export(arguments.file)
    except ExportError as error:
        sys.stderr.write(t.gettext(lang, error.key, **error.params) + "\n")
        return EXIT_BAD_INPUT
    texts = [message.text.strip() for message in messages]
    progress = _Bar(t, lang, len(texts), sys.stderr) if len(texts) >= PROGRESS_FROM else None
    groups = find_groups(texts, progress=progress)
    minimum = max(1, arguments.min)
    if arguments.format == "json":
        chosen = [group for group in groups if len(group.indexes) >= minimum]
        lines = [[messages[index].line for index in group.indexes] for group in chosen]
        sys.stdout.write(json.dumps(lines) + "\n")
        return 0
    questions = sum(len(group.indexes) for group in groups)
    sys.stdout.write(_report(t, lang, str(arguments.file), messages, groups, minimum, questions))
    return 0
