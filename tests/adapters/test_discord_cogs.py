"""The moderation and file features of the real cogs on Discord, end to end: netiquette
holds a flagged post, a moderator's Approve brings it back under its author's name,
rejections escalate to a timeout, members report with a message command; a quiz bank is
imported from an attachment. The real discord.py against the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tests.adapters.discord_support import (
    EPHEMERAL,
    DiscordRun,
    buttons,
    discord_emulator,
    only_cogs,
    private_answers,
    settle,
)
from tests.emulators.discord_emulator import DiscordEmulator

ROOT = Path(__file__).resolve().parents[2]
INSULT = "sei proprio un idiota"
JSON = dict[str, Any]


@asynccontextmanager
async def ponte(tmp_path: Path, *cogs: str) -> AsyncIterator[DiscordRun]:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs(*cogs))
        await run.start()
        try:
            yield run
        finally:
            await run.stop()


def card_in(emu: DiscordEmulator, channel: str, title_part: str) -> JSON | None:
    for message in reversed(emu.messages[emu.channel_id(channel)]):
        embeds = message.get("embeds") or []
        if embeds and title_part in str(embeds[0].get("title", "")):
            return message
    return None


async def card(emu: DiscordEmulator, title_part: str) -> JSON:
    """The review card in #reviews, once it is there (checking a post takes a moment)."""
    found = await emu.wait_until(
        lambda: card_in(emu, "reviews", title_part), 10, what=f"review card {title_part}"
    )
    await settle(emu)
    return card_in(emu, "reviews", title_part) or found


async def press(emu: DiscordEmulator, user: str, message: JSON, label: str) -> list[str]:
    button = next(b for b in buttons(message) if b["label"] == label)
    record = await emu.press_button(user, message["id"], button["custom_id"])
    await emu.wait_for_callback(record)
    await settle(emu)
    return private_answers(emu, record)


async def test_a_flagged_post_is_held_and_approved_back_under_its_author(
    tmp_path: Path,
) -> None:
    async with ponte(tmp_path, "netiquette") as run:
        emu = run.emu
        alice = emu.add_user("alice", global_name="Alice")
        mara = emu.add_user("mara", roles=["Moderator"])
        posted = await emu.post_message(alice, "general", INSULT)
        review = await card(emu, "#1")
        assert all(m["id"] != posted["id"] for m in emu.messages[emu.channel_id("general")])
        answers = await press(emu, mara, review, "Approva")
        assert any("Hai approvato la revisione #1" in text for text in answers)
        restored = emu.messages[emu.channel_id("general")][-1]
        assert restored["content"] == INSULT and restored.get("webhook_id")
        assert restored["author"]["username"] == "Alice"


async def test_a_channel_full_of_webhooks_still_gets_the_approved_post_back(
    tmp_path: Path,
) -> None:
    async with ponte(tmp_path, "netiquette") as run:
        emu = run.emu
        general = emu.channel_id("general")
        for number in range(15):  # as many as Discord lets a channel hold, none Ponte's
            emu.create_webhook("general", name=f"Integrazione {number}")
        alice = emu.add_user("alice", global_name="Alice")
        mara = emu.add_user("mara", roles=["Moderator"])
        for number in (1, 2):
            await emu.post_message(alice, "general", f"{INSULT} {number}")
            answers = await press(emu, mara, await card(emu, f"#{number}"), "Approva")
            assert any(f"Hai approvato la revisione #{number}" in text for text in answers)
            restored = emu.messages[general][-1]
            assert restored["author"]["id"] == emu.bot_user_id  # the bot, naming alice
            assert restored["content"].endswith(f"{INSULT} {number}")
        # Discord said no once: the second restore did not ask again.
        assert len(emu.calls_matching("POST", rf"/channels/{general}/webhooks")) == 1


async def test_the_same_link_twice_is_not_held_for_its_preview(tmp_path: Path) -> None:
    async with ponte(tmp_path, "netiquette") as run:
        emu = run.emu
        alice = emu.add_user("alice")
        text = "il regolamento è qui: https://example.com/regole"
        posts = [await emu.post_message(alice, "general", text) for _ in range(2)]
        await settle(emu)
        assert all(emu.get_message(post["id"])["embeds"] for post in posts)  # previews came
        assert card_in(emu, "reviews", "#1") is None
        general = {m["id"] for m in emu.messages[emu.channel_id("general")]}
        assert {post["id"] for post in posts} <= general
        assert emu.dm_messages_for(alice) == []


async def test_rejections_escalate_to_a_discord_timeout(tmp_path: Path) -> None:
    async with ponte(tmp_path, "netiquette") as run:
        emu = run.emu
        alice = emu.add_user("alice")
        mara = emu.add_user("mara", roles=["Moderator"])
        for number in (1, 2):
            await emu.post_message(alice, "general", f"{INSULT} {number}")
            await press(emu, mara, await card(emu, f"#{number}"), "Rifiuta")
        await emu.wait_until(lambda: emu.timed_out_until(alice), 10, what="the timeout")


async def test_report_to_moderators_is_a_message_command(tmp_path: Path) -> None:
    async with ponte(tmp_path, "netiquette") as run:
        emu = run.emu
        alice, bob = emu.add_user("alice"), emu.add_user("bob")
        posted = await emu.post_message(alice, "general", "la pizza con l'ananas è buonissima")
        await settle(emu)
        (report,) = [c for c in emu.registered_commands() if c["type"] == 3]
        assert report["name_localizations"]["en-US"] != report["name"]  # Italian, the base
        record = await emu.message_command(bob, posted["id"], report["name"])
        await emu.wait_for_callback(record)
        await settle(emu)
        assert any("Grazie della segnalazione" in t for t in private_answers(emu, record))
        reported = await card(emu, "#1")
        assert reported["embeds"][0]["title"].startswith("🚩")
        assert any(m["id"] == posted["id"] for m in emu.messages[emu.channel_id("general")])


async def test_a_quiz_bank_is_imported_from_an_attachment(tmp_path: Path) -> None:
    async with ponte(tmp_path, "quizzes") as run:
        emu = run.emu
        staff = emu.add_user("sara", roles=["Staff"])
        bank = (ROOT / "tests" / "data" / "quizzes" / "storia.gift").read_bytes()
        record = await emu.slash_command(
            staff,
            "general",
            "quiz",
            subcommand="import",
            options={"name": "storia", "file": ("storia.gift", bank)},
        )
        await emu.wait_for_callback(record)
        await settle(emu)
        answers = [
            emu.get_message(i)
            for i in [record.response_message_id, *record.followup_ids]
            if i is not None
        ]
        assert any(
            "Banca «storia» importata" in str(m["content"]) and m["flags"] & EPHEMERAL
            for m in answers
        ), [m["content"] for m in answers]
