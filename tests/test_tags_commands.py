"""Tags: staff tag members' messages by theme, list them with counts and rename them."""

from __future__ import annotations

from tests.harness import TestBot


async def _people(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @mara as staff")
    await bot.say("@alice in #aiuto: il login non funziona", "@bob in #generale: bella la grafica")


async def test_tag_list_and_counts(bot: TestBot) -> None:
    await _people(bot)
    said = await bot.say("@mara tag @alice #Bug")
    assert "[solo per @mara] Tag «bug» aggiunto al messaggio." in said
    said = await bot.say("@mara tag @alice bug")
    assert "Il messaggio ha già il tag «bug»." in said
    await bot.say("@mara tag @bob feedback", "@mara tag @alice campagna-natale")
    await bot.say("@bob in #generale: e il login?", "@mara tag @bob bug")
    said = await bot.say("@mara: /tags")
    assert said.splitlines() == [
        "[solo per @mara] Tag dei messaggi:",
        "  #bug · messaggi: 2",
        "  #campagna-natale · messaggi: 1",
        "  #feedback · messaggi: 1",
    ]


async def test_a_bad_tag_is_refused_and_nothing_kept(bot: TestBot) -> None:
    await _people(bot)
    said = await bot.say("@mara tag @alice due parole")
    assert "«due parole» non è un tag valido" in said
    said = await bot.say("@mara: /tags")
    assert "Nessun messaggio ha ancora un tag." in said


async def test_without_an_argument_a_form_asks_for_the_tag(bot: TestBot) -> None:
    await _people(bot)
    said = await bot.say("@mara tag @alice")
    assert "Tag del messaggio" in said
    said = await bot.say('@mara fill tag:"bug"')
    assert "Tag «bug» aggiunto al messaggio." in said


async def test_rename_merges_into_an_existing_tag(bot: TestBot) -> None:
    await _people(bot)
    await bot.say("@mara tag @alice bug", "@mara tag @alice bachi", "@mara tag @bob bachi")
    said = await bot.say("@mara: /tags rename from:bachi to:bug")
    assert "Tag «bachi» rinominato in «bug» (messaggi: 2)." in said
    said = await bot.say("@mara: /tags")
    assert "#bug · messaggi: 2" in said and "bachi" not in said
    said = await bot.say("@mara: /tags rename from:bachi to:bug")
    assert "Nessun messaggio ha il tag «bachi»." in said


async def test_members_may_not_tag_or_list(bot: TestBot) -> None:
    await _people(bot)
    said = await bot.say("@bob tag @alice bug")
    assert "[solo per @bob] Questa azione è riservata al ruolo staff." in said
    said = await bot.say("@bob: /tags")
    assert "[solo per @bob] Questa azione è riservata al ruolo staff." in said


async def test_tags_in_english(bot_en: TestBot) -> None:
    await _people(bot_en)
    said = await bot_en.say("@mara tag @alice bug")
    assert "[only for @mara] Tagged the message “bug”." in said
    said = await bot_en.say("@mara: /tags rename from:bug to:login")
    assert "Renamed the tag “bug” to “login” (messages: 1)." in said
    said = await bot_en.say("@mara: /tags")
    assert "#login · messages: 1" in said
