"""`/privacy` on Discord over the emulator: the export arrives as a JSON attachment in the
member's DMs, and the erasure's confirmation button sits there too."""

from __future__ import annotations

import json
from pathlib import Path

from tests.adapters.discord_support import (
    EPHEMERAL,
    DiscordRun,
    ScriptOverDiscord,
    buttons,
    discord_emulator,
    settle,
)

QUESTION = "come si partecipa al torneo di sabato?"


async def test_export_and_delete_go_through_the_members_dms(tmp_path: Path) -> None:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}")
        await run.start()
        try:
            script = ScriptOverDiscord(run)
            await script.play(
                [
                    "join @alice",
                    "join @mara as admin",
                    '@mara: /poll "Pizza o pasta?" "Pizza" "Pasta"',
                    "@alice click Pizza",
                    f"@alice: {QUESTION}",
                    "@alice: /privacy export",
                ]
            )
            await settle(emu)
            alice = script.users["alice"]
            (exported,) = [m for m in emu.dm_messages_for(alice) if m.get("attachments")]
            (attachment,) = exported["attachments"]
            assert attachment["filename"].endswith(".json")
            document = json.loads(emu.file_bytes(attachment["id"]))
            assert document["member"] == alice
            assert QUESTION in json.dumps(document, ensure_ascii=False)
            assert "Pizza" in json.dumps(document["data"]["polls"], ensure_ascii=False)
            assert script.answers()[-1] == ("alice", "Te l'ho mandato in un messaggio privato.")

            # The confirmation is an answer only alice sees, where she typed the command.
            await script.play(["@alice: /privacy delete"])
            await settle(emu)
            _, asked = script.records[-1]
            confirm = emu.get_message(str(asked.response_message_id))
            assert confirm["flags"] & EPHEMERAL and confirm["embeds"][0]["title"] == (
                "Cancellare i tuoi dati?"
            )
            erase = next(b for b in buttons(confirm) if b["label"] == "Cancella i miei dati")
            record = await emu.press_button(alice, confirm["id"], erase["custom_id"])
            await emu.wait_for_callback(record)
            await settle(emu)
            done = emu.get_message(confirm["id"])
            assert done["content"].startswith("Fatto: i tuoi dati sono stati cancellati")
            assert not buttons(done)

            await script.play(["@alice: /privacy export"])
            await settle(emu)
            *_, again = [m for m in emu.dm_messages_for(alice) if m.get("attachments")]
            assert json.loads(emu.file_bytes(again["attachments"][0]["id"]))["data"] == {}
        finally:
            await run.stop()
