"""`/faq`: search, list, add, edit, remove; Markdown export and import, bad files refused."""

from __future__ import annotations

import re
from pathlib import Path

from cogs.questions.faqdoc import DocEntry, parse_markdown, to_markdown
from tests.harness import TestBot

PEOPLE = ("join @alice", "join @bob", "join @carla", "join @sara as staff")
ADD_PASSWORD = (
    '@sara: /faq add question:"Come resetto la password?" '
    'answer:"Impostazioni → Account → Reimposta password."'
)
ADD_EVENTS = (
    '@sara: /faq add question:"Quando inizia il torneo?" '
    'answer:"Il torneo inizia sabato alle 15, le iscrizioni chiudono venerdì."'
)


def saved_file(said: str) -> Path:
    found = re.search(r"📎 .*?(\S+faq\.md)", said)
    assert found is not None, said
    return Path(found.group(1))


def test_markdown_round_trip_keeps_questions_and_multiline_answers() -> None:
    entries = [
        DocEntry("Come resetto la password?", "Vai su Impostazioni.\n\n# Nota: serve l'email."),
        DocEntry("Where are the rules?", "In #rules."),
    ]
    parsed = parse_markdown(to_markdown("FAQ", entries), 300, 1800)
    assert parsed.entries == tuple(entries)
    assert parsed.skipped == 0


def test_markdown_without_answers_or_with_long_ones_is_skipped() -> None:
    text = "# FAQ\nintro\n## Senza risposta?\n\n## Lunga?\n" + "x" * 50 + "\n## Ok?\nSì.\n"
    parsed = parse_markdown(text, 300, 20)
    assert parsed.entries == (DocEntry("Ok?", "Sì."),)
    assert parsed.skipped == 2


async def test_staff_add_and_everyone_searches_by_meaning(bot: TestBot) -> None:
    await bot.say(*PEOPLE)
    said = await bot.say(ADD_PASSWORD)
    assert "[solo per @sara] Voce #1 aggiunta alle FAQ." in said
    await bot.say(ADD_EVENTS)
    said = await bot.say('@alice: /faq search query:"nn ricordo la pw, come la cambio"')
    assert "[solo per @alice]" in said
    assert "#1 · **Come resetto la password?**" in said
    assert "torneo" not in said
    said = await bot.say('@alice: /faq search query:"torneo"')
    assert "#2 · **Quando inizia il torneo?**" in said
    said = await bot.say('@alice: /faq search query:"ricetta della carbonara"')
    assert "Nelle FAQ non c'è niente di simile" in said
    said = await bot.say("@bob: /faq list")
    assert "Le FAQ (2 voci):" in said and "#2 · Quando inizia il torneo?" in said


async def test_an_added_entry_answers_the_next_member_who_asks(bot: TestBot) -> None:
    await bot.say(*PEOPLE, ADD_PASSWORD)
    said = await bot.say("@alice: nn riesco a resettare la password, come faccio?")
    assert re.search(r"^\[#generale ↳ \d+\] @alice, questa domanda ha già una risposta", said, re.M)
    said = await bot.say("@alice: come resetto la password??")
    assert "già una risposta" not in said  # never twice to the same member


async def test_members_may_not_change_the_faq(bot: TestBot) -> None:
    await bot.say(*PEOPLE)
    said = await bot.say('@alice: /faq add question:"Ciao?" answer:"Ciao."')
    assert "Questa azione è riservata al ruolo" in said
    said = await bot.say("@alice: /faq export")
    assert "Questa azione è riservata al ruolo" in said


