"""Every quiz catalog key the code names exists in both languages, the dynamic ones too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.app import build_translator
from cogs.quizzes.bank import FALSE, TRUE
from cogs.quizzes.commands import declare

ROOT = Path(__file__).resolve().parents[1] / "cogs" / "quizzes"
KEY = re.compile(r"^quizzes(\.[a-z0-9_]+)+$")


def _literals() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and KEY.match(value):
                found.add(value)
    return found


class _Handlers:
    def __getattr__(self, name: str) -> object:
        async def handler(*args: object) -> None:
            return None

        return handler


def test_every_quiz_key_exists_in_italian_and_english() -> None:
    translator = build_translator("it")
    keys = _literals() | {f"quizzes.answer.{TRUE}", f"quizzes.answer.{FALSE}"}
    for command in declare(_Handlers()):  # type: ignore[arg-type]
        for _, leaf in command.leaves():
            keys |= {leaf.description, leaf.usage}
            keys |= {option.description for option in leaf.options}
    for language in ("it", "en"):
        missing = {key for key in keys if key not in translator.keys(language)}
        assert missing == set(), language
