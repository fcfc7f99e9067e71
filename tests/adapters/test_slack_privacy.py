"""`/privacy` on Slack over the emulator: the export is a JSON file uploaded in the member's
DM, and the erasure's confirmation is an ephemeral message whose button only they see."""

from __future__ import annotations

import json

from tests.adapters.slack_support import SlackRun, button_ids, ephemerals_to
from tests.emulators.slack import SlackEmulator

QUESTION = "come si partecipa al torneo di sabato?"


async def test_export_in_the_dm_and_delete_from_an_ephemeral_confirmation(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    await slack_emu.post_message(pia, "general", QUESTION)
    await socket_slack.settle()

    await socket_slack.command("pia", "general", "/privacy export")
    (upload,) = [m for m in slack_emu.dms_to(pia) if m.get("files")]
    (shared,) = upload["files"]
    assert shared["name"].endswith(".json")
    data = slack_emu.files[shared["id"]].data
    assert data is not None
    document = json.loads(data)
    assert document["member"] == pia
    assert QUESTION in json.dumps(document, ensure_ascii=False)
    assert ephemerals_to(slack_emu, "pia")[-1] == "Te l'ho mandato in un messaggio privato."

    await socket_slack.command("pia", "general", "/privacy delete")
    (confirm,) = [e for e in slack_emu.ephemerals if e["user"] == pia and button_ids(e)]
    erase = button_ids(confirm)["Cancella i miei dati"]
    await slack_emu.click_button(pia, (confirm["channel"], confirm["ts"]), erase)
    await socket_slack.settle()

    await socket_slack.command("pia", "general", "/privacy export")
    *_, again = [m for m in slack_emu.dms_to(pia) if m.get("files")]
    erased = slack_emu.files[again["files"][0]["id"]].data
    assert erased is not None and json.loads(erased)["data"] == {}
    assert slack_emu.problems == []
