"""Every name netiquette builds from a value has its entry in both languages."""

from __future__ import annotations

from bot.app import build_translator
from bot.core.model import HoldOutcome
from cogs.netiquette.engine import CATEGORIES, RuleKind, Severity
from cogs.netiquette.models import DECISIONS, PENDING, WITHDRAWN
from cogs.netiquette.render import rule_key
from cogs.netiquette.review import NOT_HELD

RULES = (
    "insult",
    "vulgarity",
    "harassment",
    "link.invite",
    "link.scam",
    "link.denied",
    "link.new_member",
    "shouting",
    "flood",
    "repeat",
    "mentions",
    "custom.7",
    "report",
)


def test_dynamic_netiquette_keys_exist_in_both_languages() -> None:
    translator = build_translator("it")
    wanted = {rule_key(rule) for rule in RULES}
    wanted |= {f"netiquette.category.{category}" for category in CATEGORIES}
    wanted |= {f"netiquette.severity.{severity.value}" for severity in Severity}
    wanted |= {f"netiquette.state.{state}" for state in (PENDING, WITHDRAWN, *DECISIONS)}
    wanted |= {f"netiquette.review.done_{decision}" for decision in DECISIONS}
    wanted |= {f"netiquette.hold.{outcome.value}" for outcome in HoldOutcome}
    wanted |= {f"netiquette.hold.{NOT_HELD}"}
    wanted |= {f"netiquette.rulekind.{kind.value}" for kind in RuleKind}
    for language in ("it", "en"):
        assert wanted - translator.keys(language) == set(), language


def test_the_report_menu_entry_fits_discord() -> None:
    translator = build_translator("it")
    for language in ("it", "en"):
        assert len(translator.gettext(language, "netiquette.action.report")) <= 32


def test_command_descriptions_fit_discord() -> None:
    translator = build_translator("it")
    for language in ("it", "en"):
        for key in translator.keys(language):
            if key.startswith(("netiquette.cmd", "netiquette.opt.")):
                assert len(translator.gettext(language, key)) <= 100, key


def test_every_netiquette_key_in_the_code_is_in_the_catalogs() -> None:
    import ast
    import re
    from pathlib import Path

    key = re.compile(r"^netiquette(\.[a-z0-9_]+)+$")
    known = build_translator("it").keys("it")
    folder = Path(__file__).resolve().parents[1] / "cogs" / "netiquette"
    used: set[str] = set()
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # The pieces of an f-string are prefixes of keys built at run time.
        pieces = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        used |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and id(node) not in pieces
            and isinstance(node.value, str)
            and key.match(node.value)
        }
    assert len(used) > 50
    assert used - known == set()
