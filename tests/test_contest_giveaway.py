"""Giveaways on the console: requirements at entry, one entry each, the deadline, a draw
anyone can recompute from the published seed, codes by DM, a closed DM claiming later."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.contest_helpers import close_dms, drawn, open_dms, published, recompute, saved_file
from tests.harness import TestBot, running_bot

GIVEAWAY = '@mara: /contest giveaway prize:"Buono da 50 €" winners:4 duration:1d days:2 messages:2'


def entries_count(output: str) -> str:
    """The entry count on the newest giveaway card in `output`."""
    return re.findall(r"┃ (?:Partecipanti|Entries)\n  ┃   (\d+)", output)[-1]


async def community(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "join @alice", "join @bob", "join @carla", "join @elena")
    await bot.say("advance 3d", "join @dario")
    await bot.say("@alice: ciao", "@alice: come va?", "@bob: eccomi", "@bob: ci sono")
    await bot.say("@carla: buongiorno", "@carla: a tutti", "@dario: ciao", "@dario: ciao!")


async def test_a_whole_giveaway(bot: TestBot, tmp_path: Path) -> None:
    await community(bot)
    said = await bot.say(GIVEAWAY)
    assert "┃ 🎁 Buono da 50 €" in said and "[Partecipa]" in said
    assert "giorni nella community: almeno 2" in said and "messaggi scritti: almeno 2" in said
    promised = re.findall(r"`([0-9a-f]{64})`", said)[0]
    # Staff upload the codes privately: they are never shown where anyone else could see.
    codes = tmp_path / "codici.txt"
    codes.write_text("CODICE-A\nCODICE-B\n\nCODICE-C\nCODICE-A\n", encoding="utf-8")
    said = await bot.say(f"@mara: /contest codes id:1 file:{codes}")
    assert said == (
        "[solo per @mara] Codici salvati per il concorso #1. Nuovi: 3, già presenti: 0, "
        "ancora da assegnare: 3."
    )
    said = await bot.say("@alice click Partecipa")
    assert "[solo per @alice] Sei in gara!" in said and entries_count(said) == "1"
    said = await bot.say("@alice click Partecipa")
    assert "[solo per @alice] Partecipi già a questo giveaway: una partecipazione a testa." in said
    said = await bot.say("@dario click Partecipa")
    assert "[solo per @dario] Non puoi ancora partecipare" in said
    assert "(giorni richiesti: 2, i tuoi finora: 0)." in said
    said = await bot.say("@elena click Partecipa")
    assert "(messaggi richiesti: 2, i tuoi finora: 0)." in said
    await bot.say("@bob click Partecipa", "@carla click Partecipa")
    said = await bot.advance("10s")  # entries close together are merged into one edit
    assert entries_count(said) == "3"

    close_dms(bot, "carla")
    said = await bot.advance("1d")
    assert "Giveaway concluso. Partecipanti: 3." in said
    assert "Partecipanti: 3, premi: 4. I partecipanti sono meno dei premi: vincono tutti." in said
    seed, commitment, entries = published(said)
    assert commitment == promised == hashlib.sha256(seed.encode()).hexdigest()
    assert entries == ["alice", "bob", "carla"]
    assert drawn(said) == recompute(seed, entries, [4])[0]
    assert "[DM @alice] 🎉 Hai vinto «Buono da 50 €»! Il tuo codice: CODICE-" in said
    assert "[DM @bob] 🎉 Hai vinto «Buono da 50 €»! Il tuo codice: CODICE-" in said
    assert "[DM @carla]" not in said
    assert (
        "[#generale] @carla, hai vinto! Non riesco a scriverti in privato: apri i messaggi "
        "diretti e scrivi /contest claim id:1 per ricevere il premio."
    ) in said
    said = await bot.say("@carla: /contest claim id:1")
    assert "[solo per @carla] I tuoi messaggi diretti sono ancora chiusi" in said
    open_dms(bot)
    said = await bot.say("@carla: /contest claim id:1")
    assert "[DM @carla] 🎉 Hai vinto «Buono da 50 €»! Il tuo codice: CODICE-" in said
    assert "[solo per @carla] Ti ho mandato il codice in privato." in said
    handed = re.findall(r"Il tuo codice: (CODICE-\w)", bot.all_output())
    assert sorted(set(handed)) == ["CODICE-A", "CODICE-B", "CODICE-C"]
    # A code is shown only in its winner's DM, never in a channel or a private answer.
    for line in bot.all_output().splitlines():
        if "CODICE-" in line:
            assert line.startswith("[DM @"), line
    said = await bot.say("@alice click Partecipa")
    assert "Questo giveaway è chiuso" in said
    said = await bot.say("@dario: /contest claim id:1")
    assert "Non risulti tra i vincitori di questo concorso." in said


async def test_staff_export_the_entries_as_csv(bot: TestBot) -> None:
    await community(bot)
    await bot.say(GIVEAWAY, "@alice click Partecipa", "@bob click Partecipa")
    said = await bot.say("@alice: /contest export id:1")
    assert "Questa azione è riservata al ruolo staff." in said
    assert "📎" not in said
    said = await bot.say("@mara: /contest export id:1")
    assert "[solo per @mara] Partecipanti del concorso #1: 2. Eccoli nel file." in said
    rows = saved_file(said, ".csv").splitlines()
    assert rows[0] == "numero,id_membro,nome,iscritto_il,proposta,file,voti,vincitore"
    assert [row.split(",")[1] for row in rows[1:]] == ["alice", "bob"]


async def test_leaving_withdraws_the_entry(bot: TestBot) -> None:
    await community(bot)
    await bot.say(GIVEAWAY, "@alice click Partecipa", "@bob click Partecipa", "advance 10s")
    said = await bot.say("leave @bob", "advance 10s")
    assert entries_count(said) == "1"
    said = await bot.advance("1d")
    _, _, entries = published(said)
    assert entries == ["alice"]
    assert drawn(said) == ["alice"]


async def test_a_role_requirement(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "join @alice", "join @ugo as moderator")
    said = await bot.say('@mara: /contest giveaway prize:"Felpa" duration:1h role:moderator')
    assert "il ruolo moderator" in said
    said = await bot.say("@alice click Partecipa")
    assert "[solo per @alice] Non puoi partecipare: serve il ruolo moderator." in said
    said = await bot.say("@ugo click Partecipa")
    assert "Sei in gara!" in said


async def test_reroll_draws_again_excluding_earlier_winners(bot: TestBot) -> None:
    names = ["alice", "bob", "carla", "dario", "elena", "fabio"]
    await bot.say("join @mara as staff", *(f"join @{name}" for name in names))
    await bot.say('@mara: /contest giveaway prize:"Biglietti" winners:2 duration:2h')
    said = await bot.say("@mara: /contest reroll id:1")
    assert "Si può rifare l'estrazione solo dopo la chiusura del giveaway." in said
    await bot.say(*(f"@{name} click Partecipa" for name in names))
    said = await bot.say("@mara: /contest end id:1")
    assert "[solo per @mara] Hai chiuso «Biglietti»." in said
    seed, _, entries = published(said)
    first = drawn(said)
    assert first == recompute(seed, entries, [2])[0]
    said = await bot.say("@mara: /contest reroll id:1")
    assert "🎲 Nuova estrazione n. 1 di «Biglietti»" in said
    again = drawn(said)
    assert len(again) == 1 and again[0] not in first
    assert published(said)[2] == entries  # the same list: the counters replay every round
    assert "Contatori usati: da 2 a 2" in said
    assert [first, again] == recompute(seed, entries, [2, 1])
    said = await bot.say("@mara: /contest reroll id:1 count:2")
    assert drawn(said) == recompute(seed, entries, [2, 1, 2])[2]
    said = await bot.say("@mara: /contest reroll id:1 count:5")
    assert drawn(said) == recompute(seed, entries, [2, 1, 2, 5])[3]
    said = await bot.say("@mara: /contest reroll id:1")
    assert "Non resta nessun partecipante che non abbia già vinto." in said
    said = await bot.say("@mara: /contest end id:1")
    assert "Questo concorso è già concluso." in said


async def test_bad_input_gets_a_clear_answer_and_keeps_nothing(bot: TestBot) -> None:
    await bot.say("join @mara as staff", "join @alice")
    cases = {
        '@mara: /contest giveaway prize:"X" winners:0 duration:1d': "deve essere almeno 1.",
        '@mara: /contest giveaway prize:"X" winners:51 duration:1d': "al massimo 50",
        '@mara: /contest giveaway prize:"X" duration:100d': "è troppo lunga.",
        '@mara: /contest giveaway prize:"X" duration:10s': "troppo breve",
        '@mara: /contest giveaway prize:"X"': "Manca «duration»",
        '@alice: /contest giveaway prize:"X" duration:1d': "riservata al ruolo staff",
        "@mara: /contest end id:9": "Non trovo il concorso #9.",
        "@mara: /contest reroll id:9": "Non trovo il concorso #9.",
        "@alice: /contest claim id:9": "Non trovo il concorso #9.",
        "@alice: /contest end id:1": "riservata al ruolo staff",
    }
    for line, expected in cases.items():
        said = await bot.say(line)
        assert expected in said, (line, said)
        assert said.startswith("[solo per @"), (line, said)
    said = await bot.say("@alice: /contest list")
    assert "Nessun concorso in corso." in said


async def test_bad_codes_are_refused_whole(bot: TestBot, tmp_path: Path) -> None:
    await bot.say("join @mara as staff", '@mara: /contest giveaway prize:"X" duration:1d')
    binary = tmp_path / "codes.bin"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    said = await bot.say(f"@mara: /contest codes id:1 file:{binary}")
    assert "deve essere testo (UTF-8)" in said
    said = await bot.say("@mara: /contest codes id:1")
    assert "[solo per @mara] Modulo «Codici del concorso #1»" in said
    said = await bot.say('@mara fill codes:"UNO\\nDUE"')
    assert "Nuovi: 2, già presenti: 0, ancora da assegnare: 2." in said
    assert "UNO" not in said


async def test_restart_mid_giveaway_keeps_the_button_and_the_deadline(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        await bot.say("join @mara as staff", "join @alice", "join @bob", "join @carla")
        said = await bot.say('@mara: /contest giveaway prize:"Tazza" winners:1 duration:2h')
        promised = re.findall(r"`([0-9a-f]{64})`", said)[0]
        await bot.say("@alice click Partecipa")
    async with running_bot(db_path) as bot:
        said = await bot.say("@bob click Partecipa", "@alice click Partecipa")
        assert "[solo per @bob] Sei in gara!" in said
        assert "Partecipi già" in said
    # Down while the deadline passes: the draw happens at the next start.
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + 9000")
        )
    engine.dispose()
    async with running_bot(db_path) as bot:
        said = bot.all_output()
        assert "🎉 Estrazione di «Tazza»" in said
        seed, commitment, entries = published(said)
        assert commitment == promised and entries == ["alice", "bob"]
        assert drawn(said) == recompute(seed, entries, [1])[0]
        assert "[DM @" in said and "Hai vinto «Tazza» (concorso #1)!" in said
        said = await bot.say("@carla click Partecipa")
        assert "Questo giveaway è chiuso" in said


async def test_an_english_giveaway(bot_en: TestBot) -> None:
    await bot_en.say("join @mara as staff", "join @alice", "join @bob")
    said = await bot_en.say('@mara: /contest giveaway prize:"Hoodie" winners:1 duration:30m')
    assert "┃ 🎁 Hoodie" in said and "[Enter]" in said
    assert "Draw commitment (SHA-256 of the secret seed)" in said
    said = await bot_en.say("@alice click Enter", "@alice click Enter")
    assert "You're in! Good luck" in said and "You have already entered" in said
    await bot_en.say("@bob click Enter")
    said = await bot_en.advance("31m")
    assert "🎉 Draw for “Hoodie”:" in said
    seed, _, entries = published(said)
    assert drawn(said) == recompute(seed, entries, [1])[0]
    assert "You won “Hoodie” (contest #1)!" in said
