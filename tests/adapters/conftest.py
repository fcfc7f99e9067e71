"""Fixtures of the Slack adapter tests (named slack_*: the directory is shared)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters.slack_support import Mode, SlackRun, new_emulator
from tests.emulators.slack import SlackEmulator


@pytest.fixture
async def slack_emu() -> AsyncIterator[SlackEmulator]:
    emulator = new_emulator()
    emulator.add_channel("benvenuti")
    emulator.add_channel("nuovi")
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture(params=["socket", "http"])
def slack_mode(request: pytest.FixtureRequest) -> Mode:
    value: Mode = request.param
    return value


@pytest.fixture
def slack_db(database_url: str) -> str:
    return database_url


@pytest.fixture
async def slack(
    slack_emu: SlackEmulator, slack_mode: Mode, slack_db: str
) -> AsyncIterator[SlackRun]:
    """Ponte running on the emulator, in the mode of the test's parameter."""
    run = SlackRun(slack_emu, slack_mode, slack_db)
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


@pytest.fixture
async def socket_slack(slack_emu: SlackEmulator, slack_db: str) -> AsyncIterator[SlackRun]:
    """For what does not depend on how Slack reaches the bot: Socket Mode only."""
    run = SlackRun(slack_emu, "socket", slack_db)
    await run.start()
    try:
        yield run
    finally:
        await run.stop()
