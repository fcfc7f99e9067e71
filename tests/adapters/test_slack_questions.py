"""Recurring questions on Slack, end to end: slack-bolt against the emulator in Socket Mode.
Three members ask the same thing in their own words, the staff card appears once in #staff
(whose members are staff) and is edited when a fourth asks; Answer opens a modal with
views.open, its answer reaches every asker in their message's thread, and a fifth asker
gets it from the FAQ."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.discord_support import only_cogs
from tests.adapters.slack_support import (
    SlackRun,
    bot_posts,
    button_ids,
    ephemerals_to,
    new_emulator,
    slack_seen,
)
from tests.emulators.slack import SlackEmulator

JSON = dict[str, Any]
ASKED = (
    ("alice", "come resetto la password?"),
    ("bob", "nn riesco a cambiare la pw"),
    ("carla", "password dimenticata, come faccio?"),
)
FOURTH = ("dario", "ho perso la password, come la recupero?")
FIFTH = ("elena", "come faccio a resettare la password?")
ANSWER = "Impostazioni → Account → Reimposta password: arriva una mail con il link."


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackRun]:
    emu = new_emulator()
    await emu.start()
    run = SlackRun(emu, "socket", f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    run.overrides.update(only_cogs("questions"))
    try:
        await run.start()
        yield run
    finally:
        await run.stop()
        await emu.stop()


def cards(emu: SlackEmulator) -> list[JSON]:
    return [
        message
        for message in bot_posts(emu, "staff")
        if "Domanda ricorrente #1" in slack_seen(emu, "staff", message).title
    ]


def asked_by(emu: SlackEmulator, card: JSON) -> tuple[str, set[str]]:
    """The card's "asked by N members" field: its name and the names it lists."""
    (found,) = [f for f in slack_seen(emu, "staff", card).fields if f.startswith("Chiesta da")]
    name, _, names = found.partition(": ")
    return name, set(names.split(", "))


def in_thread(emu: SlackEmulator, ts: str) -> list[JSON]:
    return [m for m in bot_posts(emu, "general") if m.get("thread_ts") == ts]


async def ask(run: SlackRun, name: str, text: str) -> str:
    ts = await run.emu.post_message(run.emu.user_id(name), "general", text)
    await run.settle()
    return ts


async def test_staff_answer_a_recurring_question_in_a_modal_and_the_faq_answers_next(
    slack: SlackRun,
) -> None:
    emu = slack.emu
    for name, _ in (*ASKED, FOURTH, FIFTH):
        emu.add_user(name)
    sara = emu.add_user("sara", channels=["staff"])

    asked = [await ask(slack, name, text) for name, text in ASKED]
    (card,) = cards(emu)
    ts = str(card["ts"])
    assert asked_by(emu, card) == ("Chiesta da 3 membri", {"alice", "bob", "carla"})
    assert list(button_ids(card)) == ["Rispondi", "Non è una domanda", "Unisci a…"]
    assert all(in_thread(emu, message) == [] for message in asked)

    asked.append(await ask(slack, *FOURTH))
    edited = emu.message("staff", ts)
    assert edited is not None
    assert asked_by(emu, edited) == ("Chiesta da 4 membri", {"alice", "bob", "carla", "dario"})
    assert len(cards(emu)) == 1  # edited, never posted again
    assert [call.params.get("ts") for call in emu.calls_to("chat.update")] == [ts]
    # The card links the questions again each time it is drawn; Slack is asked once each.
    linked = [call.params.get("message_ts") for call in emu.calls_to("chat.getPermalink")]
    assert sorted(linked) == sorted(asked)

    await slack.click("sara", "staff", ts, "Rispondi")
    (opened,) = emu.views_opened
    assert opened.method == "views.open" and opened.user_id == sara
    assert opened.view["title"]["text"].startswith("Rispondi al gruppo #1")
    submitted = await emu.submit_view(sara, opened.view_id, {"answer": ANSWER})
    await emu.wait_for_ack(submitted)
    await slack.settle()
    assert ephemerals_to(emu, "sara") == [
        "Risposta salvata nelle FAQ (voce #1) e inviata a chi ha chiesto (gruppo #1)."
    ]
    for (name, _), message in zip((*ASKED, FOURTH), asked, strict=True):
        (reply,) = in_thread(emu, message)
        seen = slack_seen(emu, "general", reply)
        assert seen.text == f"@{name}, lo staff ha risposto alla tua domanda:"
        assert seen.body == ANSWER
    answered = emu.message("staff", ts)
    assert answered is not None
    assert (
        slack_seen(emu, "staff", answered).title == "✅ Domanda ricorrente #1: risposta nelle FAQ"
    )
    assert button_ids(answered) == {}

    fifth = await ask(slack, *FIFTH)
    (faq,) = in_thread(emu, fifth)
    assert "questa domanda ha già una risposta nelle FAQ" in faq["text"]
    assert slack_seen(emu, "general", faq).body == ANSWER
    assert list(button_ids(faq)) == ["Utile", "Non utile"]
    await slack.click("alice", "general", str(faq["ts"]), "Utile")
    assert ephemerals_to(emu, "alice") == [
        "Solo chi ha fatto la domanda può giudicare questa risposta."
    ]
    await slack.click("elena", "general", str(faq["ts"]), "Utile")
    await slack.click("elena", "general", str(faq["ts"]), "Non utile")
    assert ephemerals_to(emu, "elena") == [
        "Grazie! Ci fa piacere che la risposta ti sia servita.",
        "Ci hai già detto la tua su questa risposta: grazie!",
    ]
    assert len(cards(emu)) == 1
    assert emu.problems == []
