"""Every catalog key the dashboard's code and templates name exists in Italian and English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.app import build_translator

WEB = Path(__file__).resolve().parents[2] / "bot" / "web"
KEY = re.compile(r"^(web|netiquette|questions|errors|common|languages)\.[a-z0-9_.]+$")
TEMPLATE_KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_.]+)['"]""")


def _keys() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and KEY.match(value):
                found.add(value)
    for path in (WEB / "templates").glob("*.html"):
        found.update(TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")))
    # `t('netiquette.button.' ~ action)`: a prefix completed at run time.
    return {key for key in found if not key.endswith((".", "_"))}


def test_every_dashboard_key_is_in_both_catalogs() -> None:
    translator = build_translator("it")
    keys = _keys()
    assert len(keys) > 40
    for language in ("it", "en"):
        assert keys - translator.keys(language) == set(), language


def test_the_web_catalogs_have_the_same_keys_and_differ() -> None:
    translator = build_translator("it")
    web_it = {key for key in translator.keys("it") if key.startswith("web.")}
    web_en = {key for key in translator.keys("en") if key.startswith("web.")}
    assert web_it == web_en
    differing = [k for k in web_it if translator.gettext("it", k) != translator.gettext("en", k)]
    assert len(differing) > len(web_it) * 0.8  # translated, not copied
