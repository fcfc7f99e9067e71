"""Recurring questions on Discord, end to end: the staff card, the Answer modal, replies to
the askers' messages, the FAQ's answer with its buttons. The real discord.py against the
emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.adapters.discord_support import (
    DiscordRun,
    bot_messages,
    buttons,
    discord_emulator,
    only_cogs,
    private_answers,
    settle,
)
from tests.emulators.discord_emulator import DiscordEmulator

JSON = dict[str, Any]
ASKED = (
    "come resetto la password?",
    "nn riesco a cambiare la pw",
    "password dimenticata, help",
)


def staff_card(emu: DiscordEmulator) -> JSON | None:
    for message in reversed(bot_messages(emu, "staff")):
        embeds = message.get("embeds") or []
        if embeds and "Domanda ricorrente #1" in str(embeds[0].get("title", "")):
            return message
    return None


def replies_to(emu: DiscordEmulator, message_id: str) -> list[JSON]:
    return [
        message
        for message in bot_messages(emu, "general")
        if (message.get("message_reference") or {}).get("message_id") == message_id
    ]


async def press(emu: DiscordEmulator, user: str, message: JSON, label: str) -> Any:
    button = next(item for item in buttons(message) if item["label"] == label)
    record = await emu.press_button(user, message["id"], button["custom_id"])
    callback = await emu.wait_for_callback(record)
    await settle(emu)
    return record, callback


async def test_card_answer_modal_and_faq_answer_on_discord(tmp_path: Path) -> None:
    async with discord_emulator() as emu:
        emu.add_channel("staff")
        askers = [emu.add_user(name) for name in ("alice", "bob", "carla")]
        dario = emu.add_user("dario")
        sara = emu.add_user("sara", roles=["Staff"])
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("questions"))
        await run.start()
        try:
            posted = [
                await emu.post_message(user, "general", text)
                for user, text in zip(askers, ASKED, strict=True)
            ]
            card = await emu.wait_until(lambda: staff_card(emu), 20, what="the staff card")
            await settle(emu)
            embed = card["embeds"][0]
            [askers_field] = [f for f in embed["fields"] if f["name"] == "Chiesta da 3 membri"]
            assert set(askers_field["value"].split(", ")) == {"alice", "bob", "carla"}
            assert [item["label"] for item in buttons(card)] == [
                "Rispondi",
                "Non è una domanda",
                "Unisci a…",
            ]
            _, callback = await press(emu, sara, card, "Rispondi")
            assert callback["type"] == 9  # a modal
            record = await emu.submit_modal(
                sara, "staff", "questions:answer:1", {"answer": "Impostazioni → Account."}
            )
            await emu.wait_for_callback(record)
            await settle(emu)
            assert any(
                "Risposta salvata nelle FAQ" in text for text in private_answers(emu, record)
            )
            for message in posted:
                [reply] = replies_to(emu, message["id"])
                assert reply["embeds"][0]["description"] == "Impostazioni → Account."
            edited = emu.get_message(card["id"])
            assert "risposta nelle FAQ" in edited["embeds"][0]["title"]
            asked = await emu.post_message(dario, "general", "come faccio a resettare la password?")
            await emu.wait_until(lambda: replies_to(emu, asked["id"]), 20, what="the FAQ answer")
            await settle(emu)
            [answer] = replies_to(emu, asked["id"])
            assert "questa domanda ha già una risposta nelle FAQ" in answer["content"]
            record, _ = await press(emu, dario, answer, "Non utile")
            assert any("Grazie del riscontro" in text for text in private_answers(emu, record))
        finally:
            await run.stop()
