"""Recurring questions on Discord, end to end: the real discord.py against the emulator.
Three members ask the same thing in their own words, the staff card appears once in the
channel DISCORD_STAFF_CHANNEL names and is edited when a fourth asks; Answer opens a modal,
its answer reaches every asker as a reply, and a fifth asker gets it from the FAQ."""

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
STAFF_CHANNEL = "supporto-staff"
ASKED = (
    ("alice", "come resetto la password?"),
    ("bob", "nn riesco a cambiare la pw"),
    ("carla", "password dimenticata, come faccio?"),
)
FOURTH = ("dario", "ho perso la password, come la recupero?")
FIFTH = ("elena", "come faccio a resettare la password?")
ANSWER = "Impostazioni → Account → Reimposta password: arriva una mail con il link."


def cards(emu: DiscordEmulator, channel: str) -> list[JSON]:
    return [
        message
        for message in bot_messages(emu, channel)
        if message.get("embeds")
        and "Domanda ricorrente #1" in str(message["embeds"][0].get("title"))
    ]


def replies_to(emu: DiscordEmulator, message: JSON) -> list[JSON]:
    return [
        reply
        for reply in bot_messages(emu, "general")
        if (reply.get("message_reference") or {}).get("message_id") == message["id"]
    ]


def asked_by(card: JSON) -> tuple[str, set[str]]:
    """The card's "asked by N members" field: its name and the names it lists."""
    (found,) = [f for f in card["embeds"][0]["fields"] if f["name"].startswith("Chiesta da")]
    return found["name"], set(found["value"].split(", "))


async def ask(emu: DiscordEmulator, user: str, text: str) -> JSON:
    posted = await emu.post_message(user, "general", text)
    await settle(emu)
    return posted


async def press(emu: DiscordEmulator, user: str, message: JSON, label: str) -> tuple[JSON, str]:
    """The callback the press got, and what only the presser saw."""
    (button,) = [b for b in buttons(message) if b["label"] == label]
    record = await emu.press_button(user, message["id"], button["custom_id"])
    callback = await emu.wait_for_callback(record)
    await settle(emu)
    return callback, "\n".join(private_answers(emu, record))


def text_inputs(modal: JSON) -> list[JSON]:
    found = []
    for row in modal["components"]:
        inner = row.get("component") or row
        found.extend(inner.get("components", [inner]))
    return [item for item in found if item.get("type") == 4]


async def test_staff_answer_a_recurring_question_in_a_modal_and_the_faq_answers_next(
    tmp_path: Path,
) -> None:
    async with discord_emulator() as emu:
        emu.add_channel("staff")  # not the configured one: it must stay empty
        emu.add_channel(STAFF_CHANNEL)
        users = {name: emu.add_user(name, global_name=name.title()) for name, _ in ASKED}
        users.update({name: emu.add_user(name) for name in (FOURTH[0], FIFTH[0])})
        sara = emu.add_user("sara", roles=["Staff"])
        run = DiscordRun(
            emu,
            f"sqlite+aiosqlite:///{tmp_path / 'd.db'}",
            {**only_cogs("questions"), "discord_staff_channel": STAFF_CHANNEL},
        )
        await run.start()
        try:
            asked = [await ask(emu, users[name], text) for name, text in ASKED]
            await emu.wait_until(lambda: cards(emu, STAFF_CHANNEL), 20, what="the staff card")
            await settle(emu)
            (card,) = cards(emu, STAFF_CHANNEL)
            assert asked_by(card) == ("Chiesta da 3 membri", {"Alice", "Bob", "Carla"})
            assert [b["label"] for b in buttons(card)] == [
                "Rispondi",
                "Non è una domanda",
                "Unisci a…",
            ]
            assert bot_messages(emu, "staff") == []
            assert all(replies_to(emu, message) == [] for message in asked)

            asked.append(await ask(emu, users[FOURTH[0]], FOURTH[1]))
            await emu.wait_until(
                lambda: asked_by(emu.get_message(card["id"]))[0] == "Chiesta da 4 membri",
                20,
                what="the card edited for a fourth asker",
            )
            assert len(cards(emu, STAFF_CHANNEL)) == 1  # edited, never posted again
            assert "dario" in asked_by(emu.get_message(card["id"]))[1]

            callback, _ = await press(emu, sara, emu.get_message(card["id"]), "Rispondi")
            assert callback["type"] == 9  # the modal opens
            modal = callback["data"]
            assert modal["title"] == "Rispondi al gruppo #1"
            (field,) = [i for i in text_inputs(modal) if i["custom_id"] == "answer"]
            record = await emu.submit_modal(
                sara, STAFF_CHANNEL, modal["custom_id"], {field["custom_id"]: ANSWER}
            )
            await emu.wait_for_callback(record)
            await settle(emu)
            assert private_answers(emu, record) == [
                "Risposta salvata nelle FAQ (voce #1) e inviata a chi ha chiesto (gruppo #1)."
            ]
            for message in asked:
                (reply,) = replies_to(emu, message)
                assert f"<@{message['author']['id']}>" in reply["content"]
                assert "lo staff ha risposto alla tua domanda" in reply["content"]
                assert reply["embeds"][0]["description"] == ANSWER
            answered = emu.get_message(card["id"])
            assert answered["embeds"][0]["title"] == "✅ Domanda ricorrente #1: risposta nelle FAQ"
            assert buttons(answered) == []

            fifth = await ask(emu, users[FIFTH[0]], FIFTH[1])
            await emu.wait_until(lambda: replies_to(emu, fifth), 20, what="the FAQ's answer")
            await settle(emu)
            (faq,) = replies_to(emu, fifth)
            assert "questa domanda ha già una risposta nelle FAQ" in faq["content"]
            assert faq["embeds"][0]["description"] == ANSWER
            assert [b["label"] for b in buttons(faq)] == ["Utile", "Non utile"]
            _, said = await press(emu, users["alice"], faq, "Utile")
            assert said == "Solo chi ha fatto la domanda può giudicare questa risposta."
            _, said = await press(emu, users[FIFTH[0]], faq, "Utile")
            assert said == "Grazie! Ci fa piacere che la risposta ti sia servita."
            _, said = await press(emu, users[FIFTH[0]], faq, "Non utile")
            assert said == "Ci hai già detto la tua su questa risposta: grazie!"
            assert len(cards(emu, STAFF_CHANNEL)) == 1
        finally:
            await run.stop()
