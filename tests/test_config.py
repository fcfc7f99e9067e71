"""Settings: every one documented in `.env.example`, secrets kept out of logs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.logs import JsonFormatter, TextFormatter

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_documents_every_setting_and_parses() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE))
    assert documented == {name.upper() for name in Settings.model_fields}
    settings = Settings(_env_file=ROOT / ".env.example")  # type: ignore[call-arg]
    assert not settings.wants_discord and not settings.wants_slack


def test_the_cache_folder_is_the_settings_or_the_users_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Settings(cache_dir=str(tmp_path / "own")).cache_folder == tmp_path / "own"
    monkeypatch.delenv("CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings(_env_file=None).cache_folder == tmp_path / "xdg" / "ponte"  # type: ignore[call-arg]
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings(_env_file=None).cache_folder == tmp_path / "home" / ".cache" / "ponte"  # type: ignore[call-arg]


def test_plain_urls_get_their_async_driver() -> None:
    settings = Settings(database_url="postgresql://u@h/db", _env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    with pytest.raises(ValidationError):
        Settings(database_url="mysql://u@h/db", _env_file=None)  # type: ignore[call-arg]


def test_tokens_never_appear_in_repr_or_log_lines() -> None:
    token = "xoxb-1234-5678-abcdefghijkl"
    settings = Settings(slack_bot_token=token, _env_file=None)  # type: ignore[call-arg]
    assert token not in repr(settings) and token not in str(settings.model_dump())
    record = logging.LogRecord(
        "bot", logging.INFO, __file__, 1, f"calling with {token}", None, None
    )
    assert token not in TextFormatter().format(record)
    assert token not in JsonFormatter().format(record)
