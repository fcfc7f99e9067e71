"""Polls, finished: results hidden until the close, and a closed poll's results as CSV."""

from __future__ import annotations

import re

from tests.contest_helpers import saved_file
from tests.harness import TestBot

HIDDEN = '@alice: /poll "Chi vince?" "Rossi" "Verdi" duration:1h results:hidden'


async def members(bot: TestBot) -> None:
    await bot.say("join @alice", "join @bob", "join @carla", "join @mara as staff")


async def test_hidden_results_stay_off_the_card_until_the_close(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say(HIDDEN)
    assert "[Rossi] [Verdi] [Chiudi sondaggio]" in said
    assert "🔒 risultati alla chiusura" in said and "risultati nascosti" in said
    assert not re.search(r"[█░]+ \d+ vot", said)
    said = await bot.say("@bob click Rossi")
    assert not re.search(r"[█░]+ \d+ vot", said) and "%" not in said
    assert "[solo per @bob] Voto registrato: Rossi." in said
    said = await bot.say("@carla click Rossi", "@carla click Verdi")
    assert not re.search(r"[█░]+ \d+ vot", said)
    assert "Voto cambiato: ora Verdi." in said
    said = await bot.advance("61m")
    # At the close the counts appear: on the card, then in the results.
    card, results = said.split("🏁")
    assert re.findall(r"[█░]+ (\d+) vot", card) == ["1", "1"]
    assert re.findall(r"[█░]+ (\d+) vot", results) == ["1", "1"]
    assert "Parità tra: Rossi, Verdi." in results
    assert "risultati nascosti" not in said and "🔒" not in said


async def test_a_live_poll_is_unchanged(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say('@alice: /poll "Pizza?" "Sì" "No" results:live', "@bob click Sì")
    assert re.findall(r"[█░]+ (\d+) vot", said.split("┃ 📊")[-1]) == ["1", "0"]
    said = await bot.say('@alice: /poll "Q?" "A" "B" results:forse')
    assert "«forse» non è una scelta valida per «results»: live, hidden." in said


async def test_staff_export_a_closed_polls_results(bot: TestBot) -> None:
    await members(bot)
    await bot.say(
        '@alice: /poll "Pizza o pasta?" "Pizza" "=Pasta" duration:1h',
        "@bob click Pizza",
        "@carla click Pizza",
        "@alice click =Pasta",
    )
    said = await bot.say("@mara: /poll export poll:1")
    assert "[solo per @mara] Il sondaggio è ancora aperto: si esporta dopo la chiusura." in said
    await bot.advance("61m")
    said = await bot.say("@bob: /poll export poll:1")
    assert "📎" not in said and said.startswith("[solo per @bob]")
    said = await bot.say("@mara: /poll export 1")
    assert "[solo per @mara] Ecco i risultati di «Pizza o pasta?»." in said
    rows = saved_file(said, "poll-1-results.csv").splitlines()
    assert rows == [
        "posizione,opzione,voti,quota,votanti",
        "1,Pizza,2,0.6667,bob; carla",
        "2,'=Pasta,1,0.3333,alice",
    ]
    said = await bot.say("@mara: /poll export poll:7")
    assert "#7" in said


async def test_an_anonymous_export_names_nobody(bot_en: TestBot) -> None:
    await bot_en.say("join @alice", "join @bob", "join @mara as staff")
    await bot_en.say(
        '@alice: /poll "Secret?" "Yes" "No" anonymous:yes results:hidden', "@bob click Yes"
    )
    said = await bot_en.say("@alice click Close poll")
    assert "“Yes” wins." in said
    said = await bot_en.say("@mara: /poll export poll:1")
    rows = saved_file(said, "poll-1-results.csv").splitlines()
    assert rows == ["position,option,votes,share,voters", "1,Yes,1,1.0000,", "2,No,0,0.0000,"]
