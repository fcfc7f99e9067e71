"""Question banks on the console: import, list, export, delete; broken files refused whole,
every problem by line, in Italian and English."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from cogs.quizzes.csvbank import parse_csv
from cogs.quizzes.gift import parse_gift
from tests.harness import TestBot
from tests.test_quiz_support import DATA, import_bank, players


def saved_file(output: str) -> Path:
    line = next(line for line in output.splitlines() if "📎" in line)
    return Path(line.rsplit(" ", 1)[-1])


async def test_import_gift_and_csv_and_list_them_with_counts(bot: TestBot) -> None:
    await players(bot)
    said = await import_bank(bot, "Storia", "storia.gift")
    assert "[solo per @mara] Banca «storia» importata da un file GIFT (domande: 5;" in said
    said = await import_bank(bot, "cultura", "storia.csv")
    assert "Banca «cultura» importata da un file CSV (domande: 3; categorie: 3)." in said
    said = await bot.say("@mara: /quiz banks")
    assert said.startswith("[solo per @mara]")
    assert "cultura\n  ┃   domande: 3 · categorie: 3 · CSV" in said
    assert "storia\n  ┃   domande: 5 · categorie: 2 · GIFT" in said


async def test_a_broken_gift_file_is_refused_whole_with_every_line(bot: TestBot) -> None:
    await players(bot)
    said = await import_bank(bot, "rotta", "broken.gift")
    assert "Il file «broken.gift» non è stato importato (niente è stato salvato)." in said
    expected = [
        "riga 2: domanda a risposta aperta ({})",
        "riga 4: domanda numerica ({#…})",
        "riga 7: punteggi parziali (~%50%…) non sono supportati",
        "riga 12: domanda di abbinamento",
        "riga 17: domanda a risposta breve",
        "riga 19: la { delle risposte non è chiusa da una }.",
        "riga 21: la risposta «Questa risposta è davvero",
        "riga 26: due risposte sono uguali.",
        "riga 28: manca la risposta giusta.",
    ]
    for line in expected:
        assert line in said, line
    assert "è troppo lunga per un pulsante (al massimo 75 caratteri)." in said
    said = await bot.say("@mara: /quiz banks")
    assert "Nessuna banca, per ora." in said


async def test_a_broken_csv_in_english(bot_en: TestBot) -> None:
    await players(bot_en)
    said = await import_bank(bot_en, "broken", "broken.csv")
    assert "The file “broken.csv” was not imported (nothing was saved). Problems found: 4." in said
    assert "line 3: the right answer is missing." in said
    assert "line 4: two answers are the same." in said
    assert "line 5: this question is already on line 2." in said
    assert "line 6: the row has more cells than the header (4)" in said


async def test_binary_non_utf8_missing_and_empty_files(bot: TestBot, tmp_path: Path) -> None:
    await players(bot)
    picture = tmp_path / "foto.gift"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    said = await bot.say(f"@mara: /quiz import name:foto file:{picture}")
    assert "Il file non è di testo" in said
    said = await import_bank(bot, "latin", "latin1.csv")
    assert "riga 2: il testo non è in UTF-8" in said and "CSV UTF-8" in said
    said = await bot.say(f"@mara: /quiz import name:x file:{tmp_path / 'manca.gift'}")
    assert "Non trovo il file" in said
    empty = tmp_path / "vuoto.gift"
    empty.write_bytes(b"")
    said = await bot.say(f"@mara: /quiz import name:x file:{empty}")
    assert "[solo per @mara]" in said and "vuoto" in said.lower()
    huge = tmp_path / "enorme.gift"
    huge.write_bytes(b"Q? {=a ~b}\n\n" * 300_000)
    said = await bot.say(f"@mara: /quiz import name:x file:{huge}")
    assert "troppo grande" in said
    said = await bot.say("@mara: /quiz banks")
    assert "Nessuna banca, per ora." in said


async def test_names_duplicates_unknown_banks_and_delete(bot: TestBot, db_path: Path) -> None:
    await players(bot)
    said = await bot.say(f"@mara: /quiz import name:a/b file:{DATA / 'history.gift'}")
    assert "«a/b» non va bene come nome di banca" in said
    await import_bank(bot, "h", "history.gift")
    said = await import_bank(bot, "H", "storia.gift")
    assert "Esiste già una banca «h»" in said
    said = await bot.say("@mara: /quiz delete bank:nessuna")
    assert "Non c'è nessuna banca «nessuna»." in said
    said = await bot.say("@mara: /quiz delete bank:h")
    assert "Banca «h» eliminata." in said
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM quiz_questions")).scalar()
    engine.dispose()
    assert left == 0  # the questions went with their bank
    said = await bot.say("@mara: /quiz start bank:h")
    assert "Non c'è nessuna banca «h»." in said


async def test_export_gives_the_bank_back_as_a_file_that_imports_again(bot: TestBot) -> None:
    await players(bot)
    await import_bank(bot, "storia", "storia.gift")
    said = await bot.say("@mara: /quiz export bank:storia")
    assert "[DM @mara] La banca «storia» (domande: 5) è nel file storia.gift." in said
    assert "Ti ho mandato la banca «storia» in privato." in said
    gift = saved_file(said)
    again = parse_gift(gift.read_text(encoding="utf-8"))
    original = parse_gift((DATA / "storia.gift").read_text(encoding="utf-8"))
    assert [(q.text, q.answers, q.category) for q in again] == [
        (q.text, q.answers, q.category) for q in original
    ]
    said = await bot.say("@mara: /quiz export bank:storia format:csv")
    csv_file = saved_file(said)
    assert csv_file.name.endswith("storia.csv")
    rows = parse_csv(csv_file.read_bytes().decode("utf-8-sig"))
    assert rows[1].answers == ("Vero", "Falso")  # true/false in the community's words
    said = await bot.say(f"@mara: /quiz import name:copia file:{csv_file}")
    assert "Banca «copia» importata da un file CSV (domande: 5;" in said
