"""Every cog that keeps rows about members tells `/privacy` about them: a cog landing later
with a member column and no `personal_data` fails here, not in a member's request."""

from __future__ import annotations

import importlib

from tests.harness import TestBot

MEMBER_COLUMNS = {"member_id", "author_id", "tagged_by"}


def _member_tables(package: str) -> list[str]:
    try:
        models = importlib.import_module(f"cogs.{package}.models")
    except ModuleNotFoundError:
        return []
    found = []
    for value in vars(models).values():
        table = getattr(value, "__table__", None)
        if table is None or getattr(value, "__module__", "") != models.__name__:
            continue
        if MEMBER_COLUMNS & {column.name for column in table.columns}:
            found.append(table.name)
    return found


async def test_every_cog_with_member_rows_exports_and_erases_them(bot: TestBot) -> None:
    assert bot.app is not None
    checked = []
    for cog in bot.app.report.loaded:
        package = type(cog).__module__.split(".")[1]
        tables = _member_tables(package)
        if tables:
            assert cog.personal_data() is not None, f"{cog.name} keeps {tables}"
            checked.append(cog.name)
    assert {"polls", "questions", "netiquette", "contests", "quizzes"} <= set(checked)