async def test_edit_and_remove_an_entry(bot: TestBot) -> None:
    await bot.say(*PEOPLE, ADD_PASSWORD)
    said = await bot.say('@sara: /faq edit entry:1 answer:"Scrivi a support@example.org."')
    assert "Voce #1 delle FAQ aggiornata." in said
    said = await bot.say("@alice: come resetto la mia password?")
    assert "Scrivi a support@example.org." in said
    said = await bot.say("@sara: /faq edit entry:1")
    assert "Indica cosa cambiare" in said
    said = await bot.say("@sara: /faq edit entry:9 answer:x")
    assert "Nelle FAQ non c'è la voce #9." in said
    said = await bot.say("@sara: /faq remove entry:1")
    assert "Voce #1 tolta dalle FAQ." in said
    said = await bot.say("@bob: come si resetta la password?")
    assert "già una risposta" not in said
    said = await bot.say("@bob: /faq list")
    assert "Le FAQ sono ancora vuote." in said


async def test_oversized_and_empty_answers_are_refused_politely(bot: TestBot) -> None:
    await bot.say(*PEOPLE)
    long_answer = "a" * 1900
    said = await bot.say(f'@sara: /faq add question:"Lunga?" answer:"{long_answer}"')
    assert "[solo per @sara]" in said and "Traceback" not in said
    assert "1800" in said.replace(".", "")
    await bot.say(
        "@sara: /questions settings askers:2",
        "@alice: come resetto la password?",
        "@bob: nn riesco a cambiare la pw",
        "@sara click Rispondi",
    )
    said = await bot.say(f'@sara fill answer:"{long_answer}"')
    assert "La risposta è troppo lunga (1.900 caratteri): il massimo è 1.800." in said
    await bot.say("@sara click Rispondi")
    said = await bot.say('@sara fill answer:"   "')
    assert "La risposta è vuota" in said
    said = await bot.say('@sara: /faq search query:"password"')
    assert "Nelle FAQ non c'è niente di simile" in said  # nothing half-done was kept


async def test_export_then_import_into_another_community_round_trips(
    bot: TestBot, tmp_path: Path
) -> None:
    await bot.say(*PEOPLE, ADD_PASSWORD, ADD_EVENTS)
    said = await bot.say("@sara: /faq export")
    assert "Ecco le FAQ: 2 voci, in Markdown." in said
    exported = saved_file(said).read_text(encoding="utf-8")
    assert (
        "## Come resetto la password?\n\nImpostazioni → Account → Reimposta password." in exported
    )
    copy = tmp_path / "copia-faq.md"
    copy.write_text(exported, encoding="utf-8")
    said = await bot.say("@sara: /faq remove entry:1", "@sara: /faq remove entry:2")
    said = await bot.say(f"@sara: /faq import file:{copy}")
    assert "Importazione fatta: 2 voci nuove, 0 aggiornate, 0 saltate" in said
    said = await bot.say(f"@sara: /faq import file:{copy}")
    assert "Importazione fatta: 0 voci nuove, 0 aggiornate, 0 saltate" in said
    said = await bot.say("@sara: /faq export")
    assert saved_file(said).read_text(encoding="utf-8") == exported
    said = await bot.say("@carla: come si resetta la password??")
    assert "Impostazioni → Account → Reimposta password." in said


async def test_bad_files_get_one_clear_line(bot_en: TestBot, tmp_path: Path) -> None:
    await bot_en.say(*PEOPLE)
    binary = tmp_path / "faq.md"
    binary.write_bytes(b"\xff\xfe\x00\x81 not text")
    said = await bot_en.say(f"@sara: /faq import file:{binary}")
    assert "is not UTF-8 text" in said and "Traceback" not in said
    plain = tmp_path / "notes.md"
    plain.write_text("just some notes, no headings\n", encoding="utf-8")
    said = await bot_en.say(f"@sara: /faq import file:{plain}")
    assert "The file holds no entries" in said
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    said = await bot_en.say(f"@sara: /faq import file:{empty}")
    assert said.startswith("[only for @sara]")
    said = await bot_en.say(f"@sara: /faq import file:{tmp_path / 'missing.md'}")
    assert said.startswith("[only for @sara]")
    said = await bot_en.say("@sara: /faq export")
    assert "The FAQ is empty so far." in said
