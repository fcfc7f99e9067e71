"""Tokens and signing secrets never reach a log line or a message: a whole scenario runs on
the console, on Discord and on Slack (both modes) with every logger at DEBUG, and what was
logged, by Ponte or by the libraries, is searched for each configured secret."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path

import pytest

from bot.logs import JsonFormatter, TextFormatter
from tests.adapters.discord_support import DiscordRun, ScriptOverDiscord, discord_emulator
from tests.adapters.slack_support import ScriptOverSlack, SlackRun
from tests.emulators.discord_emulator import DiscordEmulator
from tests.emulators.slack import SlackEmulator
from tests.harness import running_bot

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = (ROOT / "docs" / "demo" / "demo-it.txt").read_text(encoding="utf-8").splitlines()
# Beyond the demo: refused commands (no such poll, no such command), a report.
EXTRA = ["@alice: /poll close poll:999", "@alice: /help command:nonesuch"]
REPORT = ["@bruno report @alice"]  # Slack's shortcuts are played by their own tests
LIBRARIES = ("discord", "slack_bolt", "slack_sdk", "aiohttp", "sqlalchemy", "bot", "cogs")
# Shapes that no pattern knows: only the configured values can cut them.
CONSOLE_SECRETS = {
    "DISCORD_TOKEN": "c2VjcmV0LWRpc2NvcmQtdG9rZW4tZm9yLXRlc3Rz.abc",
    "SLACK_BOT_TOKEN": "slack-bot-token-0f9e8d7c6b5a",
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
    "DASHBOARD_SECRET": "dashboard-cookie-key-7a7a7a7a",
}


def _everything_logged(records: Iterable[logging.LogRecord], caplog_text: str) -> str:
    """Each record as pytest shows it, as Ponte's text and JSON lines write it, and its
    raw message and extras, so that no path from a record to a reader is left out."""
    text, json_lines = TextFormatter("%(message)s"), JsonFormatter()
    parts = [caplog_text]
    for record in records:
        parts += [record.getMessage(), text.format(record), json_lines.format(record)]
        # The exception object itself stays as raised; what any formatter prints of it is
        # `exc_text`, cleaned when the record was made.
        parts += [str(v) for k, v in vars(record).items() if k not in ("args", "exc_info")]
    return "\n".join(parts)


def _assert_absent(secrets: Iterable[str], *texts: str) -> None:
    for secret in secrets:
        for text in texts:
            assert secret not in text


def _library_lines(secrets: Iterable[str]) -> None:
    """What a careless library might log: a header, a URL, an exception naming the value."""
    for secret in secrets:
        logging.getLogger("aiohttp.client").debug("headers: %s", {"Authorization": secret})
        try:
            raise RuntimeError(f"refused https://example.invalid/?token={secret}")
        except RuntimeError:
            logging.getLogger("slack_sdk.web").exception("request failed")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    loggers = [logging.getLogger(name) for name in LIBRARIES]
    levels = [logger.level for logger in loggers]
    caplog.set_level(logging.DEBUG)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield caplog
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


async def test_the_console_logs_no_configured_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, debug_logs: pytest.LogCaptureFixture
) -> None:
    for name, value in CONSOLE_SECRETS.items():
        monkeypatch.setenv(name, value)
    async with running_bot(tmp_path / "c.db", "it") as bot:
        await bot.say(*SCENARIO, *EXTRA, *REPORT)
        _library_lines(CONSOLE_SECRETS.values())
        shown = bot.all_output()
    assert "Risultati" in shown  # the scenario ran to the poll's close
    logged = _everything_logged(debug_logs.records, debug_logs.text)
    assert "[redacted]" in logged  # the library's lines were written, without the values
    _assert_absent(CONSOLE_SECRETS.values(), logged, shown)


@pytest.fixture
async def discord_emu() -> AsyncIterator[DiscordEmulator]:
    async with discord_emulator() as emulator:
        yield emulator


async def test_discord_logs_neither_its_token_nor_anything_members_see(
    discord_emu: DiscordEmulator, tmp_path: Path, debug_logs: pytest.LogCaptureFixture
) -> None:
    token = discord_emu.token
    run = DiscordRun(discord_emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
    await run.start()
    script = ScriptOverDiscord(run)
    try:
        await script.play([*SCENARIO, *EXTRA, *REPORT])
        _library_lines([token])
    finally:
        await run.stop()
    # Each interaction's token answers as the bot for 15 minutes: discord.py's debug lines
    # name the URLs it is in.
    interactions = [record.token.split(":")[-1] for _, record in script.records]
    assert len(interactions) > 5
    sent = "\n".join(str(call.json) + call.path for call in discord_emu.calls)
    assert "Risultati" in sent
    logged = _everything_logged(debug_logs.records, debug_logs.text)
    assert len(debug_logs.records) > 100 and "[redacted]" in logged
    _assert_absent([token], logged, sent)
    _assert_absent(interactions, logged)


async def test_slack_logs_neither_its_tokens_nor_its_signing_secret(
    slack_emu: SlackEmulator, slack: SlackRun, debug_logs: pytest.LogCaptureFixture
) -> None:
    secrets = [slack_emu.bot_token, slack_emu.app_token, slack_emu.signing_secret]
    slack_emu.users[slack_emu.admin_user_id].deleted = True
    await ScriptOverSlack(slack).play([*SCENARIO, *EXTRA])
    _library_lines(secrets)
    sent = "\n".join(str(call.params) + str(call.response) for call in slack_emu.calls)
    assert "Risultati" in sent
    logged = _everything_logged(debug_logs.records, debug_logs.text)
    assert len(debug_logs.records) > 100 and "[redacted]" in logged
    _assert_absent(secrets, logged, sent)
