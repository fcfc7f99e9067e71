"""A scripted fortnight on the console: the weekly digest, checked number by number."""

from __future__ import annotations

import asyncio
import re
import struct
from pathlib import Path

from tests.digest_helpers import advance_to, bullets, digest_cards, value
from tests.harness import TestBot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def _week_before(bot: TestBot) -> None:
    """Monday: three joins, two messages in #generale; Tuesday: one in #aiuto."""
    await advance_to(bot, 0, 10)
    await bot.say("join @alice", "join @bob", "join @carla")
    await bot.say("@alice in #generale: buongiorno", "@alice in #generale: come va?")
    await bot.advance("1d")
    await bot.say("@bob in #aiuto: dove trovo le regole?")


async def _this_week(bot: TestBot, poll: str, close: str) -> None:
    """Monday: two joins, a leave, five messages, a tagged question answered in 30 minutes
    by staff, a poll closed; Tuesday: one message. Six in all: #generale 3, #aiuto 3."""
    await bot.say("join @dario", "join @mara as staff", "leave @carla")
    await bot.say(
        "@alice in #generale: ciao a tutti",
        "@alice in #generale: novità?",
        "@dario in #generale: eccomi",
        "@bob in #aiuto: il login non funziona",
    )
    await bot.say("@mara tag @bob bug")
    await bot.advance("30m")
    await bot.say("@mara reply @bob: ora guardo")
    await bot.say(poll, "@bob click Pizza", "@dario click Pizza", "@alice click Pasta")
    await bot.say(f"@alice click {close}")
    await bot.advance("1d")
    await bot.say("@alice in #aiuto: risolto?")


async def test_weekly_digest_in_italian_number_by_number(bot: TestBot) -> None:
    await _week_before(bot)
    said = await advance_to(bot, 0, 10)  # the Monday digest of the first week is posted
    [first] = digest_cards(said)
    assert "📈 Digest settimanale" in first
    assert value(first, "Messaggi") == "3 (▲ +3)"
    await _this_week(bot, '@alice: /poll "Pizza o pasta?" "Pizza" "Pasta"', "Chiudi sondaggio")
    said = await advance_to(bot, 0, 9, 5)
    [card] = digest_cards(said)
    assert value(card, "Nuovi membri") == "2 (▼ −1)"
    assert value(card, "Usciti") == "1 (▲ +1)"
    assert value(card, "Crescita netta") == "1 (▼ −2)"
    assert value(card, "Membri attivi") == "4 (▲ +2)"  # alice, bob, dario, mara
    assert value(card, "Messaggi") == "6 (▲ +3)"
    assert bullets(card, "Per canale") == ["#generale: 3 (▲ +1)", "#aiuto: 3 (▲ +2)"]
    days = bullets(card, "Per giorno")
    assert len(days) == 7
    assert days[0].startswith("lun ") and days[0].endswith(": 5 (▲ +3)")
    assert days[1].startswith("mar ") and days[1].endswith(": 1 (=)")
    assert all(day.endswith(": 0 (=)") for day in days[2:])
    assert value(card, "Post con risposta") == "1 su 5"
    assert value(card, "Mediana") == "30 minuti (prima: —)"
    assert value(card, "#bug") == (
        "messaggi: 1 · con risposta del team: 1 · tempo mediano: 30 minuti"
    )
    assert "📊 Sondaggi chiusi" in card
    assert re.search(r"· Pizza o pasta\?: Vince «Pizza»\. · votanti: 3", card)
    assert "alice (" not in card  # names are off by default


async def test_the_chart_is_a_png_saved_and_named(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "@mara in #generale: ciao")
    said = await bot.say("@mara: /digest now")
    assert "[solo per @mara] Anteprima del digest pubblicata in #staff." in said
    found = re.search(r"🖼 file salvato in (\S+\.png)", said)
    assert found, said
    data = await asyncio.to_thread(Path(found[1]).read_bytes)
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (800, 400)


async def test_weekly_digest_in_english(bot_en: TestBot) -> None:
    bot = bot_en
    await _week_before(bot)
    await advance_to(bot, 0, 10)
    await _this_week(bot, '@alice: /poll "Pizza or pasta?" "Pizza" "Pasta"', "Close poll")
    said = await advance_to(bot, 0, 9, 5)
    [card] = digest_cards(said)
    assert "📈 Weekly digest" in card
    assert value(card, "New members") == "2 (▼ −1)"
    assert value(card, "Left") == "1 (▲ +1)"
    assert value(card, "Active members") == "4 (▲ +2)"
    assert value(card, "Messages") == "6 (▲ +3)"
    assert bullets(card, "Per channel") == ["#generale: 3 (▲ +1)", "#aiuto: 3 (▲ +2)"]
    assert value(card, "Posts answered") == "1 of 5"
    assert value(card, "Median") == "30 minutes (before: —)"
    assert value(card, "#bug") == (
        "messages: 1 · answered by the team: 1 · median time: 30 minutes"
    )
    assert re.search(r"· Pizza or pasta\?: .*Pizza.* · voters: 3", card)


async def test_names_only_where_the_community_allows(bot: TestBot) -> None:
    await bot.say("join @ada as admin", "join @mara as staff", "join @alice")
    await bot.say("@alice in #generale: uno", "@alice in #generale: due", "@mara in #generale: tre")
    said = await bot.say("@mara: /digest now")
    assert "Più attivi" not in said
    said = await bot.say("@ada: /digest settings names:sì")
    assert "Nomi dei membri: sì." in said
    said = await bot.say("@mara: /digest now")
    [card] = digest_cards(said)
    assert value(card, "Più attivi") == "alice (2), mara (1)"


async def test_a_member_may_not_preview_or_change_the_digest(bot: TestBot) -> None:
    await bot.say("join @alice", "join @mara as staff")
    said = await bot.say("@alice: /digest now")
    assert "[solo per @alice] Questa azione è riservata al ruolo staff." in said
    assert "📈" not in said
    said = await bot.say("@mara: /digest settings hour:7")
    assert "[solo per @mara] Questa azione è riservata al ruolo amministratore." in said
