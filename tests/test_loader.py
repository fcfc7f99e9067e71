"""A cog that fails to load is reported and the rest run."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.app import App
from bot.config import Settings
from bot.core.loader import load_cogs


def test_broken_cog_is_reported_and_the_others_load(tmp_path: Path, monkeypatch: object) -> None:
    package = tmp_path / "extra_cogs"
    (package / "good").mkdir(parents=True)
    (package / "broken").mkdir()
    (package / "__init__.py").write_text("")
    (package / "good" / "__init__.py").write_text(
        "from bot.core.cog import Cog\n\n"
        "class Good(Cog):\n    name = 'good'\n\n"
        "def setup(services):\n    return Good(services)\n"
    )
    (package / "broken" / "__init__.py").write_text("raise RuntimeError('boom at import')\n")
    sys.path.insert(0, str(tmp_path))
    try:
        app = App(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", _env_file=None))  # type: ignore[call-arg]
        report = load_cogs(app.services, package="extra_cogs")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("extra_cogs")]:
            del sys.modules[name]
    assert [cog.name for cog in report.loaded] == ["good"]
    assert "RuntimeError: boom at import" in report.failed["broken"]


def test_disabled_cogs_are_skipped(tmp_path: Path) -> None:
    app = App(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", _env_file=None))  # type: ignore[call-arg]
    report = load_cogs(app.services, disabled=("welcome",))
    assert "welcome" in report.disabled
    assert "polls" in [cog.name for cog in report.loaded]
