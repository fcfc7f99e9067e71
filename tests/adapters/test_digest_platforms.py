"""`/digest now` over each emulator: the digest card reaches the staff channel with its
chart, a Discord attachment shown in the embed, a file uploaded after the message on Slack."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.discord_support import DiscordRun, discord_emulator, only_cogs, settle
from tests.adapters.slack_support import SlackRun, bot_posts, ephemerals_to
from tests.emulators.slack import SlackEmulator

PNG = b"\x89PNG\r\n\x1a\n"


async def test_digest_now_on_discord_attaches_the_chart(tmp_path: Path) -> None:
    async with discord_emulator() as emu:
        emu.add_channel("staff")
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("digest"))
        await run.start()
        try:
            alice = emu.add_user("alice")
            sara = emu.add_user("sara", roles=["Staff"])
            await emu.post_message(alice, "general", "ciao a tutti")
            await emu.post_message(alice, "general", "c'è nessuno?")
            await settle(emu)
            record = await emu.slash_command(sara, "general", "digest", subcommand="now")
            await emu.wait_for_callback(record)
            staff = emu.channel_id("staff")
            # Drawing the chart takes longer than the adapter's quiet spell.
            await emu.wait_until(
                lambda: any(m.get("embeds") for m in emu.messages[staff]), 20, what="digest"
            )
            await settle(emu)
            posted = [m for m in emu.messages[staff] if m.get("embeds")]
            assert len(posted) == 1
            (embed,) = posted[0]["embeds"]
            assert embed["title"].startswith("📈 Anteprima del digest")
            values = "\n".join(field["value"] for field in embed["fields"])
            assert "Messaggi: 2 (▲ +2)" in values
            (attachment,) = posted[0]["attachments"]
            assert attachment["filename"].endswith(".png")
            assert embed["image"]["url"].endswith(attachment["filename"])
        finally:
            await run.stop()


async def test_digest_now_on_slack_uploads_the_chart(
    slack_emu: SlackEmulator, slack_db: str
) -> None:
    run = SlackRun(slack_emu, "socket", slack_db, overrides=only_cogs("digest"))
    await run.start()
    try:
        pia = slack_emu.add_user("pia")
        slack_emu.add_user("sara", channels=["staff"])
        await slack_emu.post_message(pia, "general", "ciao a tutti")
        await slack_emu.post_message(pia, "general", "c'è nessuno?")
        await run.settle()
        await run.command("sara", "general", "/digest now")
        staff = slack_emu.channel_id("staff")
        assert ephemerals_to(slack_emu, "sara") == [
            f"Anteprima del digest pubblicata in <#{staff}>."
        ]
        card, upload = bot_posts(slack_emu, "staff")
        assert "📈 Anteprima del digest" in str(card["blocks"])
        assert "Messaggi: 2 (▲ +2)" in str(card["blocks"])
        (shared,) = upload["files"]
        assert shared["name"].endswith(".png")
        assert slack_emu.files[shared["id"]].data.startswith(PNG)
        assert slack_emu.problems == []
    finally:
        await run.stop()


async def test_tagging_on_discord_asks_for_the_tag_in_a_form(tmp_path: Path) -> None:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("digest"))
        await run.start()
        try:
            alice = emu.add_user("alice")
            sara = emu.add_user("sara", roles=["Staff"])
            posted = await emu.post_message(alice, "general", "il login non va")
            await settle(emu)
            record = await emu.message_command(sara, posted["id"], "Aggiungi un tag")
            callback = await emu.wait_for_callback(record)
            assert callback["type"] == 9  # a modal
            assert callback["data"]["title"] == "Tag del messaggio"
            custom_id = callback["data"]["custom_id"]
            submitted = await emu.submit_modal(sara, "general", custom_id, {"tag": "Bug"})
            await emu.wait_for_callback(submitted)
            await settle(emu)
            answers = [
                emu.get_message(i)
                for i in [submitted.response_message_id, *submitted.followup_ids]
                if i is not None
            ]
            assert [m["content"] for m in answers] == ["Tag «bug» aggiunto al messaggio."]
            record = await emu.slash_command(sara, "general", "tags", subcommand="list")
            await emu.wait_for_callback(record)
            await settle(emu)
            listed = emu.get_message(record.response_message_id)
            assert "#bug · messaggi: 1" in listed["content"]
        finally:
            await run.stop()
