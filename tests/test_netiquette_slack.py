"""Netiquette's review over the Slack emulator: the card updated in place with the decision,
strikes escalating to a word to the admins (Slack has no timeouts), the author told."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack_support import (
    SlackRun,
    bot_posts,
    button_ids,
    ephemerals_to,
    new_emulator,
)
from tests.emulators.slack import SlackEmulator


@pytest.fixture
async def slack_emu() -> AsyncIterator[SlackEmulator]:
    emulator = new_emulator()
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def socket_slack(slack_emu: SlackEmulator, tmp_path: Path) -> AsyncIterator[SlackRun]:
    run = SlackRun(slack_emu, "socket", f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}")
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


async def test_strikes_on_slack_reach_the_admins_and_cards_show_the_decision(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    slack = socket_slack
    pia = slack_emu.add_user("pia")
    slack_emu.add_user("mara", channels=["reviews"])
    for text in ("sei proprio un idiota", "che schifo, sei uno str0nzo"):
        await slack_emu.post_message(pia, "general", text)
        await slack.settle()
        card = next(m for m in reversed(bot_posts(slack_emu, "reviews")) if button_ids(m))
        await slack.click("mara", "reviews", str(card["ts"]), "Rifiuta")
        updated = slack_emu.message("reviews", str(card["ts"]))
        assert updated is not None and "Rifiutato da @mara" in str(updated["blocks"])
    notes = [str(m.get("text", "")) for m in bot_posts(slack_emu, "reviews")]
    assert any(
        "ha 2 ammonizioni attive" in note and "non posso applicare" in note for note in notes
    ), notes
    assert ephemerals_to(slack_emu, "mara")[-1].startswith("Hai rifiutato la revisione #2")
    assert slack_emu.problems == []
