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
from tests.emulators.slack import SlackEmulator, edit_message


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


async def test_a_link_preview_is_no_edit_to_check_again_while_a_real_edit_is(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    slack_emu.sparse_payloads = "always"  # Slack's documented change: no message before it
    pia = slack_emu.add_user("pia")
    loud = "GUARDATE TUTTI QUANTI QUESTO SITO DAVVERO BELLISSIMO <https://example.com>"

    ts = await slack_emu.post_message(pia, "general", loud)
    await socket_slack.settle()  # the preview's message_changed has come too

    posted = slack_emu.message("general", ts)
    assert posted is not None and posted["attachments"][0]["from_url"] == "https://example.com"
    (warning,) = [m["text"] for m in slack_emu.dms_to(pia)]  # warned once, not per preview
    assert "sembra non rispettare la regola" in warning
    assert not [m for m in bot_posts(slack_emu, "reviews") if button_ids(m)]

    await edit_message(slack_emu, pia, "general", ts, "sei proprio un idiota")
    await socket_slack.settle()
    (card,) = [m for m in bot_posts(slack_emu, "reviews") if button_ids(m)]
    assert "sei proprio un ⟦idiota⟧" in card["text"]
    assert slack_emu.problems == []


async def test_a_member_of_another_organization_is_told_privately_in_the_channel(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    # A Slack Connect member: Slack refuses the bot a DM (invalid_user_combination).
    pia = slack_emu.add_user("pia", external=True)

    await slack_emu.post_message(pia, "general", "sei proprio un idiota")
    await socket_slack.settle()

    refused = [call.error for call in slack_emu.calls_to("conversations.open")]
    assert refused == ["invalid_user_combination"]
    assert slack_emu.dms_to(pia) == []
    (told,) = ephemerals_to(slack_emu, "pia")
    assert told.startswith("Ciao pia, il tuo messaggio in <#")
    assert "in attesa di revisione" in told
    assert slack_emu.problems == []
