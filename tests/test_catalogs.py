"""Italian and English are both complete, and every key the code uses exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.app import build_translator

ROOT = Path(__file__).resolve().parents[1]
KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
PREFIXES = (
    "errors.",
    "console.",
    "common.",
    "roles.",
    "languages.",
    "slack.",
    "welcome.",
    "polls.",
    "help.",
    "netiquette.",
    "questions.",
    "quizzes.",
    "contests.",
    "calendar.",
    "digest.",
    "tags.",
    "crisis.",
    "privacy.",
)


def _looks_like_key(value: str) -> bool:
    # `table.id` strings are foreign keys and `slack.com` a domain, not catalog keys.
    return (
        bool(KEY.match(value))
        and value.startswith(PREFIXES)
        and not value.endswith((".id", ".com"))
    )


def _code_keys() -> set[str]:
    """String literals in the code that look like catalog keys."""
    found: set[str] = set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and _looks_like_key(value):
                found.add(value)
    return found


def test_both_languages_have_the_same_keys() -> None:
    translator = build_translator("it")
    assert translator.keys("it") == translator.keys("en")
    assert len(translator.keys("it")) > 100


def test_every_key_in_the_code_is_in_the_catalogs() -> None:
    translator = build_translator("it")
    known = translator.keys("it")
    dynamic_prefixes = (
        "polls.vote_",
        "contests.vote_",
        "netiquette.review.done_",
        "roles.",
        "languages.",
    )
    missing = {
        key for key in _code_keys() if key not in known and not key.startswith(dynamic_prefixes)
    }
    assert missing == set()


def test_dynamic_keys_exist_for_every_value() -> None:
    from bot.core.model import Role
    from cogs.polls.service import VoteOutcome

    known = build_translator("it").keys("en")
    for outcome in VoteOutcome:
        if outcome not in (VoteOutcome.CLOSED, VoteOutcome.NOT_FOUND):
            assert f"polls.vote_{outcome.value}" in known
    for role in Role:
        assert f"roles.{role.value}" in known


def test_placeholders_agree_between_languages() -> None:
    translator = build_translator("it")
    field = re.compile(r"\{(\w+)\}")
    for key in translator.keys("it"):
        italian = set(field.findall(translator.template("it", key)))
        english = set(field.findall(translator.template("en", key)))
        assert italian == english, key


def test_numbers_and_dates_follow_the_language() -> None:
    from datetime import UTC, datetime

    translator = build_translator("it")
    moment = datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
    assert translator.number("it", 1500) == "1.500"
    assert translator.number("en", 1500) == "1,500"
    assert "15:30" in translator.datetime("it", moment, "Europe/Rome")
    assert "3:30" in translator.datetime("en", moment, "Europe/Rome")
    assert translator.gettext("en", "polls.votes", count=1234) == "1,234 votes"
