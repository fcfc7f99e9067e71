"""The console's lines that point at a member's message: reply, edit, delete, actions."""

from __future__ import annotations

from tests.harness import TestBot


async def test_a_member_deletes_only_their_own_message(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "@alice: ciao a tutti")
    said = await bot.say("@bob delete @alice")
    assert "puoi modificare o eliminare solo i tuoi messaggi" in said
    said = await bot.say("@alice delete @alice")
    assert "eliminato" in said
    said = await bot.say("@bob reply @alice: ciao!")
    assert "nessun messaggio «@alice»" in said


async def test_unknown_message_and_unknown_action_are_explained(bot_en: TestBot) -> None:
    await bot_en.say("join @alice", "@alice: hello")
    said = await bot_en.say("@alice edit 999: changed")
    assert "no message “999”" in said
    said = await bot_en.say("@alice frobnicate @alice")
    assert said.startswith("? line")
