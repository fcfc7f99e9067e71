"""Rules about the code base itself: cogs stay platform-neutral, modules stay short."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = ("discord", "slack_bolt", "slack_sdk", "aiohttp")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_cogs_and_core_never_import_a_platform_library() -> None:
    for folder in (ROOT / "cogs", ROOT / "bot" / "core"):
        for path in folder.rglob("*.py"):
            offending = {
                name for name in _imports(path) if name.split(".")[0] in PLATFORM_LIBRARIES
            }
            assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


def test_core_never_imports_a_cog_or_an_adapter() -> None:
    for path in (ROOT / "bot" / "core").rglob("*.py"):
        offending = {name for name in _imports(path) if name.startswith(("cogs", "bot.adapters"))}
        assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


def test_modules_stay_short() -> None:
    for folder in (ROOT / "bot", ROOT / "cogs"):
        for path in folder.rglob("*.py"):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= 400, f"{path.relative_to(ROOT)} has {lines} lines"
