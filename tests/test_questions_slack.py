"""Recurring questions on Slack, end to end over the emulator: the staff card in #staff, the
Answer modal, threaded replies to the askers, the FAQ's answer in a new asker's thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.adapters.slack_support import SlackRun, bot_posts, button_ids, new_emulator
from tests.emulators.slack import SlackEmulator

ASKED = (
    ("alice", "come resetto la password?"),
    ("bob", "nn riesco a cambiare la pw"),
    ("carla", "password dimenticata, help"),
)


def card(emu: SlackEmulator) -> dict[str, Any]:
    (found,) = [message for message in bot_posts(emu, "staff") if button_ids(message)]
    return found


def threaded(emu: SlackEmulator, ts: str) -> list[dict[str, Any]]:
    return [message for message in bot_posts(emu, "general") if message.get("thread_ts") == ts]


async def test_card_answer_modal_and_faq_answer_on_slack(tmp_path: Path) -> None:
    emu: SlackEmulator = new_emulator()
    await emu.start()
    run = SlackRun(emu, "socket", f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}")
    try:
        await run.start()
        for name, _ in ASKED:
            emu.add_user(name)
        emu.add_user("dario")
        sara = emu.add_user("sara", channels=["staff"])
        asked = [await emu.post_message(emu.user_id(name), "general", text) for name, text in ASKED]
        await run.settle()
        staff_card = card(emu)
        assert list(button_ids(staff_card)) == ["Rispondi", "Non è una domanda", "Unisci a…"]
        assert "alice" in str(staff_card["blocks"]) and "carla" in str(staff_card["blocks"])
        await run.click("sara", "staff", str(staff_card["ts"]), "Rispondi")
        (opened,) = emu.views_opened
        assert [block["block_id"] for block in opened.view["blocks"]] == ["answer", "question"]
        submitted = await emu.submit_view(
            sara, opened.view_id, {"answer": "Impostazioni → Account."}
        )
        await emu.wait_for_ack(submitted)
        await run.settle()
        for ts in asked:
            [reply] = threaded(emu, ts)
            assert "Impostazioni → Account." in str(reply["blocks"])
        edited = emu.message("staff", str(staff_card["ts"]))
        assert edited is not None and "risposta nelle FAQ" in str(edited["blocks"])
        ts = await emu.post_message(emu.user_id("dario"), "general", "come si resetta la password?")
        await run.settle()
        [answer] = threaded(emu, ts)
        assert "questa domanda ha già una risposta nelle FAQ" in answer["text"]
        assert list(button_ids(answer)) == ["Utile", "Non utile"]
        await run.click("dario", "general", str(answer["ts"]), "Non utile")
        assert emu.problems == []
    finally:
        await run.stop()
        await emu.stop()
